/**
 * The mail plugins against a real SMTP server started in the test (smtp-server), the mails read back
 * with mailparser: content in both languages, the tagged complaint PDF attached, no personal data in
 * the officers' mail unless turned on, exactly one mail after a 4xx and a retry, nothing sent again
 * once a send is recorded, a 5xx permanent, errors without personal data, the digest.
 */
import type { AddressInfo } from 'net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { exampleComplaint } from '../../src/delivery/pdf/exampleComplaint';
import { createMailPlugins, createMailer, mapSmtpError, MailError, type Mailer } from '../../src/delivery/mail';
import { escapeHtml } from '../../src/delivery/mail/templates';
import type { Complaint, StoredCallback } from '../../src/domain/complaint';
import { PermanentDeliveryError, type Delivery, type DeliveryContext, type DeliveryDeps, type DeliveryPlugin, type DeliverySubject, type DeliveryTarget } from '../../src/delivery/types';
import { loadConfig } from '../../src/config';
import { loadMunicipality } from '../../src/municipality';

const municipality = loadMunicipality();
const NOW = new Date('2026-11-24T10:00:00Z');

/** A real SMTP server on a free port; `reply` decides per command what it answers. */
class TestSmtp {
  received: ParsedMail[] = [];
  raw: string[] = [];
  envelopes: { from: string; to: string[] }[] = [];
  /** an SMTP error for RCPT TO or DATA, or nothing to accept */
  failRcpt: { code: number; message: string } | undefined;
  failData: { code: number; message: string } | undefined;
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, cb) => {
        if (this.failRcpt) {
          const err = new Error(`${this.failRcpt.message} <${address.address}>`) as Error & { responseCode: number };
          err.responseCode = this.failRcpt.code;
          return cb(err);
        }
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.failData) {
            const err = new Error(this.failData.message) as Error & { responseCode: number };
            err.responseCode = this.failData.code;
            return cb(err);
          }
          const raw = Buffer.concat(chunks);
          this.raw.push(raw.toString('utf8'));
          this.envelopes.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          simpleParser(raw)
            .then((mail) => {
              this.received.push(mail);
              cb();
            })
            .catch(cb);
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let smtp: TestSmtp;
let mailer: Mailer;
let plugins: Record<string, DeliveryPlugin>;

function pluginsFor(env: Record<string, string>, m: Mailer = mailer): Record<string, DeliveryPlugin> {
  const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', SMTP_URL: smtp.url(), MAIL_FROM: 'Gemeente Amstelveen <noreply@amstelveen.example>', ...env });
  return Object.fromEntries(createMailPlugins(config, m).map((p) => [p.target, p]));
}

beforeAll(async () => {
  smtp = await new TestSmtp().start();
  mailer = createMailer({ SMTP_URL: smtp.url(), MAIL_FROM: 'Gemeente Amstelveen <noreply@amstelveen.example>', MAIL_TIMEOUT_MS: 5000 })!;
  plugins = pluginsFor({});
});

afterAll(async () => {
  mailer.close();
  await smtp.stop();
});

beforeEach(() => {
  smtp.received = [];
  smtp.raw = [];
  smtp.envelopes = [];
  smtp.failData = undefined;
  smtp.failRcpt = undefined;
});

interface Fixture {
  complaints?: Complaint[];
  callbacks?: StoredCallback[];
  failed?: Delivery[];
  /** DeliveryDeps.receivedAt: when the gemeente received a complaint entered by staff */
  receivedAt?: Record<string, string>;
}

let nextId = 1;

/** A DeliveryContext over an in-memory row; `state` survives between attempts like the outbox row's. */
function row(target: DeliveryTarget, subject: DeliverySubject, fixture: Fixture = {}) {
  const delivery: Delivery = {
    id: nextId++,
    subject,
    target,
    status: 'sending',
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    state: {},
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    sentAt: null,
  };
  const deps: DeliveryDeps = {
    municipality,
    complaint: async (ref) => fixture.complaints?.find((c) => c.reference === ref),
    callback: async (id) => fixture.callbacks?.find((c) => c.id === id),
    transcript: async () => [],
    staffLink: (ref) => `https://klachten.example.nl/staff/#/complaints/${ref}`,
    failedSince: async () => fixture.failed ?? [],
    now: () => NOW,
  };
  if (fixture.receivedAt) Object.assign(deps, { receivedAt: async (ref: string) => fixture.receivedAt?.[ref] });
  const saves: Record<string, unknown>[] = [];
  const ctx = (): DeliveryContext => ({
    delivery: { ...delivery, state: { ...delivery.state } },
    state: { ...delivery.state },
    save: async (s) => {
      saves.push(s);
      delivery.state = { ...delivery.state, ...s };
    },
    signal: new AbortController().signal,
    deps,
  });
  return {
    delivery,
    saves,
    attempt: async (plugin: DeliveryPlugin) => {
      delivery.attempts++;
      await plugin.deliver(ctx());
    },
  };
}

/** The PDF's bytes as text (object dictionaries are plain text in pdfkit's output). */
const pdfText = (b: Buffer) => b.toString('latin1');

test('mail.citizen in Dutch: reference, what they told, what happens next with the dates, klachtenfunctionaris, ombudsman, the tagged PDF attached', async () => {
  const complaint = exampleComplaint('nl', { story: 'Ik belde drie keer <script>alert(1)</script> & niemand belde terug over mijn vergunning.' });
  const r = row('mail.citizen', { kind: 'complaint', reference: complaint.reference }, { complaints: [complaint] });
  await r.attempt(plugins['mail.citizen']);
  expect(smtp.received).toHaveLength(1);
  const mail = smtp.received[0];
  expect(smtp.envelopes[0]).toEqual({ from: 'noreply@amstelveen.example', to: ['sam@example.org'] });
  expect(mail.subject).toBe('Wij hebben uw klacht ontvangen (KL-2026-VB1234)');
  expect(mail.replyTo?.text).toBe('klacht@amstelveen.nl');
  expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
  const text = mail.text ?? '';
  expect(text).toContain('Beste Sam de Voorbeeld,');
  expect(text).toContain('KL-2026-VB1234');
  expect(text).toContain('dinsdag 24 november 2026 om 10.41 uur');
  expect(text).toContain('Wat u ons vertelde');
  expect(text).toContain('niemand belde terug');
  // the period as a period, with the citizen's words
  expect(text).toContain('week 46 (9–15 november 2026) (u schreef: vorige week)');
  // 4 working days after Tuesday 24 November: Monday 30 November; 6 weeks: Tuesday 5 January 2027
  expect(text).toContain('Uiterlijk op maandag 30 november 2026 neemt een medewerker contact met u op.');
  expect(text).toContain('uiterlijk op dinsdag 5 januari 2027 een brief');
  expect(text).toContain('020 540 49 11');
  expect(text).toContain('klacht@amstelveen.nl');
  expect(text).toContain('Ombudsman Metropool Amsterdam');
  // HTML: the language, every citizen value escaped, links only for the gemeente's own URLs
  const html = String(mail.html);
  expect(html).toContain('<html lang="nl">');
  expect(html).toContain(escapeHtml('<script>alert(1)</script>'));
  expect(html).not.toContain('<script>');
  expect(html).toContain('<a href="https://www.ombudsmanmetropool.nl">');
  expect(html).toMatch(/<th scope="row"[^>]*>Wanneer<\/th>/);
  // the complaint as a tagged PDF
  expect(mail.attachments).toHaveLength(1);
  const pdf = mail.attachments[0];
  expect(pdf.contentType).toBe('application/pdf');
  expect(pdf.filename).toBe('klacht-KL-2026-VB1234.pdf');
  expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdfText(pdf.content)).toContain('/StructTreeRoot');
  expect(pdfText(pdf.content)).toContain('/MarkInfo');
  expect(pdfText(pdf.content)).toContain('/Lang (nl-NL)');
  // idempotency state: the Message-ID saved before the send, sentAt after
  expect(r.saves[0]).toEqual({ messageId: `<mail.citizen.${r.delivery.id}.KL-2026-VB1234@amstelveen.example>` });
  expect(r.saves[1]).toEqual({ messageId: r.saves[0].messageId, sentAt: NOW.toISOString() });
  expect(mail.messageId).toBe(r.saves[0].messageId);
});

test('mail.citizen in English for a citizen who spoke English, with the call-back they asked for', async () => {
  const complaint = exampleComplaint('en', { callback: { name: 'Sam de Voorbeeld', phone: '+31612345678', date: '2026-11-26', partOfDay: 'morning' } });
  const r = row('mail.citizen', { kind: 'complaint', reference: complaint.reference }, { complaints: [complaint] });
  await r.attempt(plugins['mail.citizen']);
  const mail = smtp.received[0];
  expect(mail.subject).toBe('We have received your complaint (KL-2026-VB1234)');
  const text = mail.text ?? '';
  expect(text).toContain('Dear Sam de Voorbeeld,');
  expect(text).toContain('What happens next?');
  expect(text).toContain('By Monday 30 November 2026 at the latest');
  expect(text).toContain('You asked us to call you: Thursday 26 November 2026, morning');
  expect(text).toContain('Ombudsman Metropool Amsterdam');
  expect(String(mail.html)).toContain('<html lang="en">');
  expect(mail.attachments[0].filename).toBe('complaint-KL-2026-VB1234.pdf');
  expect(pdfText(mail.attachments[0].content)).toContain('/Lang (en-GB)');
});

const PERSONAL = ['Sam de Voorbeeld', 'sam@example.org', '06 12345678', '+31612345678', 'Voorbeeldstraat', '1234 AB', 'parkeervergunning'];

test('mail.officers: reference and staff link, NO personal data by default; present when MAIL_OFFICERS_PERSONAL_DATA=true', async () => {
  const complaint = exampleComplaint('nl');
  const subject = { kind: 'complaint', reference: complaint.reference } as const;
  await row('mail.officers', subject, { complaints: [complaint] }).attempt(plugins['mail.officers']);
  const mail = smtp.received[0];
  expect(smtp.envelopes[0].to).toEqual(['klacht@amstelveen.nl']);
  expect(mail.subject).toBe('Nieuwe klacht KL-2026-VB1234');
  const all = `${mail.subject}\n${mail.text}\n${mail.html}\n${smtp.raw[0]}`;
  expect(all).toContain('https://klachten.example.nl/staff/#/complaints/KL-2026-VB1234');
  expect(mail.text).toContain('Neem uiterlijk op maandag 30 november 2026 contact op');
  for (const p of PERSONAL) expect(all).not.toContain(p);
  expect(mail.attachments).toHaveLength(0);

  const withData = pluginsFor({ MAIL_OFFICERS_PERSONAL_DATA: 'true', MAIL_OFFICERS_TO: 'team@amstelveen.example, back@amstelveen.example' });
  await row('mail.officers', subject, { complaints: [complaint] }).attempt(withData['mail.officers']);
  const second = smtp.received[1];
  expect(smtp.envelopes[1].to).toEqual(['team@amstelveen.example', 'back@amstelveen.example']);
  for (const p of ['Sam de Voorbeeld', 'sam@example.org', '06 12345678', 'Voorbeeldstraat 1, 1234 AB Amstelveen', 'parkeervergunning']) expect(second.text).toContain(p);
});

test('mail.officers for a call-back: reference, day and part of day, the link; name, phone and topic only when turned on', async () => {
  const callback: StoredCallback = {
    id: 7,
    reference: 'TB-2026-VB5678',
    complaintReference: null,
    name: 'Sam de Voorbeeld',
    phone: '+31612345678',
    date: '2026-11-26',
    partOfDay: 'afternoon',
    topic: 'parkeervergunning',
    locale: 'nl',
    channel: 'webchat',
    conversationId: 'c',
    status: 'open',
    createdAt: NOW.toISOString(),
  };
  const subject = { kind: 'callback', reference: callback.reference, id: 7 } as const;
  await row('mail.officers', subject, { callbacks: [callback] }).attempt(plugins['mail.officers']);
  const mail = smtp.received[0];
  expect(mail.subject).toBe('Terugbelverzoek TB-2026-VB5678');
  expect(mail.text).toContain('donderdag 26 november 2026, middag');
  expect(mail.text).toContain('https://klachten.example.nl/staff/#/callbacks');
  for (const p of PERSONAL) expect(`${mail.text}\n${mail.html}`).not.toContain(p);
  await row('mail.officers', subject, { callbacks: [callback] }).attempt(pluginsFor({ MAIL_OFFICERS_PERSONAL_DATA: 'true' })['mail.officers']);
  expect(smtp.received[1].text).toContain('Sam de Voorbeeld');
  expect(smtp.received[1].text).toContain('parkeervergunning');
});

test('a 4xx is retried: no mail, the Message-ID kept; the retry sends exactly one mail; a recorded send is never sent again', async () => {
  const complaint = exampleComplaint('nl');
  const r = row('mail.citizen', { kind: 'complaint', reference: complaint.reference }, { complaints: [complaint] });
  smtp.failData = { code: 451, message: '4.3.0 Temporary failure, try again' };
  const err = await r.attempt(plugins['mail.citizen']).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MailError);
  expect(err).not.toBeInstanceOf(PermanentDeliveryError);
  expect((err as Error).message).toBe('SMTP 451 4.3.0 (DATA)');
  expect(smtp.received).toHaveLength(0);
  expect(r.delivery.state).toEqual({ messageId: expect.stringMatching(/^<mail\.citizen\./) });

  smtp.failData = undefined;
  await r.attempt(plugins['mail.citizen']);
  await r.attempt(plugins['mail.citizen']); // the worker retrying after a crash before it marked the row sent
  expect(smtp.received).toHaveLength(1);
  expect(smtp.received[0].messageId).toBe(r.delivery.state.messageId);
  expect(r.delivery.state.sentAt).toBe(NOW.toISOString());
});

test('a 5xx is permanent, and the stored error names no address', async () => {
  const complaint = exampleComplaint('nl');
  smtp.failRcpt = { code: 550, message: '5.1.1 Recipient address rejected' };
  const err = await row('mail.citizen', { kind: 'complaint', reference: complaint.reference }, { complaints: [complaint] })
    .attempt(plugins['mail.citizen'])
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PermanentDeliveryError);
  expect((err as Error).message).toBe('SMTP 550 5.1.1 (RCPT TO)');
  expect((err as Error).message).not.toContain('example.org');
  expect(smtp.received).toHaveLength(0);
});

test('a server that is down: retried, with a message without personal data', async () => {
  const down = createMailer({ SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: 'noreply@amstelveen.example', MAIL_TIMEOUT_MS: 2000 })!;
  const complaint = exampleComplaint('nl');
  const err = await row('mail.citizen', { kind: 'complaint', reference: complaint.reference }, { complaints: [complaint] })
    .attempt(pluginsFor({}, down)['mail.citizen'])
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MailError);
  expect((err as Error).message).toBe('SMTP connection refused');
});

test('SMTP errors are mapped without the server text: 503 and 4xx retried, 5xx permanent, time-outs named', () => {
  const perm = mapSmtpError({ responseCode: 552, response: '552 5.3.4 Message too big for sam@example.org', command: 'DATA' });
  expect(perm).toBeInstanceOf(PermanentDeliveryError);
  expect(perm.message).toBe('SMTP 552 5.3.4 (DATA)');
  expect(mapSmtpError({ responseCode: 503, response: '503 Bad sequence', command: 'RCPT TO:<sam@example.org>' })).toBeInstanceOf(MailError);
  expect(mapSmtpError({ responseCode: 503, command: 'RCPT TO:<sam@example.org>' }).message).toBe('SMTP 503 (RCPT TO)');
  expect(mapSmtpError({ code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }).message).toBe('SMTP timeout (greeting)');
  expect(mapSmtpError({ code: 'EENVELOPE', rejectedErrors: [{ responseCode: 550, response: '550 5.1.1 <sam@example.org> unknown', command: 'RCPT TO' }] }).message).toBe('SMTP 550 5.1.1 (RCPT TO)');
});

test('wants(): a complaint without an e-mail address gets no mail.citizen row; officers get complaints and call-backs; the digest only digests', () => {
  const complaint = { kind: 'complaint', reference: 'KL-2026-AAAAAA' } as const;
  expect(plugins['mail.citizen'].wants(complaint, { email: null })).toBe(false);
  expect(plugins['mail.citizen'].wants(complaint, { email: 'sam@example.org' })).toBe(true);
  expect(plugins['mail.citizen'].wants({ kind: 'callback', reference: 'TB-2026-AAAAAA', id: 1 }, { email: 'sam@example.org' })).toBe(false);
  expect(plugins['mail.officers'].wants(complaint, { email: null })).toBe(true);
  expect(plugins['mail.officers'].wants({ kind: 'callback', reference: 'TB-2026-AAAAAA', id: 1 }, { email: null })).toBe(true);
  expect(plugins['mail.digest'].wants({ kind: 'digest', day: '2026-11-24' }, { email: null })).toBe(true);
  expect(plugins['mail.digest'].wants(complaint, { email: null })).toBe(false);
  // no SMTP_URL: no mail plugins at all
  expect(createMailPlugins(loadConfig({ DATABASE_URL: 'sqlite::memory:' }))).toEqual([]);
});

test('a complaint purged before its mail went out: permanent, nothing sent', async () => {
  const err = await row('mail.citizen', { kind: 'complaint', reference: 'KL-2026-GONE00' }).attempt(plugins['mail.citizen']).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PermanentDeliveryError);
  expect(smtp.received).toHaveLength(0);
});

test('mail.digest: failed deliveries of the last day with references, targets, last errors and links; none: no mail', async () => {
  const failed = (id: number, subject: DeliverySubject, target: DeliveryTarget, lastError: string): Delivery => ({
    id, subject, target, status: 'failed', attempts: 577, nextAttemptAt: null, lastError, state: {}, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), sentAt: null,
  });
  const rows = [
    failed(11, { kind: 'complaint', reference: 'KL-2026-AAAAAA' }, 'zgw', 'HTTP 503 from the Zaken API'),
    failed(12, { kind: 'callback', reference: 'TB-2026-BBBBBB', id: 3 }, 'mail.officers', 'SMTP 550 5.1.1 (RCPT TO)'),
  ];
  const subject = { kind: 'digest', day: '2026-11-24' } as const;
  await row('mail.digest', subject, { failed: rows }).attempt(plugins['mail.digest']);
  const mail = smtp.received[0];
  expect(smtp.envelopes[0].to).toEqual(['klacht@amstelveen.nl']);
  expect(mail.subject).toBe('Mislukte verzendingen: 2 (dag 2026-11-24)');
  expect(mail.text).toContain('KL-2026-AAAAAA: zgw, 577 pogingen, laatste fout: HTTP 503 from the Zaken API');
  expect(mail.text).toContain('https://klachten.example.nl/staff/#/complaints/KL-2026-AAAAAA');
  expect(mail.text).toContain('TB-2026-BBBBBB: mail.officers, 577 pogingen, laatste fout: SMTP 550 5.1.1 (RCPT TO)');
  expect(mail.text).toContain('https://klachten.example.nl/staff/#/deliveries');

  const empty = row('mail.digest', subject, { failed: [] });
  await empty.attempt(plugins['mail.digest']);
  expect(smtp.received).toHaveLength(1);
});

test('a complaint entered by staff from a letter received earlier: the mails and the PDF say that day, and the terms count from it', async () => {
  const complaint = exampleComplaint('nl');
  const fixture = { complaints: [complaint], receivedAt: { [complaint.reference]: '2026-11-16T08:00:00.000Z' } };
  await row('mail.citizen', { kind: 'complaint', reference: complaint.reference }, fixture).attempt(plugins['mail.citizen']);
  const text = smtp.received[0].text ?? '';
  expect(text).toContain('ontvangen op maandag 16 november 2026 om 09.00 uur');
  // 4 working days after Monday 16 November: Friday 20 November; 6 weeks: Monday 28 December
  expect(text).toContain('Uiterlijk op vrijdag 20 november 2026');
  expect(text).toContain('uiterlijk op maandag 28 december 2026 een brief');
  await row('mail.officers', { kind: 'complaint', reference: complaint.reference }, fixture).attempt(plugins['mail.officers']);
  expect(smtp.received[1].text).toContain('binnengekomen op maandag 16 november 2026 om 09.00 uur');
});

test('DKIM: with domain, selector and key set, every mail carries a DKIM-Signature for that domain', async () => {
  const { generateKeyPairSync } = await import('crypto');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const signed = createMailer({
    SMTP_URL: smtp.url(),
    MAIL_FROM: 'noreply@amstelveen.example',
    MAIL_DKIM_DOMAIN: 'amstelveen.example',
    MAIL_DKIM_SELECTOR: 'klachtbot',
    // the way .env holds a PEM on one line
    MAIL_DKIM_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
  })!;
  try {
    await signed.send({ to: 'team@amstelveen.example', subject: 'Proef', text: 'Proef', messageId: '<dkim.1@amstelveen.example>' });
  } finally {
    signed.close();
  }
  expect(smtp.raw[0]).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256;[^]*d=amstelveen\.example;[^]*s=klachtbot;/m);
});

test('configuration: MAIL_FROM is required with SMTP_URL; DKIM needs domain, selector and key together', () => {
  expect(() => loadConfig({ DATABASE_URL: 'sqlite::memory:', SMTP_URL: 'smtp://127.0.0.1:2525' })).toThrow(/MAIL_FROM: required when SMTP_URL is set/);
  expect(() => loadConfig({ DATABASE_URL: 'sqlite::memory:', SMTP_URL: 'http://x', MAIL_FROM: 'a@b.nl' })).toThrow(/SMTP_URL/);
  expect(() => loadConfig({ DATABASE_URL: 'sqlite::memory:', MAIL_DKIM_DOMAIN: 'b.nl' })).toThrow(/MAIL_DKIM_DOMAIN, MAIL_DKIM_SELECTOR and MAIL_DKIM_PRIVATE_KEY/);
  const ok = loadConfig({ DATABASE_URL: 'sqlite::memory:', SMTP_URL: 'smtp://u:p@127.0.0.1:2525', MAIL_FROM: 'Gemeente <a@b.nl>' });
  expect(ok).toMatchObject({ MAIL_OFFICERS_PERSONAL_DATA: false, MAIL_TIMEOUT_MS: 20000 });
});

test('a server that accepts the connection but never greets: a time-out, retried', async () => {
  const net = await import('net');
  const sockets: import('net').Socket[] = [];
  const silent = net.createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as AddressInfo).port;
  const slow = createMailer({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'noreply@amstelveen.example', MAIL_TIMEOUT_MS: 1000 })!;
  try {
    const err = await slow.send({ to: 'team@amstelveen.example', subject: 'Proef', text: 'Proef', messageId: '<t.1@amstelveen.example>' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailError);
    expect((err as Error).message).toBe('SMTP timeout (greeting)');
  } finally {
    slow.close();
    sockets.forEach((s) => s.destroy());
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('the worker’s time-out aborts a send in progress (ctx.signal): retried, and nothing was recorded as sent', async () => {
  const complaint = exampleComplaint('nl');
  const r = row('mail.officers', { kind: 'complaint', reference: complaint.reference }, { complaints: [complaint] });
  const controller = new AbortController();
  const hold = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, onData: (stream) => stream.resume() /* never answers */ });
  await new Promise<void>((resolve) => hold.listen(0, '127.0.0.1', resolve));
  const holding = createMailer({ SMTP_URL: `smtp://127.0.0.1:${(hold.server.address() as AddressInfo).port}`, MAIL_FROM: 'noreply@amstelveen.example', MAIL_TIMEOUT_MS: 10_000 })!;
  try {
    const p = pluginsFor({}, holding)['mail.officers'];
    const ctx = {
      delivery: r.delivery,
      state: {},
      save: async (s: Record<string, unknown>) => void Object.assign(r.delivery.state, s),
      signal: controller.signal,
      deps: { municipality, complaint: async () => complaint, callback: async () => undefined, transcript: async () => [], staffLink: (x: string) => x, failedSince: async () => [], now: () => NOW },
    } as DeliveryContext;
    setTimeout(() => controller.abort(new Error('timeout')), 300);
    const started = Date.now();
    const err = await p.deliver(ctx).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err).toBeInstanceOf(MailError);
    expect((err as Error).message).toBe('SMTP aborted');
    expect(r.delivery.state).toEqual({ messageId: expect.any(String) });
  } finally {
    holding.close();
    await new Promise<void>((resolve) => hold.close(() => resolve()));
  }
});
