import { spawnSync } from 'child_process';
import { join } from 'path';

/**
 * `npm run --silent understand` as a real process: standard input in, one JSON line per input line out, in order,
 * nothing else on standard output; errors for bad lines.
 */
const ROOT = join(__dirname, '..', '..');

function runCli(input: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [join(ROOT, 'test', 'routing', 'run-ts.js'), 'src/understanding/cli.ts'], {
    cwd: ROOT, input, encoding: 'utf8', timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('understand command line', () => {
  const now = '2026-11-24T10:00:00Z';
  const inputLines = [
    JSON.stringify({ text: 'eind oktober', locale: 'nl', now, asked: 'when' }),
    'dit is geen json',
    '',
    JSON.stringify({ text: 'kan ik iemand spreken?', locale: 'nl' }),
    JSON.stringify({ text: '', locale: 'nl' }),
    JSON.stringify({ text: 'hallo', locale: 'fr' }),
    JSON.stringify({ locale: 'en' }),
    JSON.stringify({ text: 'Jansen', locale: 'nl', asked: 'naam' }),
    JSON.stringify({ text: 'gisteren', locale: 'nl', now: 'yesterday' }),
    JSON.stringify({ text: 'my permit was refused and the officer was rude', locale: 'en', asked: 'story' }),
    JSON.stringify({ text: 'Marieke Smit, 06-23456789', locale: 'nl', asked: 'name' }),
    JSON.stringify({ text: 'how long does it take?', locale: 'en' }),
    '[1,2]',
  ];
  let result: ReturnType<typeof runCli>;
  beforeAll(() => {
    result = runCli(inputLines.join('\n')); // the last line without a newline must be answered too
  });

  test('exits cleanly and writes exactly one JSON line per input line', () => {
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(inputLines.length);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  test('answers in order, in the contract form, with errors for bad lines', () => {
    const out = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out[0]).toEqual({ intent: 'answer', fields: { date: { text: 'eind oktober', from: '2026-10-21', to: '2026-10-31' } } });
    expect(out[1]).toEqual({ error: 'not valid JSON' });
    expect(out[2]).toEqual({ error: 'blank line' });
    expect(out[3]).toEqual({ intent: 'person', fields: {} });
    expect(out[4]).toEqual({ error: 'empty text' });
    expect(out[5]).toEqual({ error: 'unknown locale (expected "nl" or "en")' });
    expect(out[6]).toEqual({ error: 'missing text (a string)' });
    expect(out[7].error).toMatch(/^unknown asked/);
    expect(out[8].error).toMatch(/^bad now/);
    expect(out[9]).toEqual({ intent: 'answer', routes: ['objection', 'complaint'], fields: { person: { kind: 'staff', text: 'the officer' } } });
    expect(out[10]).toEqual({ intent: 'answer', fields: { name: 'Marieke Smit', phone: '+31623456789' } });
    expect(out[11]).toEqual({ intent: 'question', question: 'duration', fields: {} });
    expect(out[12]).toEqual({ error: 'expected a JSON object' });
    expect(Object.keys(out[9])).toEqual(['intent', 'routes', 'fields']);
  });

  test('writes nothing for empty input', () => {
    expect(runCli('')).toEqual({ stdout: '', stderr: '', status: 0 });
  });
});
