/**
 * The background thread (src/delivery/background/thread.ts): renders PDFs and sends mail with the same
 * code as the main thread, at the lowest priority. On Linux, setpriority for "this process" (pid 0) sets
 * the calling thread's nice value only, so the server's main thread keeps its own.
 */
import os from 'os';
import { parentPort } from 'worker_threads';
import { createSmtpMailer, type Mailer, type MailConfig } from '../mail/mailer';
import { renderHere } from '../pdf/jobs';
import { PermanentDeliveryError } from '../types';
import type { BackgroundReply, BackgroundRequest } from './thread';

if (process.platform === 'linux') {
  try {
    os.setPriority(19);
  } catch {
    // not allowed here: the thread runs at normal priority
  }
}

const port = parentPort!;
const reply = (r: BackgroundReply, transfer: ArrayBuffer[] = []) => port.postMessage(r, transfer);
const failed = (id: number, err: unknown) =>
  reply({ id, error: { message: err instanceof Error ? err.message : String(err), permanent: err instanceof PermanentDeliveryError } });

/** one transport per mail configuration (normally one), as on the main thread */
const mailers = new Map<string, Mailer>();
/** sends in progress, by request id: their abort */
const sending = new Map<number, AbortController>();

port.on('message', (m: BackgroundRequest) => {
  if ('ask' in m) return reply({ id: m.id, value: os.getPriority() });
  if ('abort' in m) return sending.get(m.abort)?.abort();
  if ('pdf' in m) {
    renderHere(m.pdf).then((pdf) => {
      // its own memory, handed over without a copy
      const out = pdf.byteOffset === 0 && pdf.buffer.byteLength === pdf.length ? pdf : Uint8Array.prototype.slice.call(pdf);
      reply({ id: m.id, pdf: out }, [out.buffer as ArrayBuffer]);
    }, (err) => failed(m.id, err));
    return;
  }
  const { config, message } = m.mail;
  const key = JSON.stringify(config);
  let mailer = mailers.get(key);
  if (!mailer) mailers.set(key, (mailer = createSmtpMailer(config as MailConfig)!));
  const abort = new AbortController();
  sending.set(m.id, abort);
  // attachments arrive as Uint8Array: nodemailer wants Buffers
  const attachments = message.attachments?.map((a) => ({ ...a, content: Buffer.from(a.content as Uint8Array) }));
  mailer
    .send({ ...message, ...(attachments ? { attachments } : {}), signal: abort.signal })
    .then((sent) => reply({ id: m.id, sent }), (err) => failed(m.id, err))
    .finally(() => sending.delete(m.id));
});
