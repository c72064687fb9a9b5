/**
 * Letters (Awb 9:6 receipt, 9:11 extension, 9:10 hearing, 9:12 decision) on the real app over HTTP:
 * tagged PDFs in the citizen's language, previews that store nothing, a stored letter with its timeline
 * event and If-Match, sending that puts exactly one row into the outbox in the same transaction, and
 * the 'mail.letter' plugin delivering it once, with the PDF attached, to a real SMTP server.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createDeliveryDeps } from '../../src/delivery/deps';
import { createLetterMailPlugin } from '../../src/delivery/mail/letter';
import { createMailer } from '../../src/delivery/mail/mailer';
import { DeliveryWorker } from '../../src/delivery/worker';
import { createLogger } from '../../src/logger';
import { loadMunicipality } from '../../src/municipality';
import { API_TOKEN, API_TOKEN_ENTRY, request, seedComplaint, startApp, type TestApp } from './helpers';

let t: TestApp;
let withEmail: string;
let withoutEmail: string;
let english: string;

function raw(method: string, pathname: string, opts: { body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = http.request(
      `${t.base}${pathname}`,
      {
        method,
        headers: { authorization: `Bearer ${API_TOKEN}`, ...(payload ? { 'content-type': 'application/json' } : {}), ...(opts.headers ?? {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const version = async (ref: string) => (await t.app.store.handling.get(ref))!.version;
const post = async (ref: string, body: unknown, ifMatch?: string) =>
  request(t.base, 'POST', `/staff/api/complaints/${ref}/letters`, { token: API_TOKEN, body, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });
const letterRows = async (ref: string) => (await t.app.store.outbox.listByReference(ref)).filter((d) => d.target === 'mail.letter');

function expectTaggedPdf(buf: Buffer, lang: 'nl-NL' | 'en-GB'): void {
  const pdf = buf.toString('latin1');
  expect(pdf.startsWith('%PDF-')).toBe(true);
  expect(pdf).toContain('/StructTreeRoot');
  expect(pdf).toContain('/MarkInfo');
  expect(pdf).toContain(`/Lang (${lang})`);
  expect(pdf).toMatch(/\/S \/H1/);
}

beforeAll(async () => {
  t = await startApp({ STAFF_API_TOKENS: API_TOKEN_ENTRY });
  const contact = { name: 'Els de Boer', phone: '06 12345678', street: 'Dorpsstraat 12', postcode: '1182 JR', city: 'Amstelveen' };
  withEmail = (await seedComplaint(t.app, { input: { contact: { ...contact, email: 'els@example.org' } } })).reference;
  withoutEmail = (await seedComplaint(t.app, { input: { contact: { ...contact, email: null } } })).reference;
  english = (
    await t.app.complaints.file(
      { ...(await t.app.store.complaints.getByReference(withEmail))!, contact: { ...contact, email: 'jo@example.org' } } as never,
      { locale: 'en', channel: 'emulator', conversationId: 'en-1' },
      'en-1/file',
    )
  ).reference;
});

afterAll(async () => {
  await t?.close();
});

test('preview: each kind as a tagged PDF in the citizen language; nothing stored; audited', async () => {
  for (const kind of ['receipt', 'extension', 'hearing', 'decision']) {
    const r = await raw('GET', `/staff/api/complaints/${withEmail}/letters/${kind}.pdf?hearingAt=2026-12-10T13:30:00Z&extensionReason=Wij%20wachten%20op%20de%20afdeling`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expectTaggedPdf(r.body, 'nl-NL');
  }
  expectTaggedPdf((await raw('GET', `/staff/api/complaints/${english}/letters/receipt.pdf`)).body, 'en-GB');
  expect(await t.app.store.letters.listByComplaint((await t.app.store.complaints.getByReference(withEmail))!.id)).toEqual([]);
  const audit = await t.app.store.audit.list({ action: 'letter.preview', limit: 10 });
  expect(audit.length).toBe(5);
  expect(audit[0].detail).toEqual({ kind: 'receipt' });
  const unknown = await request(t.base, 'GET', `/staff/api/complaints/${withEmail}/letters/invoice.pdf`, { token: API_TOKEN });
  expect(unknown.status).toBe(404);
  expect(unknown.json).toEqual({ error: 'not_found', message: expect.any(String) });
});

test('store: If-Match required and checked; the letter is kept, on the timeline, and sent into the outbox exactly once', async () => {
  expect((await post(withEmail, { kind: 'receipt', send: true })).status).toBe(428);
  const v = await version(withEmail);
  const stale = await post(withEmail, { kind: 'receipt', send: true }, `"${v + 7}"`);
  expect(stale.status).toBe(412);
  expect(stale.json).toMatchObject({ error: 'stale', message: expect.stringMatching(/collega/), current: { reference: withEmail } });
  expect(await letterRows(withEmail)).toEqual([]);

  const sent = await post(withEmail, { kind: 'receipt', send: true }, `"${v}"`);
  expect(sent.status).toBe(201);
  expect(sent.json.reference).toBe(withEmail);
  expect(sent.json.letter).toMatchObject({ kind: 'receipt', locale: 'nl', sentTo: 'els@example.org', createdBy: `token:ops`, reference: withEmail });
  expect(await version(withEmail)).toBe(v + 1);
  const timeline = await t.app.store.handling.timeline((await t.app.store.complaints.getByReference(withEmail))!.id);
  expect(timeline.filter((e) => e.kind === 'letter')).toEqual([
    expect.objectContaining({ kind: 'letter', actor: 'token:ops', data: { letterId: sent.json.letter.id, letterKind: 'receipt', sent: true } }),
  ]);
  const rows = await letterRows(withEmail);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ subject: { kind: 'letter', reference: withEmail, letterId: sent.json.letter.id }, target: 'mail.letter', status: 'pending' });

  // the same version again: stale (the letter changed the complaint), nothing more queued
  expect((await post(withEmail, { kind: 'receipt', send: true }, `"${v}"`)).status).toBe(412);
  // printed, not sent: stored and on the timeline, nothing queued
  const printed = await post(withEmail, { kind: 'hearing', send: false, hearingAt: '2026-12-10T13:30:00.000Z', hearingPlace: 'Raadhuis, kamer 2' }, `"${v + 1}"`);
  expect(printed.status).toBe(201);
  expect(printed.json.letter).toMatchObject({ kind: 'hearing', sentTo: null, details: { hearingAt: '2026-12-10T13:30:00.000Z', hearingPlace: 'Raadhuis, kamer 2' } });
  expect(await letterRows(withEmail)).toHaveLength(1);
  // without a place: the municipality file's hearing place
  const defaultPlace = await post(withEmail, { kind: 'hearing', send: false, hearingAt: '2026-12-11T09:00:00.000Z' }, `"${v + 2}"`);
  expect(defaultPlace.json.letter.details.hearingPlace).toBe('Raadhuis Amstelveen, Laan Nieuwer-Amstel 1, 1182 JR Amstelveen');

  const stored = await raw('GET', `/staff/api/letters/${sent.json.letter.id}.pdf`);
  expect(stored.status).toBe(200);
  expect(stored.body.equals((await t.app.store.letters.pdf(sent.json.letter.id))!)).toBe(true);
  expectTaggedPdf(stored.body, 'nl-NL');
  const list = await request(t.base, 'GET', `/staff/api/complaints/${withEmail}/letters`, { token: API_TOKEN });
  expect(list.json.items.map((l: { kind: string }) => l.kind)).toEqual(['receipt', 'hearing', 'hearing']);
  const audit = await t.app.store.audit.list({ action: 'letter.create', limit: 10 });
  expect(audit.map((a) => a.detail)).toEqual([
    { letter: defaultPlace.json.letter.id, kind: 'hearing', send: false },
    { letter: printed.json.letter.id, kind: 'hearing', send: false },
    { letter: sent.json.letter.id, kind: 'receipt', send: true },
  ]);
});

test('what a letter needs: an e-mail address to send, a date for a hearing, an outcome for a decision; Dutch errors', async () => {
  const v = await version(withoutEmail);
  const noEmail = await post(withoutEmail, { kind: 'receipt', send: true }, `"${v}"`);
  expect(noEmail.status).toBe(409);
  expect(noEmail.json).toEqual({ error: 'no_email', message: expect.stringMatching(/geen e-mailadres/) });
  const noDate = await post(withoutEmail, { kind: 'hearing', send: false }, `"${v}"`);
  expect(noDate.status).toBe(400);
  expect(noDate.json.message).toMatch(/datum en tijd/);
  const badKind = await post(withoutEmail, { kind: 'invoice', send: false }, `"${v}"`);
  expect(badKind.status).toBe(400);
  expect(badKind.json).toEqual({ error: 'invalid_body', message: 'Controleer: soort brief.' });
  const noOutcome = await post(withoutEmail, { kind: 'decision', send: false }, `"${v}"`);
  expect(noOutcome.status).toBe(409);
  expect(noOutcome.json.error).toBe('no_outcome');
  const c = (await t.app.store.complaints.getByReference(withoutEmail))!;
  await t.app.store.handling.apply({ id: c.id, expectedVersion: v, at: new Date().toISOString(), actor: 't', status: 'resolved', set: { outcome: 'gegrond' }, event: { kind: 'status', from: 'received', to: 'resolved' } });
  const decision = await post(withoutEmail, { kind: 'decision', send: false, findings: 'Wij hebben met de afdeling gesproken.', conclusions: 'Wij bellen u voortaan terug.' }, `"${v + 1}"`);
  expect(decision.status).toBe(201);
  expect(decision.json.letter.details).toEqual({ outcome: 'gegrond', findings: 'Wij hebben met de afdeling gesproken.', conclusions: 'Wij bellen u voortaan terug.' });
  expect((await request(t.base, 'GET', `/staff/api/letters/999999.pdf`, { token: API_TOKEN })).status).toBe(404);
  expect((await request(t.base, 'GET', `/staff/api/complaints/${withoutEmail}/letters/receipt.pdf`)).status).toBe(401);
});

test("the 'mail.letter' plugin sends the queued letter once, PDF attached, to a real SMTP server", async () => {
  const received: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream).then((m) => {
        received.push(m);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  const mailer = createMailer({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Gemeente Amstelveen <klacht@amstelveen.nl>' })!;
  const plugin = createLetterMailPlugin({ letters: t.app.store.letters, municipality: loadMunicipality(), mailer });
  const worker = new DeliveryWorker({
    store: t.app.store,
    plugins: [plugin],
    deps: createDeliveryDeps(t.app.store, loadMunicipality(), { clock: () => t.clock.now }),
    log: createLogger('silent'),
    clock: () => t.clock.now,
    timeoutMs: 10_000,
    retryMinutes: 5,
    retryHours: 48,
  });
  try {
    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0);
    expect(received).toHaveLength(1);
    const mail = received[0];
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('els@example.org');
    expect(mail.subject).toBe(`Wij hebben uw klacht ontvangen – klacht ${withEmail}`);
    expect(mail.messageId).toMatch(/^<mail\.letter\.\d+\.KL-\d{4}-[A-Z0-9]{6}@amstelveen\.nl>$/);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.text).toContain(withEmail);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0].contentType).toBe('application/pdf');
    expect(mail.attachments[0].filename).toBe(`${withEmail}-receipt.pdf`);
    const [row] = await letterRows(withEmail);
    expect(mail.attachments[0].content.equals((await t.app.store.letters.pdf((row.subject as { letterId: number }).letterId))!)).toBe(true);
    expect(row.status).toBe('sent');
    expect(row.state).toMatchObject({ messageId: mail.messageId, sentAt: expect.any(String) });
    // a retry by hand of a sent row changes nothing
    expect((await t.app.store.outbox.retry(row.id, t.clock.now.toISOString()))?.status).toBe('sent');
    expect(await worker.runOnce()).toBe(0);
    // an attempt whose state says sent (the row's status lagged behind) sends nothing
    const saved: Record<string, unknown>[] = [];
    const ctx = (state: Record<string, unknown>) => ({
      delivery: row,
      state,
      save: async (s: Record<string, unknown>) => void saved.push(s),
      signal: new AbortController().signal,
      deps: createDeliveryDeps(t.app.store, loadMunicipality()),
    });
    await plugin.deliver(ctx({ ...row.state }));
    expect(received).toHaveLength(1);
    // a crash after the Message-ID was saved but before the send: the retry sends with that same Message-ID
    await plugin.deliver(ctx({ messageId: '<letter-crash@amstelveen.nl>' }));
    expect(received).toHaveLength(2);
    expect(received[1].messageId).toBe('<letter-crash@amstelveen.nl>');
    expect(saved).toEqual([{ messageId: '<letter-crash@amstelveen.nl>', sentAt: expect.any(String) }]);
  } finally {
    mailer.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
});

test('configured with SMTP_URL, the app itself sends a letter queued by POST /letters (mail.letter wired into the delivery worker)', async () => {
  const received: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream).then((m) => {
        received.push(m);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  const app = await startApp({ STAFF_API_TOKENS: API_TOKEN_ENTRY, SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'klacht@amstelveen.nl' }, new Date());
  try {
    expect(app.app.delivery.registry.targets).toContain('mail.letter');
    const { reference } = await seedComplaint(app.app, {
      input: { contact: { name: 'Els de Boer', phone: '06 12345678', street: 'Dorpsstraat 12', postcode: '1182 JR', city: 'Amstelveen', email: 'els@example.org' } },
    });
    const v = (await app.app.store.handling.get(reference))!.version;
    const r = await request(app.base, 'POST', `/staff/api/complaints/${reference}/letters`, {
      token: API_TOKEN,
      body: { kind: 'extension', send: true, extensionReason: 'Wij wachten op een reactie van de afdeling.' },
      headers: { 'if-match': `"${v}"` },
    });
    expect(r.status).toBe(201);
    const deadline = Date.now() + 15_000;
    const isLetter = (m: ParsedMail) => m.subject?.startsWith('Wij hebben meer tijd nodig');
    while (!received.some(isLetter) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    const letters = received.filter(isLetter);
    expect(letters).toHaveLength(1);
    expect(letters[0].attachments.map((a) => a.filename)).toEqual([`${reference}-extension.pdf`]);
    const rows = (await app.app.store.outbox.listByReference(reference)).filter((d) => d.target === 'mail.letter');
    expect(rows.map((d) => d.status)).toEqual(['sent']);
  } finally {
    await app.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
});
