/**
 * E-mail end to end (issue 13): the real app (createApp: real HTTP, real SQLite store, the outbox
 * worker, the mail plugins loaded from the configuration) with SMTP_URL pointing at a real SMTP server
 * started here. A citizen files through the conversation and gets the reference at once; the
 * confirmation (with the PDF) and the officers' alert arrive. With a server that answers 451: retried,
 * then the process restarts (app closed, opened again on the same database), and in the end exactly
 * one mail of each arrived.
 */
import type { AddressInfo } from 'net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { loadMunicipality } from '../../src/municipality';
import { Channel } from '../../src/tools/channel';
import { NOW, tempDbFile } from '../helpers/harness';
import { DUTCH_TO_SUMMARY_RECOGNISED } from '../helpers/script';
import { input, origin } from '../store/contract/fixtures';

let received: { mail: ParsedMail; to: string[] }[] = [];
let failData: number | undefined;
let attemptsAtData = 0;
let server: SMTPServer;
let smtpUrl = '';
let db: ReturnType<typeof tempDbFile>;
let app: App | undefined;
let now = NOW;

// generous waits: other test files may load the 2 cores at the same time
jest.setTimeout(60_000);

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        attemptsAtData++;
        if (failData) return cb(Object.assign(new Error('4.3.0 try again later'), { responseCode: failData }));
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            received.push({ mail, to: session.envelope.rcptTo.map((r) => r.address) });
            cb();
          })
          .catch(cb);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  db = tempDbFile();
  received = [];
  failData = undefined;
  attemptsAtData = 0;
  now = NOW;
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  db.cleanup();
});

async function start(): Promise<{ app: App; base: string }> {
  const config = loadConfig({
    DATABASE_URL: `sqlite:${db.file}`,
    PORT: '0',
    LOG_LEVEL: 'silent',
    SMTP_URL: smtpUrl,
    MAIL_FROM: 'Gemeente Amstelveen <noreply@amstelveen.example>',
    MAIL_TIMEOUT_MS: '5000',
    STAFF_PUBLIC_URL: 'https://klachten.example.nl',
    DELIVERY_RETRY_MINUTES: '5',
  });
  const a = await createApp(config, loadMunicipality(), { log: createLogger('silent'), clock: () => now, deliveryPollMs: 100 });
  return { app: a, base: `http://127.0.0.1:${await a.listen(0)}` };
}

const toCitizen = () => received.filter((r) => r.to.includes('jan@example.org'));
const toOfficers = () => received.filter((r) => r.to.includes('klacht@amstelveen.nl'));

test('a citizen files in the conversation with an e-mail address: the reference at once, then the confirmation with the PDF and the officers’ alert without personal data', async () => {
  const started = await start();
  app = started.app;
  const channel = await new Channel(started.base).start();
  let reference: string | undefined;
  try {
    const conv = 'mail-e2e-1';
    await channel.join(conv);
    const steps = DUTCH_TO_SUMMARY_RECOGNISED.map(([text, expected]) => (text === '06 12345678' ? (['jan@example.org', /Dit is uw klacht.*Klopt alles/s] as const) : ([text, expected] as const)));
    for (const [text, expected] of steps) {
      const { replies } = await channel.say(conv, text);
      expect(replies.map((r) => r.text).join('\n')).toMatch(expected);
    }
    const t0 = Date.now();
    const done = await channel.say(conv, 'Ja, versturen');
    // the reference comes at once: the conversation does not wait for the SMTP server
    expect(Date.now() - t0).toBeLessThan(3000);
    reference = /KL-2026-[A-Z0-9]{6}/.exec(done.replies.map((r) => r.text).join('\n'))?.[0];
    expect(reference).toBeDefined();
  } finally {
    await channel.stop();
  }
  await until(() => toCitizen().length === 1 && toOfficers().length === 1, 'both mails');
  const citizen = toCitizen()[0].mail;
  expect(citizen.subject).toBe(`Wij hebben uw klacht ontvangen (${reference})`);
  expect(citizen.text).toContain('Beste Jan Jansen,');
  expect(citizen.text).toContain('paspoort');
  expect(citizen.attachments[0].content.subarray(0, 5).toString()).toBe('%PDF-');
  expect(citizen.attachments[0].content.toString('latin1')).toContain('/StructTreeRoot');
  const officers = toOfficers()[0].mail;
  expect(officers.subject).toBe(`Nieuwe klacht ${reference}`);
  expect(officers.text).toContain(`https://klachten.example.nl/staff/#/complaints/${reference}`);
  for (const p of ['Jan Jansen', 'jan@example.org', 'Dorpsstraat', 'paspoort']) expect(`${officers.text}${officers.html}`).not.toContain(p);
  // a row is marked sent after the server's 250 has come back, a moment after the mail arrived there
  const a = app;
  const subject = [{ kind: 'complaint' as const, reference: reference! }];
  await until(async () => (await a.store.outbox.listBySubjects(subject)).every((r) => r.status === 'sent'), 'both rows marked sent');
  const rows = await app.store.outbox.listBySubjects(subject);
  expect(rows.map((r) => [r.target, r.status]).sort()).toEqual([
    ['mail.citizen', 'sent'],
    ['mail.officers', 'sent'],
  ]);
  expect(rows.find((r) => r.target === 'mail.citizen')?.state).toEqual({ messageId: citizen.messageId, sentAt: expect.any(String) });
});

test('the SMTP server answers 451: retried with back-off, the process restarts, and exactly one mail of each arrives', async () => {
  failData = 451;
  let started = await start();
  app = started.app;
  const { reference } = await app.complaints.file({ ...input, contact: { ...input.contact, email: 'jan@example.org' } }, origin, 'mail-e2e-retry');
  const a1 = app;
  const rowsOf = () => a1.store.outbox.listBySubjects([{ kind: 'complaint', reference }]);
  await until(async () => (await rowsOf()).every((r) => r.attempts >= 1 && r.status === 'pending'), 'the first attempts to fail');
  for (const r of await rowsOf()) expect(r.lastError).toBe('SMTP 451 4.3.0 (DATA)');
  // five minutes later: the second attempts, failing again
  now = new Date(NOW.getTime() + 6 * 60_000);
  await until(async () => (await rowsOf()).every((r) => r.attempts >= 2 && r.status === 'pending'), 'the second attempts to fail');
  expect(received).toHaveLength(0);

  // the process stops and starts again on the same database; the server accepts again
  await app.close();
  app = undefined;
  failData = undefined;
  now = new Date(NOW.getTime() + 12 * 60_000);
  started = await start();
  app = started.app;
  const a2 = app;
  await until(async () => (await a2.store.outbox.listBySubjects([{ kind: 'complaint', reference }])).every((r) => r.status === 'sent'), 'both rows sent');
  // later polls and later days send nothing more
  now = new Date(NOW.getTime() + 24 * 3_600_000);
  await new Promise((r) => setTimeout(r, 600));
  expect(toCitizen()).toHaveLength(1);
  expect(toOfficers()).toHaveLength(1);
  expect(received).toHaveLength(2);
  expect(attemptsAtData).toBe(6); // 2 rows x (2 refused + 1 accepted)
  const rows = await a2.store.outbox.listBySubjects([{ kind: 'complaint', reference }]);
  for (const r of rows) expect(r.attempts).toBe(3);
});
