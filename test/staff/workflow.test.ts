/**
 * The officer's workflow over real HTTP on the real app (SQLite): versions (ETag / If-Match, 428, 412
 * with the current complaint), assignment, notes, documents, status with outcome, reopen, manual entry,
 * the handler role, counts, meta, due soon, call-back outcomes, the one error shape, and search on
 * phone numbers, postcodes, references without prefix and word prefixes.
 */
jest.mock('jose', () => require('module')._load(require.resolve('jose'), null, false));

import { createHash } from 'crypto';
import http from 'http';
import { complaintDeadlines } from '../../src/domain/workingDays';
import { ComplaintDetailSchema, ComplaintListSchema } from '../../src/staff/schemas';
import { describePg } from '../helpers/pg';
import { API_TOKEN, API_TOKEN_ENTRY, request, seedComplaint, startApp, type TestApp } from './helpers';

const HANDLER_TOKEN = 'handler-token-0123456789abcdef';
const HANDLER_ENTRY = `wijk:${createHash('sha256').update(HANDLER_TOKEN).digest('hex')}:handler`;

/** Tuesday 24 November 2026, 10:00 in Amsterdam. */
const T0 = new Date('2026-11-24T09:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);

let t: TestApp;
const refs: Record<string, string> = {};


const get = (path: string, token = API_TOKEN) => request(t.base, 'GET', path, { token });
const post = (path: string, body: unknown, version?: number | string, token = API_TOKEN) =>
  request(t.base, 'POST', path, { token, body, headers: version === undefined ? {} : { 'if-match': typeof version === 'number' ? `"${version}"` : version } });
const version = async (ref: string) => Number(String((await get(`/staff/api/complaints/${ref}`)).headers.etag).replace(/"/g, ''));

function raw(method: string, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${t.base}${path}`, { method, headers: { authorization: `Bearer ${API_TOKEN}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The whole workflow on one backend: `env` gives DATABASE_URL for PostgreSQL (SQLite: the test app's file). */
function workflow(env: () => Record<string, string>): void {
  beforeAll(async () => {
    for (const k of Object.keys(refs)) delete refs[k];
    t = await startApp({ STAFF_API_TOKENS: `${API_TOKEN_ENTRY},${HANDLER_ENTRY}`, ...env() }, day(-30));
    refs.a = (
      await seedComplaint(t.app, {
        input: {
          story: 'Ik moest heel lang wachten aan de balie van het stadhuis.',
          contact: { name: 'Piet Pieters', phone: '06 87654321', street: 'Laan 1', postcode: '1185 XE', city: 'Amstelveen', email: 'piet@example.nl' },
        },
        said: ['Mijn nummer is 06-11112222 van de buurvrouw'],
      })
    ).reference;
    t.clock.now = day(-10);
    refs.b = (
      await seedComplaint(t.app, {
        input: { story: 'De medewerker aan de telefoon was onvriendelijk tegen mij.', contact: { name: 'Ans Ansen', phone: '0611112222', street: 'Weg 2', postcode: '1181AA', city: 'Amstelveen', email: null } },
      })
    ).reference;
    t.clock.now = T0;
  });

  afterAll(async () => {
    await t.close();
  });

  test('GET answers an ETag with the version; a change without If-Match is 428, with a stale one 412 with the current complaint', async () => {
    const res = await get(`/staff/api/complaints/${refs.a}`);
    expect(res.status).toBe(200);
    const c = ComplaintDetailSchema.parse(res.json);
    expect(res.headers.etag).toBe(`"${c.version}"`);
    expect(c).toMatchObject({ version: 1, assignee: null, intakeChannel: 'chat', outcome: null, timeline: [] });

    const missing = await post(`/staff/api/complaints/${refs.a}/notes`, { text: 'gebeld, geen gehoor' });
    expect(missing.status).toBe(428);
    expect(missing.json).toEqual({ error: 'precondition_required', message: expect.stringMatching(/versie/) });

    const ok = await post(`/staff/api/complaints/${refs.a}/notes`, { text: 'gebeld, geen gehoor' }, 1);
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.json.timeline).toEqual([expect.objectContaining({ kind: 'note', note: 'gebeld, geen gehoor', actor: 'token:ops' })]);

    // a colleague changed it: the old version is stale
    const stale = await post(`/staff/api/complaints/${refs.a}/assignment`, { assignee: 'a.devries' }, 1);
    expect(stale.status).toBe(412);
    expect(stale.json).toMatchObject({ error: 'stale', message: expect.stringMatching(/^Een collega heeft deze klacht intussen gewijzigd/), current: { reference: refs.a, version: 2 } });
    expect(stale.headers.etag).toBe('"2"');
    expect((await post(`/staff/api/complaints/${refs.a}/assignment`, { assignee: 'a.devries' }, 'W/"2"')).status).toBe(200);
    expect((await post(`/staff/api/complaints/${refs.a}/notes`, { text: 'x' }, 'garbage')).status).toBe(412);
  });

  test('two officers at once on one version: exactly one change goes through', async () => {
    const v = await version(refs.b);
    const results = await Promise.all([
      post(`/staff/api/complaints/${refs.b}/notes`, { text: 'eerste' }, v),
      post(`/staff/api/complaints/${refs.b}/notes`, { text: 'tweede' }, v),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
  });

  test('assignment, status with outcome and ground, reopen with a reason; all on the timeline and in the audit log', async () => {
    const ref = (await seedComplaint(t.app, { input: { story: 'De gemeente reageerde niet op mijn brief over de boom.' } })).reference;
    let v = await version(ref);
    const assigned = await post(`/staff/api/complaints/${ref}/assignment`, { assignee: 'a.devries', department: 'Openbare Ruimte', handler: 'token:wijk' }, v);
    expect(assigned.json).toMatchObject({ assignee: 'a.devries', department: 'Openbare Ruimte', handler: 'token:wijk' });
    v = assigned.json.version;
    expect((await post(`/staff/api/complaints/${ref}/assignment`, { department: 'Afdeling Onbekend' }, v)).json.error).toBe('unknown_department');

    const formal = await post(`/staff/api/complaints/${ref}/status`, { status: 'formal', note: 'formeel', category: 'bereikbaarheid' }, v);
    expect(formal.status).toBe(200);
    v = formal.json.version;
    const noOutcome = await post(`/staff/api/complaints/${ref}/status`, { status: 'resolved', note: 'klaar' }, v);
    expect(noOutcome.status).toBe(400);
    expect(noOutcome.json.error).toBe('outcome_required');
    const noGround = await post(`/staff/api/complaints/${ref}/status`, { status: 'resolved', note: 'klaar', outcome: 'niet_in_behandeling' }, v);
    expect(noGround.json.error).toBe('ground_required');
    const resolved = await post(`/staff/api/complaints/${ref}/status`, { status: 'resolved', note: 'klaar', outcome: 'niet_in_behandeling', outcomeGround: 'ouder_dan_een_jaar' }, v);
    expect(resolved.status).toBe(200);
    expect(resolved.json).toMatchObject({ status: 'resolved', outcome: 'niet_in_behandeling', outcomeGround: 'ouder_dan_een_jaar', category: 'bereikbaarheid' });
    expect(resolved.json.resolvedAt).toEqual(expect.any(String));
    v = resolved.json.version;

    expect((await post(`/staff/api/complaints/${ref}/reopen`, {}, v)).json).toMatchObject({ error: 'invalid_body', fields: { reason: 'Vul dit in.' } });
    const reopened = await post(`/staff/api/complaints/${ref}/reopen`, { reason: 'De inwoner belde: het is toch niet opgelost.' }, v);
    expect(reopened.json).toMatchObject({ status: 'formal', outcome: null, outcomeGround: null, resolvedAt: null });
    expect(reopened.json.timeline.map((e: { kind: string }) => e.kind)).toEqual(['assignment', 'status', 'status', 'reopen']);
    expect(reopened.json.history.map((e: { kind: string }) => e.kind)).toEqual(['status', 'status']);
    expect((await post(`/staff/api/complaints/${ref}/reopen`, { reason: 'nog eens' }, reopened.json.version)).json.error).toBe('not_resolved');
    const audit = await t.app.staff.audit.list({ reference: ref });
    expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(['complaint.assign', 'complaint.status', 'complaint.reopen']));
    expect(JSON.stringify(audit.items)).not.toMatch(/niet opgelost/); // notes are never in the audit log
  });

  test('documents: type and size checked, stored with the complaint, read back audited', async () => {
    const v = await version(refs.b);
    const pdf = Buffer.from('%PDF-1.4\n% brief van de inwoner\n');
    const up = await post(`/staff/api/complaints/${refs.b}/documents`, { filename: 'brief.pdf', contentType: 'application/pdf', description: 'Brief van de inwoner', dataBase64: pdf.toString('base64') }, v);
    expect(up.status).toBe(200);
    const doc = up.json.documents[0];
    expect(doc).toMatchObject({ filename: 'brief.pdf', contentType: 'application/pdf', size: pdf.length });
    expect(up.json.timeline.at(-1)).toMatchObject({ kind: 'document', data: { documentId: doc.id, filename: 'brief.pdf' } });
    const back = await get(`/staff/api/complaints/${refs.b}/documents/${doc.id}`);
    expect(back.status).toBe(200);
    expect(back.headers['content-type']).toBe('application/pdf');
    expect(back.text).toBe(pdf.toString());
    expect((await t.app.staff.audit.list({ action: 'document.read' })).items[0]).toMatchObject({ references: [refs.b], detail: { document: doc.id } });
    const exe = await post(`/staff/api/complaints/${refs.b}/documents`, { filename: 'virus.exe', contentType: 'application/octet-stream', dataBase64: 'AAAA' }, up.json.version);
    expect(exe.status).toBe(415);
    expect(exe.json.error).toBe('document_type');
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 65).toString('base64');
    const tooBig = await post(`/staff/api/complaints/${refs.b}/documents`, { filename: 'groot.txt', contentType: 'text/plain', dataBase64: big }, up.json.version);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json).toMatchObject({ error: 'document_too_large', message: expect.stringMatching(/10 MB/) });
    expect((await get(`/staff/api/complaints/${refs.b}/documents/99999`)).status).toBe(404);
  });

  test('manual entry: the same fields and checks as the bot, the channel recorded, terms from receivedAt; Dutch field errors', async () => {
    const bad = await post('/staff/api/complaints', { route: 'complaint', story: 'kort', channel: 'fax', contact: { name: 'A', street: '', postcode: '12', city: 'X' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid_body');
    expect(bad.json.fields).toMatchObject({ story: 'Dit is te kort.', channel: 'Kies een van de mogelijkheden.', place: 'Vul dit in.' });
    expect(bad.json.message).toMatch(/^Niet alle gegevens kloppen/);

    const receivedAt = day(-3).toISOString(); // Saturday 21 November
    const created = await post('/staff/api/complaints', {
      route: 'complaint',
      story: 'Belde op: de vuilnisbak is al drie weken niet geleegd in onze straat.',
      place: 'Kastanjelaan',
      contact: { name: 'Karel de Boer', phone: '020 1234567', street: 'Kastanjelaan 3', postcode: '1181 AB', city: 'Amstelveen', email: null },
      channel: 'phone',
      receivedAt,
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ reference: expect.stringMatching(/^KL-2026-/) });
    const c = ComplaintDetailSchema.parse((await get(`/staff/api/complaints/${created.json.reference}`)).json);
    expect(c).toMatchObject({ intakeChannel: 'phone', receivedAt, status: 'received', contact: { phone: '+31201234567', postcode: '1181 AB' } });
    expect(c.deadlines.contactBy).toBe(complaintDeadlines(new Date(receivedAt)).contactBy);
    const phone = ComplaintListSchema.parse((await get('/staff/api/complaints?channel=phone')).json);
    expect(phone.items.map((i) => i.reference)).toEqual([created.json.reference]);
  });

  test('a handler (klachtbehandelaar) sees only what is assigned to them and may only add notes and documents', async () => {
    const ref = (await seedComplaint(t.app, { input: { story: 'De wijkagent van de gemeente kwam niet opdagen bij de afspraak.' } })).reference;
    const v = await version(ref);
    await post(`/staff/api/complaints/${ref}/assignment`, { handler: 'token:wijk' }, v);
    const mine = ComplaintListSchema.parse((await get('/staff/api/complaints', HANDLER_TOKEN)).json);
    expect(mine.items.map((i) => i.reference)).toContain(ref);
    expect(mine.items.every((i) => i.handler === 'token:wijk')).toBe(true);
    expect(mine.items.length).toBeLessThan(ComplaintListSchema.parse((await get('/staff/api/complaints')).json).items.length);
    expect((await get(`/staff/api/complaints/${refs.a}`, HANDLER_TOKEN)).status).toBe(404);
    const detail = await get(`/staff/api/complaints/${ref}`, HANDLER_TOKEN);
    expect(detail.status).toBe(200);
    const note = await post(`/staff/api/complaints/${ref}/notes`, { text: 'Voorstel: gegrond', proposedOutcome: 'gegrond' }, detail.json.version, HANDLER_TOKEN);
    expect(note.status).toBe(200);
    expect(note.json.timeline.at(-1)).toMatchObject({ kind: 'note', data: { proposedOutcome: 'gegrond' }, actor: 'token:wijk' });
    const status = await post(`/staff/api/complaints/${ref}/status`, { status: 'formal', note: 'x' }, note.json.version, HANDLER_TOKEN);
    expect(status.status).toBe(403);
    expect(status.json).toEqual({ error: 'forbidden', message: expect.any(String) });
    expect((await get('/staff/api/callbacks', HANDLER_TOKEN)).status).toBe(403);
    expect((await get('/staff/api/me', HANDLER_TOKEN)).json.roles).toEqual(['handler']);
  });

  test('counts, meta, mine and due soon (sort=deadline)', async () => {
    const counts = await get('/staff/api/counts');
    expect(counts.status).toBe(200);
    expect(counts.json).toEqual({ new: expect.any(Number), dueThisWeek: expect.any(Number), overdue: expect.any(Number), mine: 0 });
    expect(counts.json.new).toBeGreaterThanOrEqual(2);
    const meta = (await get('/staff/api/meta')).json;
    expect(meta.outcomes.map((o: { code: string }) => o.code)).toEqual(['gegrond', 'deels_gegrond', 'ongegrond', 'niet_in_behandeling', 'opgelost_informeel', 'ingetrokken']);
    expect(meta.outcomeGrounds).toContainEqual({ code: 'ouder_dan_een_jaar', label: expect.stringMatching(/9:8 lid 1 b/) });
    expect(meta.categories.map((c: { code: string }) => c.code)).toEqual(['bejegening', 'bereikbaarheid', 'wachttijd', 'informatievoorziening', 'besluitvorming', 'overig']);
    expect(meta.departments.length).toBeGreaterThan(0);
    expect(meta.channels.map((c: { code: string }) => c.code)).toEqual(['chat', 'phone', 'letter', 'email', 'counter']);
    const mine = ComplaintListSchema.parse((await get('/staff/api/complaints?assignee=a.devries')).json);
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((i) => i.assignee === 'a.devries')).toBe(true);
    const due = ComplaintListSchema.parse((await get('/staff/api/complaints?sort=deadline&limit=50')).json);
    const deadlines = due.items.map((i) => i.deadline!);
    expect(deadlines.every(Boolean)).toBe(true);
    expect([...deadlines].sort()).toEqual(deadlines);
    expect(due.items.every((i) => i.status !== 'resolved')).toBe(true);
    const soon = ComplaintListSchema.parse((await get('/staff/api/complaints?dueWithinDays=0')).json);
    expect(soon.items.every((i) => i.deadline! <= '2026-11-24')).toBe(true);
  });

  test('call-backs: not reached (attempts), rescheduled, reached with its note; missed ones flagged; language and conversation shown', async () => {
    const filed = await t.app.store.callbacks.file({
      request: { name: 'Jan Jansen', phone: '+31612345678', date: '2026-11-23', partOfDay: 'morning' },
      origin: { locale: 'en', channel: 'directline', conversationId: 'cb-conv-1' },
      idempotencyKey: 'cb-1',
    });
    const list = async () => (await get('/staff/api/callbacks')).json.items.find((c: { id: number }) => c.id === filed.id);
    expect(await list()).toMatchObject({ missed: true, attempts: 0, locale: 'en', conversationId: 'cb-conv-1', complaintReference: null });
    // a call-back-only request links to its conversation
    const conv = await get(`/staff/api/callbacks/${filed.id}/transcript`);
    expect(conv.status).toBe(200);
    expect(conv.json).toEqual([]);
    expect((await t.app.staff.audit.list({ action: 'transcript.read' })).items[0]).toMatchObject({ detail: { callback: filed.id } });
    expect((await post(`/staff/api/callbacks/${filed.id}/outcome`, { outcome: 'not_reached', note: 'geen gehoor' })).json).toEqual({ id: filed.id, outcome: 'not_reached', status: 'open' });
    expect(await list()).toMatchObject({ attempts: 1, lastOutcome: 'not_reached', note: 'geen gehoor', status: 'open' });
    expect((await post(`/staff/api/callbacks/${filed.id}/outcome`, { outcome: 'rescheduled' })).json.error).toBe('reschedule_needs_date');
    await post(`/staff/api/callbacks/${filed.id}/outcome`, { outcome: 'rescheduled', date: '2026-11-26', partOfDay: 'afternoon' });
    expect(await list()).toMatchObject({ attempts: 2, lastOutcome: 'rescheduled', date: '2026-11-26', partOfDay: 'afternoon', missed: false });
    await post(`/staff/api/callbacks/${filed.id}/outcome`, { outcome: 'reached', note: 'Gesproken, uitgelegd' });
    const done = (await get('/staff/api/callbacks?status=done')).json.items.find((c: { id: number }) => c.id === filed.id);
    expect(done).toMatchObject({ status: 'done', note: 'Gesproken, uitgelegd', attempts: 3, lastOutcome: 'reached', missed: false });
    expect((await post(`/staff/api/callbacks/${filed.id}/outcome`, { outcome: 'reached' })).status).toBe(409);
  });


  test('one error shape everywhere under /staff/api: bad JSON, unsupported media type, unknown route, wrong method, auth, field errors', async () => {
    const shape = { error: expect.any(String), message: expect.any(String) };
    const badJson = await raw('POST', `/staff/api/complaints/${refs.a}/notes`, '{"text": ', { 'content-type': 'application/json', 'if-match': '"1"' });
    expect(badJson).toEqual({ status: 400, json: { error: 'invalid_json', message: 'Het verzoek is geen geldige JSON.' } });
    const xml = await raw('POST', `/staff/api/complaints/${refs.a}/notes`, '<note/>', { 'content-type': 'application/xml', 'if-match': '"1"' });
    expect(xml).toEqual({ status: 415, json: { error: 'unsupported_media_type', message: expect.stringMatching(/JSON/) } });
    const noRoute = await get('/staff/api/nothing-here');
    expect(noRoute.status).toBe(404);
    expect(noRoute.json).toEqual({ error: 'route_not_found', message: expect.any(String) });
    const method = await request(t.base, 'DELETE', `/staff/api/complaints/${refs.a}`, { token: API_TOKEN });
    expect(method.status).toBe(405);
    expect(method.json).toEqual({ error: 'method_not_allowed', message: expect.any(String) });
    const noToken = await request(t.base, 'GET', '/staff/api/complaints');
    expect(noToken.json).toEqual({ error: 'no_token', message: 'Log in om verder te gaan.' });
    const wrongToken = await get('/staff/api/complaints', 'wrong');
    expect(wrongToken.json).toEqual({ error: 'invalid_token', message: 'Deze inlogcode werkt niet. Log opnieuw in.' });
    const noNote = await post(`/staff/api/complaints/${refs.a}/extension`, {}, await version(refs.a));
    expect(noNote.json).toEqual({ ...shape, error: 'invalid_body', fields: { note: 'Vul dit in.' } });
    expect(noNote.json.message).toMatch(/note: Vul dit in\./);
    const unknown = await post(`/staff/api/complaints/${refs.a}/notes`, { text: 'x', extra: 1 }, await version(refs.a));
    expect(unknown.json.fields).toEqual({ extra: 'Dit veld kent de API niet.' });
    const badQuery = await get('/staff/api/complaints?status=lost');
    expect(badQuery.json).toEqual({ ...shape, error: 'invalid_query', fields: { status: 'Kies een van de mogelijkheden.' } });
  });

  test('search: a phone number in any form finds that complaint only; postcode with or without space; reference without prefix; prefix of the last word', async () => {
    const find = async (q: string) => ComplaintListSchema.parse((await get(`/staff/api/complaints?q=${encodeURIComponent(q)}`)).json).items.map((i) => i.reference);
    for (const q of ['+31687654321', '0687654321', '06-87654321', '06 87 65 43 21', '+31 6 87654321']) expect(await find(q)).toEqual([refs.a]);
    // 06-11112222 is b's contact number; a's citizen typed it in the conversation, but it is not a's number
    expect(await find('0611112222')).toEqual([refs.b]);
    expect(await find('1185 XE')).toEqual([refs.a]);
    expect(await find('1185xe')).toEqual([refs.a]);
    expect(await find('1181 aa')).toEqual([refs.b]);
    expect(await find(refs.a.slice(8))).toEqual([refs.a]);
    expect(await find(refs.a.slice(8).toLowerCase())).toEqual([refs.a]);
    expect(await find(refs.a.slice(3))).toEqual([refs.a]); // 2026-XXXXXX
    expect(await find('wacht')).toEqual([refs.a]); // prefix of 'wachten'
    expect(await find('balie stadh')).toEqual([refs.a]);
    expect(await find('stadh balie')).toEqual([]); // only the last word is a prefix
  });
}

describe('workflow [sqlite]', () => workflow(() => ({})));
describePg('workflow [postgres]', (pg) => workflow(() => ({ DATABASE_URL: pg.url })));
