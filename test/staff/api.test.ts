/**
 * The staff API on the real app: list and search, one complaint with history and transcript, the status
 * workflow with deadlines, the call-back queue and the audit log.
 */
jest.mock('jose', () => require('module')._load(require.resolve('jose'), null, false));

import { complaintDeadlines } from '../../src/domain/workingDays';
import { ComplaintDetailSchema, ComplaintListSchema } from '../../src/staff/schemas';
import { API_TOKEN, API_TOKEN_ENTRY, oidcEnv, request, seedComplaint, startApp, startIdp, type Idp, type TestApp } from './helpers';

let idp: Idp;
let t: TestApp;
let officer: string;

/** Tuesday 24 November 2026, 10:00 in Amsterdam. */
const T0 = new Date('2026-11-24T09:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);

const refs: Record<string, string> = {};

beforeAll(async () => {
  idp = await startIdp();
  t = await startApp({ ...oidcEnv(idp, { OIDC_JWKS_URL: idp.jwksUrl }), STAFF_API_TOKENS: API_TOKEN_ENTRY }, day(-60));
  officer = await idp.token();
  // Complaints received on different days (the clock moves), oldest first.
  t.clock.now = day(-60);
  refs.old = (await seedComplaint(t.app, { input: { story: 'De balie was dicht terwijl de website zei dat hij open was.', route: 'complaint' } })).reference;
  t.clock.now = day(-20);
  refs.care = (await seedComplaint(t.app, { input: { story: 'De thuiszorg kwam drie weken niet opdagen bij mijn moeder.', route: 'care' } })).reference;
  await t.app.staff.service.changeStatus({ id: 'setup', via: 'system' }, refs.care, 'informal', 'naar de afdeling Zorg');
  t.clock.now = day(-8);
  refs.phone = (
    await seedComplaint(t.app, {
      input: { story: 'Ik werd aan de telefoon steeds doorverbonden en niemand hielp mij.' },
      said: ['Goedemiddag', 'Mijn buurman Pietersen heeft hetzelfde meegemaakt met de afdeling vergunningen'],
    })
  ).reference;
  t.clock.now = day(-1);
  refs.recent = (await seedComplaint(t.app, { input: { story: 'De medewerker was onbeleefd toen ik mijn paspoort ophaalde.' } })).reference;
  t.clock.now = T0;
});

afterAll(async () => {
  await t.close();
  await idp.close();
});

const get = (path: string, token = API_TOKEN) => request(t.base, 'GET', path, { token });
const post = (path: string, body: unknown, token = API_TOKEN) => request(t.base, 'POST', path, { token, body });
/** A change of a complaint, based on the version the officer just saw (If-Match with its ETag). */
const change = async (path: string, body: unknown, token = API_TOKEN) => {
  const ref = /KL-\d{4}-\w{6}/.exec(path)![0];
  const etag = String((await get(`/staff/api/complaints/${ref}`, token)).headers.etag);
  return request(t.base, 'POST', path, { token, body, headers: { 'if-match': etag } });
};

test('list: newest first, paged with a cursor, serialised through the complaint schema', async () => {
  const first = await get('/staff/api/complaints?limit=3');
  expect(first.status).toBe(200);
  expect(first.headers['cache-control']).toBe('no-store');
  const page1 = ComplaintListSchema.parse(first.json);
  expect(page1.items.map((c) => c.reference)).toEqual([refs.recent, refs.phone, refs.care]);
  expect(page1.nextCursor).toEqual(expect.any(String));
  const page2 = ComplaintListSchema.parse((await get(`/staff/api/complaints?limit=3&cursor=${page1.nextCursor}`)).json);
  expect(page2.items.map((c) => c.reference)).toEqual([refs.old]);
  expect(page2.nextCursor).toBeNull();
  expect(page1.items[0]).toMatchObject({ status: 'received', route: 'complaint', contact: { name: 'Jan Jansen' }, channel: 'emulator' });
  expect(page1.items[0].excerpt).toBe('De medewerker was onbeleefd toen ik mijn paspoort ophaalde.');
});

test('filters: status, route, date range; bad filters are 400', async () => {
  const care = ComplaintListSchema.parse((await get('/staff/api/complaints?route=care')).json);
  expect(care.items.map((c) => c.reference)).toEqual([refs.care]);
  const from = new Date(day(-9)).toISOString().slice(0, 10);
  const to = new Date(day(-2)).toISOString().slice(0, 10);
  const range = ComplaintListSchema.parse((await get(`/staff/api/complaints?from=${from}&to=${to}`)).json); // 15 .. 22 November
  expect(range.items.map((c) => c.reference)).toEqual([refs.phone]);
  expect((await get('/staff/api/complaints?status=lost')).status).toBe(400);
  expect((await get('/staff/api/complaints?from=24-11-2026')).status).toBe(400);
  expect((await get('/staff/api/complaints?limit=1000')).status).toBe(400);
  expect((await get('/staff/api/complaints?cursor=garbage')).status).toBe(400);
});

test('full-text search over the story and over what the citizen said in the conversation', async () => {
  const story = ComplaintListSchema.parse((await get('/staff/api/complaints?q=thuiszorg')).json);
  expect(story.items.map((c) => c.reference)).toEqual([refs.care]);
  // "Pietersen" only occurs in the transcript, not in the story
  const said = ComplaintListSchema.parse((await get('/staff/api/complaints?q=pietersen%20vergunningen')).json);
  expect(said.items.map((c) => c.reference)).toEqual([refs.phone]);
  // diacritics and case do not matter; operators cannot be injected
  expect(ComplaintListSchema.parse((await get('/staff/api/complaints?q=ONBELEEFD')).json).items).toHaveLength(1);
  expect((await get('/staff/api/complaints?q=%22paspoort%22%20OR%20NEAR(*')).status).toBe(200);
  // the bot's own texts are not searched
  expect(ComplaintListSchema.parse((await get('/staff/api/complaints?q=antwoord')).json).items).toHaveLength(0);
  // a reference finds that complaint
  expect(ComplaintListSchema.parse((await get(`/staff/api/complaints?q=${refs.old.toLowerCase()}`)).json).items[0].reference).toBe(refs.old);
  // what the citizen says after filing becomes searchable too
  const detail = ComplaintDetailSchema.parse((await get(`/staff/api/complaints/${refs.recent}`)).json);
  await t.app.transcripts.logActivity({
    type: 'message',
    channelId: 'emulator',
    conversation: { id: detail.conversationId },
    from: { id: 'citizen', role: 'user' },
    recipient: { id: 'bot' },
    text: 'Nog een aanvulling over de fietsenstalling',
  } as never);
  await t.app.transcripts.flush();
  expect(ComplaintListSchema.parse((await get('/staff/api/complaints?q=fietsenstalling')).json).items.map((c) => c.reference)).toEqual([refs.recent]);
});

test('one complaint: fields, deadlines from Dutch working days, history and transcript in order', async () => {
  const res = await get(`/staff/api/complaints/${refs.phone}`);
  expect(res.status).toBe(200);
  const c = ComplaintDetailSchema.parse(res.json);
  expect(c).toMatchObject({ reference: refs.phone, status: 'received', contact: { phone: '+31612345678', postcode: '1182 JR' }, history: [] });
  const expected = complaintDeadlines(day(-8));
  expect(c.deadlines).toMatchObject({ ...expected, decisionDue: expected.decideBy, extended: false });
  // received on Monday 16 November and still 'received' on Tuesday 24th: the 4 working days are over
  expect(c.deadlines.contactOverdue).toBe(true);
  expect(c.deadlines.decisionOverdue).toBe(false);
  expect(c.transcript.map((a) => [a.from?.role, a.text])).toEqual([
    ['user', 'Goedemiddag'],
    ['bot', 'Antwoord 1 van de bot'],
    ['user', 'Mijn buurman Pietersen heeft hetzelfde meegemaakt met de afdeling vergunningen'],
    ['bot', 'Antwoord 2 van de bot'],
  ]);
  expect((await get('/staff/api/complaints/KL-2026-ZZZZZZ')).status).toBe(404);
  expect((await get('/staff/api/complaints/not-a-reference')).status).toBe(404);
});

test('overdue: flagged and filterable; the day of the deadline itself is still in time', async () => {
  const overdue = ComplaintListSchema.parse((await get('/staff/api/complaints?overdue=true')).json);
  // old (60 days: past 6 weeks) and phone (8 days, still received); care (20 days, informal) and recent (1 day) are not
  expect(overdue.items.map((c) => c.reference).sort()).toEqual([refs.old, refs.phone].sort());
  expect(overdue.items.every((c) => c.deadlines.overdue)).toBe(true);
  const inTime = ComplaintListSchema.parse((await get('/staff/api/complaints?overdue=false')).json);
  expect(inTime.items.map((c) => c.reference).sort()).toEqual([refs.care, refs.recent].sort());

  const recent = ComplaintDetailSchema.parse((await get(`/staff/api/complaints/${refs.recent}`)).json);
  const contactBy = recent.deadlines.contactBy;
  t.clock.now = new Date(`${contactBy}T21:00:00Z`); // 22:00 in Amsterdam on the deadline day
  try {
    expect(ComplaintDetailSchema.parse((await get(`/staff/api/complaints/${refs.recent}`)).json).deadlines.contactOverdue).toBe(false);
    expect(ComplaintListSchema.parse((await get('/staff/api/complaints?overdue=true')).json).items.map((c) => c.reference)).not.toContain(refs.recent);
    t.clock.now = new Date(`${contactBy}T23:30:00Z`); // 00:30 the next day in Amsterdam
    const next = ComplaintDetailSchema.parse((await get(`/staff/api/complaints/${refs.recent}`)).json).deadlines;
    expect(next.contactOverdue).toBe(true);
    expect(ComplaintListSchema.parse((await get('/staff/api/complaints?overdue=true')).json).items.map((c) => c.reference)).toContain(refs.recent);
  } finally {
    t.clock.now = T0;
  }
});

test('status workflow: received -> informal -> formal -> resolved, with who, when and a note', async () => {
  const ref = refs.recent;
  const bad = await change(`/staff/api/complaints/${ref}/status`, { status: 'resolved', note: 'klaar', outcome: 'gegrond' }, officer);
  expect(bad.status).toBe(409);
  expect(bad.json.error).toBe('invalid_transition');
  expect((await change(`/staff/api/complaints/${ref}/status`, { status: 'informal' }, officer)).status).toBe(400); // note required
  expect((await change(`/staff/api/complaints/${ref}/status`, { status: 'closed', note: 'x' }, officer)).status).toBe(400);

  t.clock.now = new Date('2026-11-24T10:00:00Z');
  const informal = await change(`/staff/api/complaints/${ref}/status`, { status: 'informal', note: 'Doorgestuurd naar Burgerzaken' }, officer);
  expect(informal.status).toBe(200);
  const c1 = ComplaintDetailSchema.parse(informal.json);
  expect(c1.status).toBe('informal');
  expect(c1.deadlines.contactOverdue).toBe(false);
  expect(c1.history).toEqual([
    { at: '2026-11-24T10:00:00.000Z', actor: 'a.devries', kind: 'status', from: 'received', to: 'informal', note: 'Doorgestuurd naar Burgerzaken' },
  ]);
  t.clock.now = new Date('2026-11-25T10:00:00Z');
  await change(`/staff/api/complaints/${ref}/status`, { status: 'formal', note: 'Inwoner niet tevreden' }, officer);
  const ext = await change(`/staff/api/complaints/${ref}/extension`, { note: 'Hoorzitting nodig' }, officer);
  expect(ext.status).toBe(200);
  const c2 = ComplaintDetailSchema.parse(ext.json);
  expect(c2.deadlines.extended).toBe(true);
  expect(c2.deadlines.decisionDue).toBe(c2.deadlines.decideByExtended);
  expect((await change(`/staff/api/complaints/${ref}/extension`, { note: 'nog eens' }, officer)).json.error).toBe('already_extended');
  t.clock.now = new Date('2026-11-26T10:00:00Z');
  const done = ComplaintDetailSchema.parse((await change(`/staff/api/complaints/${ref}/status`, { status: 'resolved', note: 'Excuses aangeboden', outcome: 'gegrond' })).json);
  expect(done.status).toBe('resolved');
  expect(done.resolvedAt).toBe('2026-11-26T10:00:00.000Z');
  expect(done.deadlines.overdue).toBe(false);
  expect(done.history.map((h) => [h.actor, h.kind, h.from, h.to])).toEqual([
    ['a.devries', 'status', 'received', 'informal'],
    ['a.devries', 'status', 'informal', 'formal'],
    ['a.devries', 'extension', null, null],
    ['token:ops', 'status', 'formal', 'resolved'],
  ]);
  expect((await change(`/staff/api/complaints/${ref}/status`, { status: 'formal', note: 'heropenen' })).status).toBe(409);
  const resolved = ComplaintListSchema.parse((await get('/staff/api/complaints?status=resolved')).json);
  expect(resolved.items.map((c) => c.reference)).toEqual([ref]);
  t.clock.now = T0;
});

test('call-back queue: open requests by preferred time, marked done once', async () => {
  const origin = (conversationId: string) => ({ locale: 'nl' as const, channel: 'emulator', conversationId });
  const later = await t.app.complaints.requestCallback({ name: 'Els Bakker', phone: '0201234567', date: '2026-11-27', partOfDay: 'morning' }, origin('cb-1'), 'cb-1');
  const afternoon = await t.app.complaints.requestCallback({ name: 'Piet Smit', phone: '0612345678', date: '2026-11-26', partOfDay: 'afternoon' }, origin('cb-2'), 'cb-2');
  const morning = await t.app.complaints.requestCallback({ name: 'Ans Visser', phone: '0612345679', date: '2026-11-26', partOfDay: 'morning' }, origin('cb-3'), 'cb-3');
  const open = await get('/staff/api/callbacks');
  expect(open.status).toBe(200);
  expect(open.json.items.map((c: { id: number }) => c.id)).toEqual([morning, afternoon, later]);
  expect(open.json.items[0]).toMatchObject({ name: 'Ans Visser', phone: '+31612345679', status: 'open', doneBy: null });
  const done = await post(`/staff/api/callbacks/${afternoon}/done`, { note: 'Gebeld, opgelost' }, officer);
  expect(done.status).toBe(200);
  expect((await post(`/staff/api/callbacks/${afternoon}/done`, {}, officer)).status).toBe(409);
  expect((await post('/staff/api/callbacks/99999/done', {}, officer)).status).toBe(404);
  expect((await get('/staff/api/callbacks')).json.items.map((c: { id: number }) => c.id)).toEqual([morning, later]);
  const doneList = await get('/staff/api/callbacks?status=done');
  expect(doneList.json.items).toEqual([expect.objectContaining({ id: afternoon, status: 'done', doneBy: 'a.devries', doneAt: T0.toISOString() })]);
});

test('audit log: every read and change, who and what, never complaint content; staff can list it', async () => {
  const token = await idp.token({ sub: 'u-999', preferred_username: 'b.auditor' });
  await get(`/staff/api/complaints/${refs.care}`, token);
  await get(`/staff/api/complaints/${refs.care}/transcript`, token);
  await get('/staff/api/complaints?q=thuiszorg&status=informal', token);
  const res = await get(`/staff/api/audit?actor=b.auditor`);
  expect(res.status).toBe(200);
  const entries = res.json.items as { actor: string; via: string; action: string; references: string[]; detail: Record<string, unknown>; at: string }[];
  expect(entries.map((e) => [e.action, e.references])).toEqual([
    ['complaint.list', [refs.care]],
    ['transcript.read', [refs.care]],
    ['complaint.read', [refs.care]],
  ]);
  expect(entries.every((e) => e.actor === 'b.auditor' && e.via === 'oidc' && e.at === T0.toISOString())).toBe(true);
  expect(entries[0].detail).toMatchObject({ count: 1, filters: { status: 'informal', search: true } });

  const byRef = (await get(`/staff/api/audit?reference=${refs.recent}&limit=500`)).json.items as { action: string; actor: string }[];
  expect(byRef.map((e) => e.action)).toEqual(expect.arrayContaining(['complaint.status', 'complaint.extend', 'complaint.read', 'complaint.list']));
  expect(byRef.filter((e) => e.action === 'complaint.status').map((e) => e.actor)).toEqual(['token:ops', 'a.devries', 'a.devries']);

  // nothing of the content: stories, names, phone numbers, notes, search text
  const all = JSON.stringify((await get('/staff/api/audit?limit=500')).json);
  for (const secret of ['thuiszorg', 'Jan Jansen', '+31612345678', '1182 JR', 'Dorpsstraat', 'Excuses aangeboden', 'Pietersen', 'Gebeld', 'Els Bakker']) {
    expect(all).not.toContain(secret);
  }
  // listing the audit log is itself audited
  const own = (await get('/staff/api/audit?action=audit.list')).json.items;
  expect(own.length).toBeGreaterThan(0);
  expect(await t.app.staff.audit.list({ action: 'callback.done' })).toMatchObject({ items: [{ actor: 'a.devries', detail: { callback: expect.any(Number) } }] });
});
