/**
 * E-mail over SMTP with nodemailer (issue 13). One Mailer for every mail the application sends
 * (mail.citizen, mail.officers, mail.digest, mail.letter).
 *
 * - SMTP_URL (smtp:// or smtps://, credentials in the URL); empty: no e-mail at all (createMailer
 *   returns undefined and no mail plugin is enabled).
 * - MAIL_FROM is the sender; DKIM signing when MAIL_DKIM_DOMAIN, MAIL_DKIM_SELECTOR and
 *   MAIL_DKIM_PRIVATE_KEY (or MAIL_DKIM_PRIVATE_KEY_FILE) are set.
 * - Explicit time-outs (MAIL_TIMEOUT_MS for connecting, the greeting and an idle socket), below the
 *   worker's DELIVERY_TIMEOUT_MS so an SMTP error is reported as itself, not as the worker's time-out.
 * - One connection per message (no pool): nothing to keep alive between deliveries minutes apart.
 *
 * Errors are mapped to short texts without personal data (the server's reply text often repeats the
 * recipient's address, so it is dropped): `SMTP 550 5.1.1 (RCPT TO)`, `SMTP connection refused`,
 * `SMTP timeout (greeting)`. A 5xx reply (except 503, a wrong session state) is permanent
 * (PermanentDeliveryError: the same message gets the same answer); a 4xx, 503 or a network error is
 * retried by the worker.
 */
import { threadMailer } from '../background/thread';
import { readFileSync } from 'fs';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { PermanentDeliveryError } from '../types';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  /** `<...@domain>`; the same for every attempt of one delivery */
  messageId: string;
  headers?: Record<string, string>;
  replyTo?: string;
  /** stops a send in progress (the worker's time-out) */
  signal?: AbortSignal;
}

export interface SentMail {
  messageId: string;
  /** the server's reply to DATA, e.g. "250 OK: queued as …" (no personal data in our tests' servers; not stored) */
  response: string;
}

export interface Mailer {
  readonly from: string;
  /** the domain of MAIL_FROM, for Message-IDs */
  readonly domain: string;
  send(message: MailMessage): Promise<SentMail>;
  close(): void;
}

/** The mail settings from Config (src/config.ts). */
export interface MailConfig {
  SMTP_URL?: string;
  MAIL_FROM?: string;
  MAIL_TIMEOUT_MS?: number;
  MAIL_DKIM_DOMAIN?: string;
  MAIL_DKIM_SELECTOR?: string;
  MAIL_DKIM_PRIVATE_KEY?: string;
  MAIL_DKIM_PRIVATE_KEY_FILE?: string;
}

/** An error from the mail path, its message safe to store and show to staff. Retried by the worker. */
export class MailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailError';
  }
}

const SAFE_COMMANDS = ['EHLO', 'HELO', 'STARTTLS', 'AUTH', 'MAIL FROM', 'RCPT TO', 'DATA', 'RSET', 'QUIT', 'CONN'];

interface SmtpErrorLike {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  timeoutType?: string;
  originalCode?: string;
  rejectedErrors?: SmtpErrorLike[];
}

/** 5xx is permanent, except 503 (bad sequence: the session's state, not the message). */
export function isPermanentSmtpCode(code: number): boolean {
  return code >= 500 && code < 600 && code !== 503;
}

/**
 * Maps a nodemailer error to an error whose message carries no personal data: the reply code, the
 * enhanced status code (RFC 3463) and the command, never the server's text or an address.
 */
export function mapSmtpError(err: unknown): Error {
  const e = (err ?? {}) as SmtpErrorLike;
  const inner = e.responseCode === undefined ? e.rejectedErrors?.find((r) => r.responseCode !== undefined) : undefined;
  const code = e.responseCode ?? inner?.responseCode;
  if (code !== undefined) {
    const reply = e.response ?? inner?.response ?? '';
    const enhanced = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply)?.[1];
    const rawCommand = (e.command ?? inner?.command ?? '').toUpperCase();
    const command = SAFE_COMMANDS.find((c) => rawCommand.startsWith(c));
    const text = `SMTP ${code}${enhanced ? ` ${enhanced}` : ''}${command ? ` (${command})` : ''}`;
    return isPermanentSmtpCode(code) ? new PermanentDeliveryError(text) : new MailError(text);
  }
  switch (e.code) {
    case 'ETIMEDOUT': {
      const what = { CONNECT_TIMEOUT: 'connect', GREETING_TIMEOUT: 'greeting', UPGRADE_TIMEOUT: 'tls', SOCKET_TIMEOUT: 'idle' }[e.timeoutType ?? ''];
      return new MailError(`SMTP timeout${what ? ` (${what})` : ''}`);
    }
    case 'EABORT':
      return new MailError('SMTP aborted');
    case 'EDNS':
      return new MailError('SMTP host not found');
    case 'ETLS':
      return new MailError('SMTP TLS failed');
    case 'EAUTH':
    case 'ENOAUTH':
      return new MailError('SMTP authentication failed');
    case 'ESOCKET':
    case 'ECONNECTION':
      return new MailError(e.originalCode === 'ECONNREFUSED' ? 'SMTP connection refused' : `SMTP connection lost (${e.code})`);
    default:
      return new MailError(`SMTP error${e.code && /^E[A-Z_]+$/.test(e.code) ? ` ${e.code}` : ''}`);
  }
}

/** The DKIM private key from MAIL_DKIM_PRIVATE_KEY (PEM, `\n` may be written as the two characters) or the file. */
function dkimKey(config: MailConfig): string | undefined {
  if (config.MAIL_DKIM_PRIVATE_KEY) return config.MAIL_DKIM_PRIVATE_KEY.replace(/\\n/g, '\n');
  if (config.MAIL_DKIM_PRIVATE_KEY_FILE) return readFileSync(config.MAIL_DKIM_PRIVATE_KEY_FILE, 'utf8');
  return undefined;
}

/** The address part of MAIL_FROM ("Gemeente X <klacht@x.nl>" → klacht@x.nl) and its domain. */
export function fromDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.slice(address.lastIndexOf('@') + 1).trim().toLowerCase() || 'localhost';
}

/**
 * The mailer for SMTP_URL, or undefined when SMTP_URL is empty (no e-mail). Messages are built and sent
 * in the background thread when there is one (src/delivery/background/thread.ts), else here.
 */
export function createMailer(config: MailConfig): Mailer | undefined {
  const sender = mailSender(config);
  if (!sender) return undefined;
  dkimKey(config); // a DKIM key file that cannot be read fails at start, wherever the mail is sent
  return threadMailer(config, sender) ?? createSmtpMailer(config);
}

/** The sender of SMTP_URL's mail, or undefined without SMTP_URL; MAIL_FROM is required with it. */
function mailSender(config: MailConfig): Pick<Mailer, 'from' | 'domain'> | undefined {
  if (!config.SMTP_URL) return undefined;
  if (!config.MAIL_FROM) throw new Error('MAIL_FROM is required when SMTP_URL is set');
  return { from: config.MAIL_FROM, domain: fromDomain(config.MAIL_FROM) };
}

/** The mailer that builds and sends on the calling thread (nodemailer's SMTP transport). */
export function createSmtpMailer(config: MailConfig): Mailer | undefined {
  const sender = mailSender(config);
  if (!sender) return undefined;
  const { from } = sender;
  const timeout = config.MAIL_TIMEOUT_MS ?? 20_000;
  const key = dkimKey(config);
  const dkim =
    config.MAIL_DKIM_DOMAIN && config.MAIL_DKIM_SELECTOR && key
      ? { domainName: config.MAIL_DKIM_DOMAIN, keySelector: config.MAIL_DKIM_SELECTOR, privateKey: key }
      : undefined;
  const transport = nodemailer.createTransport({
    url: config.SMTP_URL,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    // a little longer than the greeting's, so that a server that never greets is named as such
    socketTimeout: timeout + 500,
    dnsTimeout: timeout,
    ...(dkim ? { dkim } : {}),
    // never log message contents (nodemailer's logger is off by default; stated here on purpose)
    logger: false,
    debug: false,
  });
  return {
    ...sender,
    async send(message) {
      try {
        const info = await transport.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          attachments: message.attachments,
          messageId: message.messageId,
          headers: message.headers,
          replyTo: message.replyTo,
          signal: message.signal,
          // no external resources in HTML, no files from disk
          disableFileAccess: true,
          disableUrlAccess: true,
        } as SendMailOptions);
        return { messageId: info.messageId ?? message.messageId, response: String(info.response ?? '') };
      } catch (err) {
        throw mapSmtpError(err);
      }
    },
    close() {
      transport.close();
    },
  };
}
