/**
 * Issue 11's remaining gaps in the understanding step: a person described in many words keeps the whole
 * description; two days said as alternatives or as a range are one period; a question of no known kind is a
 * question ('other'), while an answer said unsurely with a question mark is still an answer.
 */
import { createUnderstander, type Understanding } from '../../src/understanding';
import type { Asked } from '../../src/understanding/types';
import type { Locale } from '../../src/domain/routes';

/** Tuesday 24 November 2026, 11:00 in Amsterdam. */
const NOW = new Date('2026-11-24T10:00:00Z');

let understander: Awaited<ReturnType<typeof createUnderstander>>;
beforeAll(async () => {
  understander = await createUnderstander();
});
const u = (text: string, locale: Locale = 'nl', asked?: Asked, now = NOW): Promise<Understanding> =>
  understander.understand({ text, locale, asked, now });

describe('a person is the whole description, kind staff', () => {
  test.each([
    ['gisteren bij het loket, de man achter de balie', 'nl', undefined, 'de man achter de balie'],
    ['De vrouw aan de balie was heel onbeleefd tegen mij', 'nl', 'story', 'De vrouw aan de balie'],
    ['the woman at the front desk was very rude to me', 'en', 'story', 'the woman at the front desk'],
    ['de meneer aan de telefoon was onaardig', 'nl', 'story', 'de meneer aan de telefoon'],
    ['the guy behind the counter in the town hall', 'en', 'where', 'the guy behind the counter'],
  ] as [string, Locale, Asked | undefined, string][])('%s -> %s', async (text, locale, asked, person) => {
    const r = await u(text, locale, asked);
    expect(r.fields.person).toEqual({ kind: 'staff', text: person });
  });

  test('at "who?" the whole answer, with the counter as the place', async () => {
    for (const [text, locale] of [['de vrouw aan de balie', 'nl'], ['the woman at the front desk', 'en']] as [string, Locale][]) {
      const r = await u(text, locale, 'who');
      expect(r.intent).toBe('answer');
      expect(r.fields.person).toEqual({ kind: 'staff', text });
      expect(r.fields.place?.kind).toBe('counter');
    }
  });

  test('a person without a place after it stays as it was', async () => {
    expect((await u('de medewerker was onbeschoft en schreeuwde tegen mij', 'nl', 'story')).fields.person?.text).toBe('de medewerker');
  });
});

describe('two days as alternatives or a range are one period', () => {
  test.each([
    ['maandag of dinsdag vorige week', 'nl', '2026-11-16', '2026-11-17'],
    ['vorige week maandag of dinsdag, dat weet ik niet precies meer', 'nl', '2026-11-16', '2026-11-17'],
    ['Monday or Tuesday last week', 'en', '2026-11-16', '2026-11-17'],
    ['it was either Monday or Tuesday last week, not sure which', 'en', '2026-11-16', '2026-11-17'],
    ['woensdag of donderdag', 'nl', '2026-11-18', '2026-11-19'],
    ['Wednesday or Thursday', 'en', '2026-11-18', '2026-11-19'],
    ['tussen 3 en 5 november', 'nl', '2026-11-03', '2026-11-05'],
    ['between 3 and 5 November', 'en', '2026-11-03', '2026-11-05'],
    ['3 of 4 november', 'nl', '2026-11-03', '2026-11-04'],
    ['November 3 or 4', 'en', '2026-11-03', '2026-11-04'],
    ['from November 2 to November 6', 'en', '2026-11-02', '2026-11-06'],
    ['tussen 27 oktober en 2 november', 'nl', '2026-10-27', '2026-11-02'],
  ] as [string, Locale, string, string][])('%s -> %s..%s', async (text, locale, from, to) => {
    const r = await u(text, locale, 'when');
    expect(r.intent).toBe('answer');
    expect(r.fields.date).toMatchObject({ from, to });
  });

  test('in a story too, with the rest of the story read as before', async () => {
    const r = await u('Maandag of dinsdag vorige week stond ik aan de balie en de man achter de balie schold mij uit', 'nl', 'story');
    expect(r.fields.date).toMatchObject({ from: '2026-11-16', to: '2026-11-17' });
    expect(r.fields.person).toEqual({ kind: 'staff', text: 'de man achter de balie' });
    expect(r.routes).toContain('complaint');
  });

  test('days far apart are not one period; "Nov 3 at 5" is a day', async () => {
    expect((await u('Nov 3 at 5', 'en', 'when')).fields.date).toMatchObject({ from: '2026-11-03', to: '2026-11-03' });
    expect((await u('in March of last year', 'en', 'when')).fields.date).toMatchObject({ from: '2025-03-01', to: '2025-03-31' });
    expect((await u('vorge week', 'nl', 'when')).fields.date).toMatchObject({ from: '2026-11-16', to: '2026-11-22' });
  });
});

describe('a question of no known kind is a question, at any ask', () => {
  test.each([
    ['kost dit geld?', 'nl', 'when'],
    ['moet ik hiervoor betalen?', 'nl', 'story'],
    ['mag ik iemand meenemen?', 'nl', 'summary'],
    ['mag ik iemand meenemen naar het gesprek?', 'nl', 'who'],
    ['kan ik dit ook schriftelijk doen?', 'nl', 'where'],
    ['is this free?', 'en', 'when'],
    ['can I bring someone with me?', 'en', 'summary'],
    ['can I do this in writing?', 'en', 'name'],
    ['do I need a lawyer?', 'en', 'summary'],
    ['can I send photos later?', 'en', 'who'],
  ] as [string, Locale, Asked][])('%s (at %s) -> question other', async (text, locale, asked) => {
    expect(await u(text, locale, asked)).toEqual({ intent: 'question', question: 'other', fields: {} });
  });

  test('known kinds keep their kind', async () => {
    expect(await u('kan ik anoniem klagen?', 'nl', 'name')).toMatchObject({ intent: 'question', question: 'anonymous' });
    expect(await u('hoelang duurt het voordat ik wat hoor', 'nl', 'summary')).toMatchObject({ intent: 'question', question: 'duration' });
  });

  test.each([
    ['ik weet het niet meer, dinsdag?', 'nl', 'when', { date: { text: 'ik weet het niet meer, dinsdag?', from: '2026-11-24', to: '2026-11-24' } }],
    ['I think it was Friday?', 'en', 'when', { date: { text: 'I think it was Friday?', from: '2026-11-20', to: '2026-11-20' } }],
    ['Jansen?', 'nl', 'name', { name: 'Jansen' }],
    ['de balie?', 'nl', 'where', { place: { kind: 'counter', text: 'de balie' } }],
    ['an apology?', 'en', 'solution', { solution: 'an apology?' }],
  ] as [string, Locale, Asked, object][])('an answer with a question mark is an answer: %s', async (text, locale, asked, fields) => {
    expect(await u(text, locale, asked)).toEqual({ intent: 'answer', fields });
  });

  test('a question that asks for a person is still a request for a person', async () => {
    expect((await u('kan ik iemand spreken?', 'nl', 'where')).intent).toBe('person');
    expect((await u('can I talk to someone?', 'en', 'summary')).intent).toBe('person');
    expect((await u('Ik ben 82 en dit lukt me niet via de computer. Kan iemand mij opbellen?', 'nl', 'story')).intent).toBe('person');
  });

  test('a short complaint in question form at the story stays a story', async () => {
    const r = await u('Waarom belt niemand mij terug over mijn aanvraag?', 'nl', 'story');
    expect(r.intent).toBe('answer');
  });
});
