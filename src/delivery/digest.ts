/**
 * The daily digest of failed deliveries (issue 13): once a day, from DIGEST_HOUR (Europe/Amsterdam)
 * on, when deliveries failed in the last 24 hours, one outbox row (subject 'digest' of that day,
 * target 'mail.digest') is enqueued; the mail plugin writes the summary. Once across instances: the
 * outbox keeps one row per subject and target, and coordination.runScheduled keeps instances from
 * checking at the same time. Needs a 'mail.digest' plugin; without one nothing is enqueued.
 */
import type { Logger } from '../logger';
import type { Store } from '../store/types';
import { announceOutbox } from '../store/complaintStore';

const AMSTERDAM = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** The day (YYYY-MM-DD) and hour (0..23) in Amsterdam at `at`. */
export function amsterdamDayHour(at: Date): { day: string; hour: number } {
  const parts = Object.fromEntries(AMSTERDAM.formatToParts(at).map((p) => [p.type, p.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

export interface DigestOptions {
  store: Store;
  /** DIGEST_HOUR */
  hour: number;
  /** whether a 'mail.digest' plugin is enabled */
  enabled: boolean;
  log: Pick<Logger, 'info' | 'warn'>;
  clock?: () => Date;
  /** how often it checks (default 10 minutes) */
  everyMs?: number;
}

export class DigestScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly clock: () => Date;

  constructor(private readonly opts: DigestOptions) {
    this.clock = opts.clock ?? (() => new Date());
  }

  start(): this {
    if (!this.opts.enabled || this.timer) return this;
    const tick = () => {
      this.running ??= this.runScheduled().finally(() => (this.running = undefined));
    };
    this.timer = setInterval(tick, this.opts.everyMs ?? 10 * 60_000);
    this.timer.unref();
    tick();
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async runScheduled(): Promise<void> {
    try {
      await this.opts.store.coordination.runScheduled('delivery.digest', 5 * 60_000, () => this.check());
    } catch (err) {
      this.opts.log.warn({ event: 'delivery.digest.failed', err: { message: (err as Error).message } }, 'the digest check failed');
    }
  }

  /**
   * Enqueues today's digest row when it is DIGEST_HOUR or later in Amsterdam and deliveries failed in
   * the last 24 hours. Returns the day enqueued, or undefined.
   */
  async check(): Promise<string | undefined> {
    if (!this.opts.enabled) return undefined;
    const now = this.clock();
    const { day, hour } = amsterdamDayHour(now);
    if (hour < this.opts.hour) return undefined;
    const subject = { kind: 'digest' as const, day };
    const outbox = this.opts.store.outbox;
    if ((await outbox.listBySubjects([subject])).length > 0) return undefined;
    const failed = await outbox.failedSince(new Date(now.getTime() - 24 * 3_600_000).toISOString());
    if (failed.length === 0) return undefined;
    await outbox.enqueue([{ subject, target: 'mail.digest' }]);
    announceOutbox(this.opts.store.coordination, ['mail.digest']);
    this.opts.log.info({ event: 'delivery.digest.enqueued', day, failed: failed.length }, 'digest of failed deliveries enqueued');
    return day;
  }
}
