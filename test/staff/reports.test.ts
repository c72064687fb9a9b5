/**
 * The annual report (Awb 9:12a) on the real app over HTTP: counts from a known set of complaints
 * (received by chat, Teams, phone and letter; informal and formal; one extended; one received at
 * 00:30 on New Year's Day in Amsterdam), the term and median figures by the rules of deadlines.ts, the
 * bot's referrals counted when the bot gives one, and the JSON, CSV, PDF and SVG forms, audited.
 * The store's aggregates on both backends: test/store/contract/reports.test.ts.
 */
import { createHash, randomUUID } from 'crypto';
import http from 'http';
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import type { Status } from '../../src/domain/complaint';
import type { HandlingFields, IntakeChannel } from '../../src/store/types';
import { API_TOKEN, API_TOKEN_ENTRY, complaintInput, request, startApp, type TestApp } from './helpers';

let t: TestApp;
/** a klachtbehandelaar's API token (role handler) */
const HANDLER_TOKEN = 'handler-token-0123456789abcdef';
const HANDLER_ENTRY = `afdeling:${createHash('sha256').update(HANDLER_TOKEN).digest('hex')}:handler`;

interface Seed {
  key: string;
  at: string;
  channel?: string;
  intake?: { channel: IntakeChannel; receivedAt: string };
  set?: Partial<HandlingFields>;
  steps?: [Status, string][];
  extendAt?: string;
}

async function seed(s: Seed): Promise<string> {
  const store = t.app.store;
  t.clock.now = new Date(s.at);
  const { reference } = await t.app.complaints.file(complaintInput(), { locale: 'nl', channel: s.channel ?? 'directline', conversationId: s.key }, s.key);
  const c = (await store.complaints.getByReference(reference))!;
  if (s.intake) await store.handling.setIntake(c.id, s.intake);
  if (s.set) {
    const h = (await store.handling.get(reference))!;
    await store.handling.apply({ id: c.id, expectedVersion: h.version, at: s.at, actor: 't', set: s.set, event: { kind: 'assignment' } });
  }
  if (s.extendAt) await store.staff.extend({ id: c.id, actor: 't', note: 'meer tijd', at: s.extendAt });
  let from: Status = 'received';
  for (const [to, at] of s.steps ?? []) {
    const h = (await store.handling.get(reference))!;
    await store.handling.apply({
      id: c.id,
      expectedVersion: h.version,
      at,
      actor: 't',
      status: to,
      ...(to === 'resolved' ? { set: { outcome: s.set?.outcome ?? null } } : {}),
      event: { kind: 'status', from, to },
    });
    from = to;
  }
  return reference;
}

function getRaw(pathname: string, token = API_TOKEN): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${t.base}${pathname}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

const get = (p: string, token = API_TOKEN) => request(t.base, 'GET', p, { token });

/** A citizen in a chat whose story belongs elsewhere: the bot refers them (to Fixi), and that is counted. */
async function chatReferral(): Promise<string[]> {
  const adapter = new TestAdapter(async (context) => t.app.bot.run(context), {
    channelId: 'directline',
    locale: 'nl-NL',
    conversation: { id: `ref-${randomUUID()}` },
  } as Partial<Activity>);
  const say = async (a: Partial<Activity>) => {
    await adapter.send({ id: randomUUID(), ...a }).startTest();
    return adapter.activeQueue.splice(0).map((x) => x.text ?? '');
  };
  await say({ type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: 'user', name: 'User' }] });
  let replies = await say({ type: ActivityTypes.Message, text: 'Ik heb een klacht over de lantaarnpaal voor mijn huis, die is al twee weken kapot' });
  if (replies.some((r) => /Waar gaat het over/.test(r))) replies = await say({ type: ActivityTypes.Message, text: 'Iets op straat' });
  return replies;
}

beforeAll(async () => {
  t = await startApp({ STAFF_API_TOKENS: `${API_TOKEN_ENTRY},${HANDLER_ENTRY}` });
  // the chat complaint is received on 24 November 2026, informal, solved in 10 days
  await seed({
    key: 'a',
    at: '2026-11-24T09:00:00.000Z',
    set: { category: 'bejegening', department: 'Burgerzaken', outcome: 'opgelost_informeel' },
    steps: [['informal', '2026-11-25T09:00:00.000Z'], ['resolved', '2026-12-04T09:00:00.000Z']],
  });
  // by phone on 2 March, formal, extended, upheld on 1 May: 60 days, within the extended term (11 May)
  await seed({
    key: 'b',
    at: '2026-03-02T10:00:00.000Z',
    intake: { channel: 'phone', receivedAt: '2026-03-02T10:00:00.000Z' },
    set: { category: 'wachttijd', department: 'Burgerzaken', outcome: 'gegrond' },
    extendAt: '2026-04-01T10:00:00.000Z',
    steps: [['formal', '2026-03-03T10:00:00.000Z'], ['resolved', '2026-05-01T10:00:00.000Z']],
  });
  // in Teams, nothing done yet
  await seed({ key: 'c', at: '2026-06-01T10:00:00.000Z', channel: 'msteams' });
  // a letter received at 00:30 on New Year's Day (Amsterdam): 2026; formal, not upheld after 59 days (term: 12 February)
  await seed({
    key: 'd',
    at: '2025-12-31T23:30:00.000Z',
    intake: { channel: 'letter', receivedAt: '2025-12-31T23:30:00.000Z' },
    set: { category: 'wachttijd', department: 'Belastingen', outcome: 'ongegrond' },
    steps: [['formal', '2026-01-05T10:00:00.000Z'], ['resolved', '2026-03-01T10:00:00.000Z']],
  });
  // 2025: not in the 2026 report
  await seed({
    key: 'e',
    at: '2025-06-01T10:00:00.000Z',
    intake: { channel: 'email', receivedAt: '2025-06-01T10:00:00.000Z' },
    set: { category: 'bejegening', department: 'Belastingen', outcome: 'gegrond' },
    steps: [['formal', '2025-06-02T10:00:00.000Z'], ['resolved', '2025-06-20T10:00:00.000Z']],
  });
  t.clock.now = new Date('2026-12-15T09:00:00.000Z');
});

afterAll(async () => {
  await t?.close();
});

test('the bot counts a referral when it gives one: day, route, locale and channel only', async () => {
  const replies = await chatReferral();
  expect(replies.join('\n')).toMatch(/Fixi/);
  expect(await t.app.store.referrals.list('2026-12-15', '2026-12-15')).toEqual([
    { day: '2026-12-15', route: 'report', locale: 'nl', channel: 'directline', count: 1 },
  ]);
});

test('JSON: counts by category, department, channel and outcome; informal against formal; within the term; median days; referrals', async () => {
  const r = await get('/staff/api/reports/annual?year=2026');
  expect(r.status).toBe(200);
  expect(r.json).toMatchObject({
    year: 2026,
    total: 4,
    byCategory: [
      { key: 'bejegening', count: 1 },
      { key: 'wachttijd', count: 2 },
      { key: null, label: 'Niet ingevuld', count: 1 },
    ],
    byDepartment: [
      { key: 'Belastingen', label: 'Belastingen', count: 1 },
      { key: 'Burgerzaken', label: 'Burgerzaken', count: 2 },
      { key: null, count: 1 },
    ],
    byChannel: [
      { key: 'chat', label: 'Chat op de website', count: 1 },
      { key: 'teams', label: 'Microsoft Teams', count: 1 },
      { key: 'phone', label: 'Telefoon', count: 1 },
      { key: 'letter', label: 'Brief', count: 1 },
    ],
    byOutcome: [
      { key: 'gegrond', label: 'Gegrond', count: 1 },
      { key: 'ongegrond', label: 'Ongegrond', count: 1 },
      { key: 'opgelost_informeel', label: 'Opgelost in informele behandeling', count: 1 },
      { key: null, count: 1 },
    ],
    informal: 1,
    formal: 2,
    closed: 3,
    closedWithinTerm: 2,
    withinTermShare: 0.667,
    medianDaysToClose: 59,
    referralsTotal: 1,
  });
  expect(r.json.referrals).toEqual({ objection: 0, 'tax-objection': 0, report: 1, damage: 0, care: 0, other: 0 });
  expect(r.json.byHandling).toEqual([
    { key: 'informal', label: 'Informeel', count: 1 },
    { key: 'formal', label: 'Formeel', count: 2 },
    { key: null, label: 'Nog niet in behandeling', count: 1 },
  ]);
  const y2025 = await get('/staff/api/reports/annual?year=2025');
  expect(y2025.json).toMatchObject({ total: 1, closed: 1, closedWithinTerm: 1, withinTermShare: 1, medianDaysToClose: 19, referralsTotal: 0 });
  const empty = await get('/staff/api/reports/annual?year=2024');
  expect(empty.json).toMatchObject({ total: 0, closed: 0, withinTermShare: null, medianDaysToClose: null, byCategory: [] });
});

test('CSV: BOM, semicolons, Dutch headers, the same figures', async () => {
  const r = await getRaw('/staff/api/reports/annual.csv?year=2026');
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(r.headers['content-disposition']).toContain('jaarverslag-klachten-2026.csv');
  expect([...r.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = r.body.toString('utf8').slice(1).split('\r\n');
  expect(lines[0]).toBe('Onderdeel;Omschrijving;Waarde');
  expect(lines).toContain('Samenvatting;Aantal klachten;4');
  expect(lines).toContain('Samenvatting;Afgehandeld binnen de termijn;66,7% (2 van de 3)');
  expect(lines).toContain('Samenvatting;Mediaan aantal dagen tot afhandeling;59');
  expect(lines).toContain('Klachten per kanaal in 2026;Telefoon;1');
  expect(lines).toContain('Doorverwijzingen door de chatbot in 2026;Melding openbare ruimte (Fixi);1');
});

test('SVG charts: role img, title and desc naming every bar, text labels next to the bars', async () => {
  const r = await getRaw('/staff/api/reports/annual/channel.svg?year=2026');
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
  const svg = r.body.toString('utf8');
  expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="chart-channel-2026-title chart-channel-2026-desc"/);
  expect(svg).toContain('<title id="chart-channel-2026-title">Klachten per kanaal in 2026</title>');
  expect(svg).toMatch(/<desc id="chart-channel-2026-desc">Hoe de 4 klachten binnenkwamen\. Chat op de website: 1 klachten; Microsoft Teams: 1 klachten; Telefoon: 1 klachten; Brief: 1 klachten\.<\/desc>/);
  expect((svg.match(/<rect [^>]*stroke=/g) ?? []).length).toBe(4); // one bar each, outlined
  expect(svg).toContain('>Telefoon</text>');
  expect(svg).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  for (const chart of ['category', 'department', 'outcome', 'handling', 'referrals']) {
    const c = await getRaw(`/staff/api/reports/annual/${chart}.svg?year=2026`);
    expect(c.status).toBe(200);
    expect(c.body.toString('utf8')).toContain('role="img"');
  }
  const missing = await get('/staff/api/reports/annual/pie.svg?year=2026');
  expect(missing.status).toBe(404);
  expect(missing.json).toEqual({ error: 'not_found', message: expect.stringMatching(/grafiek/) });
});

test('PDF: tagged, Dutch, with the charts as figures', async () => {
  const r = await getRaw('/staff/api/reports/annual.pdf?year=2026');
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toBe('application/pdf');
  const pdf = r.body.toString('latin1');
  expect(pdf.startsWith('%PDF-1.7')).toBe(true);
  expect(pdf).toContain('/StructTreeRoot');
  expect(pdf).toMatch(/\/Lang \(nl-NL\)/);
  expect(pdf).toMatch(/\/S \/Figure/);
  expect(pdf).toMatch(/\/S \/Table/);
});

test('bad input: a year that is not four digits is 400 in the one error shape; no token 401; every read audited', async () => {
  for (const y of ['26', 'abcd', '1999', '2026-01']) {
    const r = await get(`/staff/api/reports/annual?year=${y}`);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: 'invalid_year', message: expect.stringMatching(/vier cijfers/) });
  }
  expect((await request(t.base, 'GET', '/staff/api/reports/annual?year=2026')).status).toBe(401);
  // a department's klachtbehandelaar sees only their own complaints: no report over all of them, no export of all
  const handler = await get('/staff/api/reports/annual?year=2026', HANDLER_TOKEN);
  expect(handler.status).toBe(403);
  expect(handler.json).toEqual({ error: 'forbidden', message: expect.stringMatching(/klachtenfunctionarissen/) });
  expect((await getRaw('/staff/api/reports/annual/channel.svg?year=2026', HANDLER_TOKEN)).status).toBe(403);
  const audit = await t.app.store.audit.list({ action: 'report.annual', limit: 100 });
  const formats = audit.map((a) => a.detail.format);
  expect(formats).toEqual(expect.arrayContaining(['json', 'csv', 'pdf', 'svg:channel']));
  expect(audit.every((a) => a.references.length === 0 && a.detail.year !== undefined)).toBe(true);
});
