import type { RouteClassifier } from '../../src/domain/routes';
import { answerLine, MAX_LINE_CHARS } from '../../src/routing/jsonl';

const calls: [string, string][] = [];
const fake: RouteClassifier = {
  classify(text, locale) {
    calls.push([text, locale]);
    if (text === 'boom') throw new Error('kaboom');
    return { route: text.includes('lamp') ? 'report' : 'complaint', confidence: 0.5 };
  },
};

async function answer(line: string): Promise<unknown> {
  return JSON.parse(await answerLine(line, fake));
}

describe('classify line protocol', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('answers a valid line with route and confidence only', async () => {
    expect(await answer('{"text":"lamp kapot","locale":"nl"}')).toEqual({ route: 'report', confidence: 0.5 });
    expect(calls).toEqual([['lamp kapot', 'nl']]);
  });

  it('ignores extra fields and a trailing carriage return', async () => {
    expect(await answer('{"text":"x","locale":"en","id":7}\r')).toEqual({ route: 'complaint', confidence: 0.5 });
  });

  it.each([
    ['', 'blank line'],
    ['   ', 'blank line'],
    ['not json', 'not valid JSON'],
    ['{"text":"a","locale":"nl"', 'not valid JSON'],
    ['[1,2]', 'expected a JSON object'],
    ['null', 'expected a JSON object'],
    ['"text"', 'expected a JSON object'],
    ['{"locale":"nl"}', 'missing text (a string)'],
    ['{"text":42,"locale":"nl"}', 'missing text (a string)'],
    ['{"text":"   ","locale":"nl"}', 'empty text'],
    ['{"text":"hoi"}', 'unknown locale (expected "nl" or "en")'],
    ['{"text":"hoi","locale":"de"}', 'unknown locale (expected "nl" or "en")'],
    ['{"text":"hoi","locale":"NL"}', 'unknown locale (expected "nl" or "en")'],
  ])('answers %j with an error', async (line, error) => {
    expect(await answer(line)).toEqual({ error });
    expect(calls).toHaveLength(0);
  });

  it('rejects absurdly long lines without parsing them', async () => {
    const line = JSON.stringify({ text: 'a'.repeat(MAX_LINE_CHARS), locale: 'nl' });
    expect(await answer(line)).toEqual({ error: `line longer than ${MAX_LINE_CHARS} characters` });
  });

  it('turns a failing classifier into an error line instead of stopping', async () => {
    expect(await answer('{"text":"boom","locale":"nl"}')).toEqual({ error: 'classification failed: kaboom' });
  });

  it('always produces exactly one line of JSON', async () => {
    for (const line of ['{"text":"a\\nb","locale":"nl"}', 'x\ny', '{"text":"boom","locale":"en"}']) {
      const out = await answerLine(line, fake);
      expect(out).not.toContain('\n');
      expect(() => JSON.parse(out)).not.toThrow();
    }
  });
});
