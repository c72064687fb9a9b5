/**
 * The background thread (src/delivery/background): the compiled worker (dist/, built by `npm test`'s tsc)
 * renders the same PDF as the main thread, sends mail to a real SMTP server (smtp-server, read back with
 * mailparser), keeps the main thread's error kinds (a 550 is permanent, an abort is retried), runs at nice
 * 19 on Linux while the main thread keeps its priority, and a thread that dies fails only its own jobs.
 */
import os from 'os';
import path from 'path';
import type { AddressInfo } from 'net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { BackgroundThread } from '../../src/delivery/background/thread';
import { MailError } from '../../src/delivery/mail/mailer';
import { exampleComplaint } from '../../src/delivery/pdf/exampleComplaint';
import { renderHere } from '../../src/delivery/pdf/jobs';
import { PermanentDeliveryError } from '../../src/delivery/types';
import { loadMunicipality } from '../../src/municipality';
import { ensureBuilt, ROOT } from '../helpers/serverProcess';

const municipality = loadMunicipality();
const SCRIPT = path.join(ROOT, 'dist', 'src', 'delivery', 'background', 'worker.js');
let thread: BackgroundThread;
let smtp: SMTPServer;
let port = 0;
const received: ParsedMail[] = [];
let answer: 'ok' | 'reject' | 'hang' = 'ok';

beforeAll(async () => {
  await ensureBuilt();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, _session, cb) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (answer === 'hang') return; // never answers the DATA
        if (answer === 'reject') return cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        simpleParser(Buffer.concat(chunks)).then((mail) => {
          received.push(mail);
          cb();
        }, cb);
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
}, 120_000);

beforeEach(() => {
  thread = new BackgroundThread(SCRIPT);
  received.length = 0;
  answer = 'ok';
});

afterEach(() => thread.close());
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

const config = () => ({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Gemeente Amstelveen <noreply@amstelveen.example>', MAIL_TIMEOUT_MS: 5000 });

test('the thread renders the very same complaint PDF as the main thread (byte for byte), in both languages', async () => {
  for (const locale of ['nl', 'en'] as const) {
    const job = { kind: 'complaint' as const, complaint: exampleComplaint(locale), municipality };
    const there = await thread.renderPdf(job);
    expect(there.subarray(0, 5).toString()).toBe('%PDF-');
    expect(there.equals(await renderHere(job))).toBe(true);
  }
});

test('on Linux the thread runs at nice 19 and the main thread keeps its own priority', async () => {
  const before = os.getPriority();
  const theirs = await thread.priority();
  expect(theirs).toBe(process.platform === 'linux' ? 19 : before);
  expect(os.getPriority()).toBe(before);
});

test('mail sent from the thread arrives with its PDF attachment; a 550 is permanent; an abort stops a send that hangs', async () => {
  const pdf = await thread.renderPdf({ kind: 'complaint', complaint: exampleComplaint('nl'), municipality });
  const sent = await thread.sendMail(config(), {
    to: 'inwoner@example.nl',
    subject: 'Ontvangstbevestiging',
    text: 'Wij hebben uw klacht ontvangen.',
    messageId: '<bg.1@amstelveen.example>',
    attachments: [{ filename: 'klacht.pdf', content: pdf, contentType: 'application/pdf' }],
  });
  expect(sent.messageId).toBe('<bg.1@amstelveen.example>');
  expect(received).toHaveLength(1);
  expect(received[0]).toMatchObject({ subject: 'Ontvangstbevestiging', messageId: '<bg.1@amstelveen.example>' });
  expect(received[0].attachments[0]).toMatchObject({ filename: 'klacht.pdf', contentType: 'application/pdf' });
  expect(received[0].attachments[0].content.equals(pdf)).toBe(true);

  answer = 'reject';
  const refused = await thread.sendMail(config(), { to: 'x@example.nl', subject: 'x', text: 'x', messageId: '<bg.2@amstelveen.example>' }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(PermanentDeliveryError);
  expect((refused as Error).message).toMatch(/^SMTP 550/);

  answer = 'hang';
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 300);
  const started = Date.now();
  const aborted = await thread.sendMail(config(), { to: 'x@example.nl', subject: 'x', text: 'x', messageId: '<bg.3@amstelveen.example>', signal: controller.signal }).catch((e: unknown) => e);
  expect(Date.now() - started).toBeLessThan(4000);
  expect(aborted).toBeInstanceOf(MailError);
  expect(aborted).not.toBeInstanceOf(PermanentDeliveryError);
});

test('a thread that stops fails its jobs in progress (to be retried); the next job starts a new thread', async () => {
  answer = 'hang';
  const pending = thread.sendMail(config(), { to: 'x@example.nl', subject: 'x', text: 'x', messageId: '<bg.4@amstelveen.example>' }).catch((e: unknown) => e);
  await new Promise((r) => setTimeout(r, 200));
  await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  const err = await pending;
  expect(err).toBeInstanceOf(MailError);
  expect((err as Error).message).toMatch(/background thread stopped/);
  answer = 'ok';
  const pdf = await thread.renderPdf({ kind: 'complaint', complaint: exampleComplaint('en'), municipality });
  expect(pdf.length).toBeGreaterThan(1000);
});

test('the annual report PDF (charts and tables) is made in the thread too, byte for byte the main thread’s', async () => {
  const lc = (label: string, count: number) => ({ key: label.toLowerCase(), label, count });
  const report = {
    year: 2026,
    generatedAt: '2026-12-01T09:00:00.000Z',
    total: 12,
    byCategory: [lc('Bejegening', 7), lc('Wachttijd', 5)],
    byDepartment: [lc('Burgerzaken', 12)],
    byChannel: [lc('Chat', 10), lc('Telefoon', 2)],
    byOutcome: [lc('Gegrond', 4), lc('Ongegrond', 3)],
    byStatus: [lc('Afgehandeld', 7), lc('Ontvangen', 5)],
    byHandling: [lc('Informeel', 8), lc('Formeel', 4)],
    informal: 8,
    formal: 4,
    closed: 7,
    closedWithinTerm: 6,
    withinTermShare: 0.857,
    medianDaysToClose: 11,
    referrals: { bezwaar: 3 },
    referralsTotal: 3,
    byReferral: [lc('Bezwaar', 3)],
  };
  const there = await thread.renderPdf({ kind: 'report', report, municipality });
  const here = await renderHere({ kind: 'report', report, municipality });
  expect(there.subarray(0, 5).toString()).toBe('%PDF-');
  expect(there.toString('latin1')).toContain('/StructTreeRoot');
  // dated when the figures were made: the same document byte for byte
  expect(there.equals(here)).toBe(true);
});
