/**
 * Issue 11's remaining gaps, in the dialogs with the real bot, store and understanding step: a question of no
 * known kind gets a general answer and the same question again (and is never taken as the answer); an answer
 * said unsurely with a question mark is still taken; a person described in many words is kept whole; two days
 * given as alternatives or a range are one period, said back and stored as a period.
 */
import { Harness, tempDbFile } from '../helpers/harness';
import { play } from '../helpers/script';
import { createRouteClassifier } from '../../src/routing/classifier';
import type { RouteClassifier } from '../../src/domain/routes';
import municipality from '../../src/municipality/amstelveen.json';

let db: ReturnType<typeof tempDbFile>;
let h: Harness;
let classifier: RouteClassifier;

beforeAll(async () => {
  classifier = await createRouteClassifier();
});

afterEach(async () => {
  await h?.close();
  db?.cleanup();
  h = undefined as unknown as Harness;
  db = undefined as unknown as ReturnType<typeof tempDbFile>;
});

async function open(locale?: string) {
  db = tempDbFile();
  h = await Harness.open({ file: db.file, locale, classifier });
  await h.join();
}

/** The draft as it is kept in conversation state (SQLite). */
async function draft(): Promise<Record<string, unknown>> {
  const rows = await h.db.all<{ key: string; data: string }>('SELECT key, data FROM bot_state');
  const row = rows.find((r) => r.key.startsWith('test/conversations/conv-1'));
  return (JSON.parse(row!.data) as { draft: Record<string, unknown> }).draft;
}

const phone = (municipality as { phone: string }).phone;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a question of no known kind', () => {
  test('gets a general answer with the phone number and the same question again; then an answer with a question mark is taken', async () => {
    await open();
    await play(h, [
      ['Ik heb drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd', /Genoteerd: Waar: Aan de telefoon.*Wanneer gebeurde het\? En over wie/s],
      ['kost dit geld?', new RegExp(`${esc(phone)}.*Wanneer gebeurde het`, 's')],
      ['mag ik iemand meenemen naar het gesprek?', new RegExp(`${esc(phone)}.*Wanneer gebeurde het`, 's')],
      ['ik weet het niet meer, woensdag?', /Genoteerd: Wanneer: woensdag 18 november 2026/],
    ]);
    const d = await draft();
    expect(d).toMatchObject({ incidentDate: '2026-11-18' });
    expect(JSON.stringify(d)).not.toMatch(/kost dit geld|meenemen/);
  });

  test('in English, at the question about whom, and not stored as the person', async () => {
    await open('en-GB');
    const replies = await play(h, [
      ['Yesterday I called three times about my benefit and nobody called me back as promised', /Who is your complaint about/],
      ['can I do this in writing?', new RegExp(`${esc(phone)}.*Who is your complaint about`, 's')],
    ]);
    expect(replies.join('\n')).not.toMatch(/Noted: About whom/i);
    expect((await draft()).person).toBeUndefined();
  });
});

describe('a person described in many words', () => {
  test('"de man achter de balie" in the story is kept whole, kind staff', async () => {
    await open();
    await play(h, [['Gisteren was de man achter de balie heel onbeschoft tegen mij toen ik mijn paspoort kwam halen', /Over wie: de man achter de balie/]]);
    expect(await draft()).toMatchObject({ person: 'de man achter de balie', personKind: 'staff' });
  });

  test('"the woman at the front desk" in English too', async () => {
    await open('en-GB');
    await play(h, [['Yesterday the woman at the front desk was very rude to me when I came to collect my passport', /the woman at the front desk/]]);
    expect(await draft()).toMatchObject({ person: 'the woman at the front desk', personKind: 'staff' });
  });
});

describe('two days as alternatives or a range', () => {
  test('"maandag of dinsdag vorige week" is said back and stored as a period', async () => {
    await open();
    await play(h, [
      ['Ik heb drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd', /Wanneer gebeurde het\? En over wie/s],
      ['maandag of dinsdag vorige week', /Genoteerd: Wanneer: 16–17 november 2026/],
    ]);
    expect(await draft()).toMatchObject({ incidentDateFrom: '2026-11-16', incidentDateTo: '2026-11-17' });
  });

  test('"between 3 and 5 November" in English', async () => {
    await open('en-GB');
    await play(h, [
      ['I called three times about my benefit and nobody called me back as they promised', /When did it happen/],
      ['between 3 and 5 November', /3–5 November 2026/],
    ]);
    expect(await draft()).toMatchObject({ incidentDateFrom: '2026-11-03', incidentDateTo: '2026-11-05' });
  });
});
