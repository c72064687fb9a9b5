import { spawnSync } from 'child_process';
import { join } from 'path';

/**
 * The classify command as a real process: standard input in, standard output out, nothing else on
 * standard output (no logs, no NLP.js output), one answer line per input line, in order.
 */
const ROOT = join(__dirname, '..', '..');

function runCli(input: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [join(__dirname, 'run-ts.js'), 'src/routing/cli.ts'], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('classify command line', () => {
  const inputLines = [
    JSON.stringify({ text: 'De lantaarnpaal in de Dorpsstraat is kapot', locale: 'nl' }),
    'dit is geen json',
    '',
    JSON.stringify({ text: 'I reported the lamp post in Fixi three times and nobody responds', locale: 'en' }),
    JSON.stringify({ text: '', locale: 'nl' }),
    JSON.stringify({ text: 'hallo', locale: 'fr' }),
    JSON.stringify({ locale: 'en' }),
    JSON.stringify({ text: 'De WOZ-waarde van mijn huis is veel te hoog', locale: 'nl' }),
    JSON.stringify({ text: 'Er is een boom van de gemeente op mijn auto gevallen', locale: 'nl' }),
  ];
  let result: ReturnType<typeof runCli>;

  beforeAll(() => {
    // The last line has no newline: it must be answered all the same.
    result = runCli(inputLines.join('\n'));
  });

  it('exits cleanly and writes exactly one JSON line per input line', () => {
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines.pop()).toBe(''); // the output ends with a newline
    expect(lines).toHaveLength(inputLines.length);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('answers in order, with errors for bad lines and the rest classified', () => {
    const out = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out[0]).toEqual({ route: 'report', confidence: expect.any(Number) });
    expect(out[1]).toEqual({ error: 'not valid JSON' });
    expect(out[2]).toEqual({ error: 'blank line' });
    expect(out[3]).toEqual({ route: 'complaint', confidence: expect.any(Number) });
    expect(out[4]).toEqual({ error: 'empty text' });
    expect(out[5]).toEqual({ error: 'unknown locale (expected "nl" or "en")' });
    expect(out[6]).toEqual({ error: 'missing text (a string)' });
    expect(out[7]).toEqual({ route: 'tax-objection', confidence: expect.any(Number) });
    expect(out[8]).toEqual({ route: 'damage', confidence: expect.any(Number) });
    for (const o of out.filter((x) => 'route' in x)) {
      expect(Object.keys(o).sort()).toEqual(['confidence', 'route']);
      expect(o.confidence as number).toBeGreaterThanOrEqual(0);
      expect(o.confidence as number).toBeLessThanOrEqual(1);
    }
  });

  it('writes nothing for empty input', () => {
    expect(runCli('')).toEqual({ stdout: '', stderr: '', status: 0 });
  });
});
