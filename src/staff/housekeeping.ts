/**
 * Retention is enforced by the running bot itself, not only when someone remembers to run the CLI:
 * every RETENTION_PURGE_EVERY_HOURS (default 24; 0 switches it off, for a gemeente that runs
 * `npm run staff -- purge --yes` from its own scheduler instead) the server purges what is past
 * retention (src/staff/retention.ts) and forgets de-duplication marks older than a day (channels
 * re-deliver within minutes). The first run is shortly after start, so a server that is restarted
 * often still purges. The audit log records each purge under the actor `system:retention`; the
 * application log gets counts only.
 *
 * Several instances on one database (PostgreSQL): every instance has the timer, but a run happens on
 * one instance only, and not again on another within the period (Coordination.runScheduled: an
 * advisory lock around the run, and the time of the last successful run kept in the database).
 */
import type { Logger } from '../logger';
import type { Locks } from '../store/coordination';
import type { Actor } from './audit';
import type { Retention } from './retention';

/** Something that forgets de-duplication marks older than a moment (DedupeMiddleware). */
export interface DedupeMarks {
  prune(before: Date): Promise<number>;
}

export const HOUSEKEEPING_ACTOR: Actor = { id: 'system:retention', via: 'system' };
/** De-duplication marks are kept this long: channels retry within minutes. */
export const DEDUPE_KEEP_MS = 24 * 60 * 60 * 1000;
/** Delay of the first run after start: the server is answering by then. */
export const FIRST_RUN_DELAY_MS = 60 * 1000;

export interface HousekeepingOptions {
  everyHours: number;
  log: Logger;
  clock?: () => Date;
  /** for tests; default FIRST_RUN_DELAY_MS */
  firstRunDelayMs?: number;
  /** shared with other instances (store.coordination); without it, every run of this process purges */
  locks?: Pick<Locks, 'runScheduled'>;
}

export const HOUSEKEEPING_JOB = 'retention.purge';

export class Housekeeping {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly retention: Retention,
    private readonly dedupe: DedupeMarks,
    private readonly opts: HousekeepingOptions,
  ) {}

  /** Whether runs are scheduled. */
  get scheduled(): boolean {
    return this.timer !== undefined && !this.stopped;
  }

  /** Schedules the runs (nothing when everyHours is 0). Timers do not keep the process alive. */
  start(): this {
    if (this.opts.everyHours <= 0 || this.timer) return this;
    const schedule = (ms: number) => {
      this.timer = setTimeout(() => {
        this.running = this.runOnce().finally(() => {
          this.running = undefined;
          if (!this.stopped) schedule(this.opts.everyHours * 3_600_000);
        });
      }, ms);
      this.timer.unref();
    };
    schedule(this.opts.firstRunDelayMs ?? FIRST_RUN_DELAY_MS);
    return this;
  }

  /**
   * Purges once; never throws (a failure is logged and the next run tries again). With `locks`, only
   * when no other instance runs it now or ran it within the period.
   */
  async runOnce(): Promise<void> {
    try {
      if (!this.opts.locks) return await this.purge();
      // a failed purge throws, so it is not counted as this period's run
      const run = await this.opts.locks.runScheduled(HOUSEKEEPING_JOB, this.opts.everyHours * 3_600_000, () => this.purge());
      if (!run.ran) this.opts.log.debug({ event: 'retention.skipped', reason: run.reason }, 'scheduled retention purge left to another instance');
    } catch (err) {
      this.opts.log.error({ event: 'retention.purgeFailed', err: { message: (err as Error).message } }, 'scheduled retention purge failed');
    }
  }

  private async purge(): Promise<void> {
    const now = (this.opts.clock ?? (() => new Date()))();
    {
      const report = await this.retention.purge(HOUSEKEEPING_ACTOR, { dryRun: false });
      const marks = await this.dedupe.prune(new Date(now.getTime() - DEDUPE_KEEP_MS));
      this.opts.log.info(
        {
          event: 'retention.purged',
          complaints: report.complaints.length,
          conversations: report.conversations,
          callbacks: report.callbacks,
          dedupeMarks: marks,
        },
        'scheduled retention purge done',
      );
    }
  }

  /** Stops scheduling and waits for a run in progress (before the store closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
