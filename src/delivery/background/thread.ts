/**
 * The delivery's heavy work off the conversation's thread (issue 13: "npm run bench with e-mail on: the
 * intake's p99 latency target still holds"). pdfkit and fontkit lay out, subset fonts and compress
 * synchronously (about 25 to 60 ms of CPU per complaint PDF), and nodemailer builds and encodes each
 * message on the thread that sends it: on the main thread that delays every chat turn arriving meanwhile.
 * So one worker thread renders the PDFs (`renderPdf`) and sends the mail (`threadMailer`), with the same
 * code the main thread would run. On Linux that thread lowers its own priority (nice 19: there the nice
 * value is per thread), so when the machine is busy the chat's turns get the CPU first and the mail
 * waits, not the citizen.
 *
 * The worker is the compiled worker.js beside this file. Where there is none (the TypeScript sources
 * under jest) or BACKGROUND_THREAD=off, the work is done on the calling thread. A worker that dies fails
 * its jobs (the outbox retries them) and the next job starts a new one.
 */
import { existsSync } from 'fs';
import path from 'path';
import { Worker } from 'worker_threads';
import { PermanentDeliveryError } from '../types';
import { MailError, type MailConfig, type Mailer, type MailMessage, type SentMail } from '../mail/mailer';
import type { PdfJob } from '../pdf/jobs';

/** What the main thread sends the worker. */
export type BackgroundRequest =
  | { id: number; pdf: PdfJob }
  | { id: number; mail: { config: MailConfig; message: Omit<MailMessage, 'signal'> } }
  | { id: number; abort: number }
  | { id: number; ask: 'priority' };

/** What the worker answers. */
export interface BackgroundReply {
  id: number;
  pdf?: Uint8Array;
  sent?: SentMail;
  value?: unknown;
  error?: { message: string; permanent: boolean };
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/** One worker thread doing background jobs in the order they come (mail sends overlap on the network). */
export class BackgroundThread {
  private worker?: Worker;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly script: string) {}

  renderPdf(job: PdfJob): Promise<Buffer> {
    return this.call<Uint8Array>((id) => ({ id, pdf: job })).then((u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength));
  }

  sendMail(config: MailConfig, message: MailMessage): Promise<SentMail> {
    const { signal, ...rest } = message;
    if (signal?.aborted) return Promise.reject(new MailError('SMTP aborted'));
    let id = 0;
    const sent = this.call<SentMail>((n) => ((id = n), { id: n, mail: { config, message: rest } }));
    if (!signal) return sent;
    const onAbort = () => this.worker?.postMessage({ id: ++this.seq, abort: id } satisfies BackgroundRequest);
    signal.addEventListener('abort', onAbort, { once: true });
    return sent.finally(() => signal.removeEventListener('abort', onAbort));
  }

  /** The worker's nice value as it reports it (19 on Linux). */
  priority(): Promise<number> {
    return this.call<number>((id) => ({ id, ask: 'priority' }));
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private call<T>(request: (id: number) => BackgroundRequest): Promise<T> {
    const worker = this.start();
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // a job in progress keeps the process alive; an idle worker does not
      if (this.pending.size === 1) worker.ref();
      worker.postMessage(request(id));
    });
  }

  private settle(reply: BackgroundReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.error) p.reject(reply.error.permanent ? new PermanentDeliveryError(reply.error.message) : new MailError(reply.error.message));
    else p.resolve(reply.pdf ?? reply.sent ?? reply.value);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.unref();
    worker.on('message', (m: BackgroundReply) => this.settle(m));
    const fail = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new MailError(`the background thread stopped (exit ${code})`)));
    this.worker = worker;
    return worker;
  }
}

let shared: BackgroundThread | null | undefined;

/** The compiled worker beside this file, or null (TypeScript sources, BACKGROUND_THREAD=off). */
export function backgroundWorkerScript(): string | null {
  if (process.env.BACKGROUND_THREAD === 'off') return null;
  const script = path.join(__dirname, 'worker.js');
  return existsSync(script) ? script : null;
}

function thread(): BackgroundThread | null {
  if (shared === undefined) {
    const script = backgroundWorkerScript();
    shared = script ? new BackgroundThread(script) : null;
  }
  return shared;
}

/** Renders a PDF in the background thread when there is one, else here. */
export function renderPdf(job: PdfJob): Promise<Buffer> {
  const t = thread();
  if (t) return t.renderPdf(job);
  // pdfkit and fontkit are loaded only where PDFs are made: here only without the thread
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../pdf/jobs') as typeof import('../pdf/jobs')).renderHere(job);
}

/**
 * A mailer that sends through the background thread (each message built and sent there, with the
 * worker's own nodemailer transport for `config`), or undefined when there is no thread.
 */
export function threadMailer(config: MailConfig, sender: Pick<Mailer, 'from' | 'domain'>): Mailer | undefined {
  const t = thread();
  if (!t) return undefined;
  return {
    from: sender.from,
    domain: sender.domain,
    send: (message) => t.sendMail(config, message),
    // the thread's transports go with the thread (closeBackgroundThread)
    close: () => undefined,
  };
}

/** Stops the shared worker (app.close()); a later job starts a new one. */
export async function closeBackgroundThread(): Promise<void> {
  const t = shared;
  shared = undefined;
  await t?.close();
}
