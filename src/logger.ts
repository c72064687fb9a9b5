/**
 * Structured application logs (pino). Logs never carry personal data: code logs ids, counts,
 * durations and error codes, never names, phone numbers, addresses, e-mail or complaint text.
 * The redact list is a second line of defence for fields that must never reach a log.
 *
 * A log that cannot be written never stops the service. pino's own destination (sonic-boom, sync)
 * retries a failed write for ever on the main thread (full disk, file-size limit, a reader that
 * stopped reading), so nothing else runs and /healthz never answers. Standard output goes through
 * {@link LogDestination} instead: it writes without blocking, keeps a small backlog while the reader
 * is slow, and drops (and counts) lines it cannot write; /healthz reports the count
 * ({@link logHealth}). Past a file-size limit (`ulimit -f`) the write fails with EFBIG: Node ignores
 * SIGXFSZ, so the process is not killed, and the lines are dropped like on a full disk.
 */
import fs from 'fs';
import pino from 'pino';

export type Logger = pino.Logger;

const REDACT = [
  'text', '*.text', 'story', '*.story', 'name', '*.name', 'phone', '*.phone', 'email', '*.email',
  'street', '*.street', 'postcode', '*.postcode', 'city', '*.city', 'contact', '*.contact',
  'activity', '*.activity', 'authorization', '*.authorization', 'req.headers.authorization',
];

/** What /healthz says about the log. */
export interface LogHealth {
  /** `failing`: the last write failed (lines are being dropped); `ok` otherwise */
  status: 'ok' | 'failing';
  /** lines dropped since start, because they could not be written */
  dropped: number;
  /** the error code of the last failed write (ENOSPC, EFBIG, EPIPE, ...) */
  error?: string;
}

type WriteSync = (fd: number, data: string | Buffer, offset?: number, length?: number) => number;

export interface LogDestinationOptions {
  /** bytes kept while the reader is slow (EAGAIN); beyond this, lines are dropped */
  maxBacklogBytes?: number;
  /** milliseconds between attempts while the reader is slow */
  retryMs?: number;
  /** for tests */
  writeSync?: WriteSync;
}

const TRY_AGAIN = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR', 'EBUSY']);

/**
 * A pino destination on a file descriptor that never blocks or throws: a write is tried at once;
 * what a slow reader cannot take yet (EAGAIN) waits in a bounded backlog and is tried again on a
 * timer; a write that fails for another reason (ENOSPC, EFBIG, EPIPE, EIO, ...) drops the backlog.
 * Dropped lines are counted. Writes are synchronous, like pino's default, so nothing logged before
 * a crash is lost while the output works.
 */
export class LogDestination {
  private readonly backlog: Buffer[] = [];
  private backlogBytes = 0;
  /** bytes of backlog[0] already written */
  private offset = 0;
  private retry?: NodeJS.Timeout;
  /** a line was cut off by a failure: the next line starts on a new line */
  private cut = false;
  private dropped = 0;
  private failing = false;
  private lastError?: string;
  private readonly maxBacklogBytes: number;
  private readonly retryMs: number;
  private readonly writeSync: WriteSync;

  constructor(
    private readonly fd: number,
    opts: LogDestinationOptions = {},
  ) {
    this.maxBacklogBytes = opts.maxBacklogBytes ?? 1024 * 1024;
    this.retryMs = opts.retryMs ?? 50;
    this.writeSync = opts.writeSync ?? (fs.writeSync as WriteSync);
  }

  write(line: string): void {
    let buf = Buffer.from(line, 'utf8');
    if (this.cut && this.backlog.length === 0) {
      buf = Buffer.concat([Buffer.from('\n'), buf]);
      this.cut = false;
    }
    if (this.backlogBytes + buf.length > this.maxBacklogBytes) {
      this.dropped++;
      this.failing = true;
      this.lastError = 'EAGAIN';
      return;
    }
    this.backlog.push(buf);
    this.backlogBytes += buf.length;
    if (!this.retry) this.drain();
  }

  /** pino calls this on logger.flush(): one more attempt at the backlog. */
  flush(cb?: (err?: Error) => void): void {
    this.drain();
    cb?.();
  }

  /** One last attempt before the process exits. */
  flushSync(): void {
    this.drain();
  }

  health(): LogHealth {
    return { status: this.failing ? 'failing' : 'ok', dropped: this.dropped, ...(this.lastError ? { error: this.lastError } : {}) };
  }

  private drain(): void {
    if (this.retry) {
      clearTimeout(this.retry);
      this.retry = undefined;
    }
    while (this.backlog.length > 0) {
      const head = this.backlog[0];
      let n: number;
      try {
        n = this.writeSync(this.fd, head, this.offset, head.length - this.offset);
      } catch (err) {
        const code = String((err as NodeJS.ErrnoException).code ?? 'EIO');
        if (TRY_AGAIN.has(code)) {
          this.retry = setTimeout(() => this.drain(), this.retryMs);
          this.retry.unref();
          return;
        }
        // cannot be written now (full disk, file-size limit, closed reader): drop, count, go on
        this.dropped += this.backlog.length;
        if (this.offset > 0) this.cut = true;
        this.backlog.length = 0;
        this.backlogBytes = 0;
        this.offset = 0;
        this.failing = true;
        this.lastError = code;
        return;
      }
      this.offset += n;
      if (this.offset >= head.length) {
        this.backlog.shift();
        this.backlogBytes -= head.length;
        this.offset = 0;
        this.failing = false;
      }
    }
  }
}

let stdout: LogDestination | undefined;

/**
 * Standard output as a log destination (one per process). Asking Node for `process.stdout` makes a
 * pipe or socket non-blocking (libuv), so a reader that stops reading gives EAGAIN instead of
 * holding the main thread; files and terminals are unaffected.
 */
export function stdoutDestination(): LogDestination {
  if (!stdout) {
    const fd = process.stdout.fd ?? 1;
    // the stream itself is not written to; an error on it must not crash the process
    process.stdout.on('error', () => undefined);
    const dest = new LogDestination(fd);
    process.once('exit', () => dest.flushSync());
    stdout = dest;
  }
  return stdout;
}

/** The log's state for /healthz: lines dropped because standard output could not be written. */
export function logHealth(): LogHealth {
  return stdout?.health() ?? { status: 'ok', dropped: 0 };
}

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'klachtbot' } }, destination ?? stdoutDestination());
}
