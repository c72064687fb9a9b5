/**
 * The delivery worker (issue 13): in the bot's own process, it claims due outbox rows (a lease per
 * row, so of several workers and instances only one sends a row), runs each through the plugin of its
 * target with a time-out, and records the result:
 * - resolved: 'sent';
 * - PermanentDeliveryError: 'failed' at once;
 * - any other error or the time-out: pending again, due DELIVERY_RETRY_MINUTES later, until
 *   DELIVERY_RETRY_HOURS have passed since the row's retry window began (retryFrom); then 'failed'.
 * A crashed worker's rows become due again when their lease runs out; the plugin then continues from
 * the state it saved (ctx.save), so no step is done twice. Rows of targets without a plugin here are
 * not claimed: they stay pending with the last error 'plugin not enabled'.
 *
 * It wakes when filing publishes on the change feed (topic 'outbox': every instance hears it on
 * PostgreSQL), when the next row is due, and at least every pollMs. Logs name rows by delivery id
 * and target only: no reference, no personal data.
 */
import type { Logger } from '../logger';
import { OUTBOX_TOPIC, outboxWakeTargets } from '../store/complaintStore';
import { newOwnerId, type Unsubscribe } from '../store/coordination';
import type { Store } from '../store/types';
import { errorText } from './outbox';
import { PermanentDeliveryError, type Delivery, type DeliveryDeps, type DeliveryPlugin, type DeliveryTarget } from './types';

export const NOT_ENABLED = 'plugin not enabled';

export interface WorkerOptions {
  store: Store;
  plugins: readonly DeliveryPlugin[];
  deps: DeliveryDeps;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  clock?: () => Date;
  /** one attempt at most this long (DELIVERY_TIMEOUT_MS) */
  timeoutMs: number;
  /** back-off between attempts (DELIVERY_RETRY_MINUTES) */
  retryMinutes: number;
  /** how long to keep trying (DELIVERY_RETRY_HOURS) */
  retryHours: number;
  /** at least this often it looks for due rows (default 30 s) */
  pollMs?: number;
  /** rows of one target sent at the same time (default 4) */
  concurrency?: number;
  /** the claim's lease (default: timeoutMs + 60 s, so a live attempt never loses its row) */
  leaseMs?: number;
}

class TimeoutError extends Error {
  constructor() {
    super('timeout');
  }
}

export type AttemptOutcome = 'sent' | 'retry' | 'failed' | 'lost';

export class DeliveryWorker {
  /** unique per worker (and per process start): the lease owner */
  readonly owner = `${newOwnerId()}.w`;
  private readonly plugins = new Map<DeliveryTarget, DeliveryPlugin>();
  private readonly targets: DeliveryTarget[];
  private readonly clock: () => Date;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private running = false;
  /** set by stop(): an attempt aborted by it is due again at once (another instance may take it) */
  private stopping = false;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private readonly unsubscribe: Unsubscribe[] = [];
  /** attempts in flight, aborted by stop() */
  private readonly inFlight = new Set<AbortController>();
  private readonly attempts = new Set<Promise<AttemptOutcome>>();
  /** attempts running per target */
  private readonly active = new Map<DeliveryTarget, number>();
  /** ids of the rows being attempted here */
  private readonly rowsInFlight = new Set<number>();
  private lastFlag = 0;
  /**
   * Targets that may have due rows: a claim that found fewer rows than it asked for empties its target
   * until something says otherwise (an enqueue naming it, a wake without targets, the timer, a slot
   * freed while the target was saturated). So a new complaint costs one claim per target it has rows
   * for, not one per target per round: every claim is a statement on the bot's own database connection.
   */
  private readonly maybeDue = new Set<DeliveryTarget>();
  /** targets whose last claim filled every free slot: more rows may be waiting for a slot */
  private readonly saturated = new Set<DeliveryTarget>();
  /** counts wakes that marked targets: a claim that began before one does not clear its mark */
  private marks = 0;

  constructor(private readonly opts: WorkerOptions) {
    for (const p of opts.plugins) this.plugins.set(p.target, p);
    this.targets = [...this.plugins.keys()];
    this.clock = opts.clock ?? (() => new Date());
    this.pollMs = opts.pollMs ?? 30_000;
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.leaseMs = opts.leaseMs ?? opts.timeoutMs + 60_000;
  }

  start(): this {
    if (this.running) return this;
    this.running = true;
    this.stopping = false;
    this.markAll(); // rows left from before the start
    this.unsubscribe.push(
      this.opts.store.coordination.subscribe(OUTBOX_TOPIC, (message) => this.wake(outboxWakeTargets(message))),
      this.opts.store.coordination.onResync(() => this.wake()),
    );
    this.loop = this.run();
    return this;
  }

  /** Looks for due rows now (filing calls this through the change feed). */
  wake(targets?: readonly DeliveryTarget[]): void {
    for (const t of targets ?? this.targets) if (this.plugins.has(t)) this.maybeDue.add(t);
    this.marks++;
    this.nudge();
  }

  /** Every target may have due rows. */
  private markAll(): void {
    for (const t of this.targets) this.maybeDue.add(t);
  }

  /** Wakes the loop without marking targets. */
  private nudge(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops claiming, aborts attempts in flight (they are retried, due at once) and waits for them. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    for (const u of this.unsubscribe.splice(0)) u();
    const abortAll = () => {
      for (const c of this.inFlight) c.abort(new Error('stopping'));
    };
    abortAll();
    this.wake();
    await this.loop;
    abortAll(); // attempts the last round started while stop() was waiting for it
    await Promise.all([...this.attempts]);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let started = 0;
      try {
        started = (await this.claimAndStart()).length;
      } catch (err) {
        this.opts.log.warn({ event: 'delivery.poll.failed', err: { message: errorText((err as Error).message) } }, 'the delivery worker could not read the outbox');
      }
      if (!this.running) break;
      if (started > 0) continue; // there may be more for the free slots
      await this.sleep(await this.untilNextDue());
    }
  }

  /** targets with a free slot (each target has `concurrency` slots, so a backend that hangs holds up only its own rows) */
  private freeTargets(): DeliveryTarget[] {
    return this.targets.filter((t) => (this.active.get(t) ?? 0) < this.concurrency);
  }

  private async untilNextDue(): Promise<number> {
    try {
      const free = this.freeTargets();
      // every slot busy: an attempt that ends wakes the loop
      const next = free.length === 0 ? undefined : await this.opts.store.outbox.nextDue(free);
      if (next === undefined) return this.pollMs;
      return Math.min(this.pollMs, Math.max(0, Date.parse(next) - this.clock().getTime()) + 5);
    } catch {
      return this.pollMs;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(this.timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      this.wakeUp = done;
      this.timer = setTimeout(() => {
        // rows may have come due by time (retries), or from another instance without a notification
        this.markAll();
        done();
      }, ms);
    });
  }

  /**
   * Flags rows of targets without a plugin (at most once a minute), then claims due rows for the free
   * slots of each target and starts them. Returns the attempts started (each settles, never rejects).
   */
  private async claimAndStart(): Promise<Promise<AttemptOutcome>[]> {
    const now = this.clock();
    if (now.getTime() - this.lastFlag >= 60_000) {
      this.lastFlag = now.getTime();
      await this.opts.store.outbox.flagDisabled(this.targets, NOT_ENABLED, now.toISOString());
    }
    const started: Promise<AttemptOutcome>[] = [];
    for (const target of this.freeTargets()) {
      if (this.stopping) break;
      if (!this.maybeDue.has(target)) continue;
      const limit = this.concurrency - (this.active.get(target) ?? 0);
      const marks = this.marks;
      const rows = await this.opts.store.outbox.claim({
        owner: this.owner,
        now: now.toISOString(),
        leaseMs: this.leaseMs,
        limit,
        targets: [target],
      });
      if (rows.length < limit) {
        // (a wake during the claim may name a row committed after it looked)
        if (this.marks === marks) this.maybeDue.delete(target);
        this.saturated.delete(target);
      } else {
        this.saturated.add(target);
      }
      for (const row of rows) {
        // claimed again by this worker because its lease ran out while its attempt is still running here
        // (a clock that jumps): that attempt goes on and records the result under the same owner
        if (this.rowsInFlight.has(row.id)) continue;
        this.rowsInFlight.add(row.id);
        this.active.set(target, (this.active.get(target) ?? 0) + 1);
        const p = this.attempt(row).then((outcome) => {
          this.rowsInFlight.delete(row.id);
          this.attempts.delete(p);
          this.active.set(target, (this.active.get(target) ?? 1) - 1);
          // a slot is free: rows of a saturated target may be waiting for it; a retry or a lost lease
          // changes when the next row is due. Otherwise nothing waits for this attempt's end.
          if (this.saturated.has(target)) this.maybeDue.add(target);
          if (this.saturated.has(target) || outcome === 'retry' || outcome === 'lost') this.nudge();
          return outcome;
        });
        this.attempts.add(p);
        started.push(p);
      }
    }
    return started;
  }

  /** One round (tests and tools): claims due rows for the free slots, delivers them, waits. Returns how many. */
  async runOnce(): Promise<number> {
    this.markAll();
    const started = await this.claimAndStart();
    await Promise.all(started);
    return started.length;
  }

  /** One attempt of one claimed row; never throws. */
  async attempt(row: Delivery): Promise<AttemptOutcome> {
    const plugin = this.plugins.get(row.target)!;
    const started = Date.now();
    const controller = new AbortController();
    this.inFlight.add(controller);
    const outbox = this.opts.store.outbox;
    let state = { ...row.state };
    let timer: NodeJS.Timeout | undefined;
    const aborted = new Promise<never>((_, reject) => {
      timer = setTimeout(() => controller.abort(new TimeoutError()), this.opts.timeoutMs);
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    aborted.catch(() => undefined);
    let outcome: AttemptOutcome;
    let error: string | null = null;
    try {
      try {
        await Promise.race([
          plugin.deliver({
            // attempts counts the earlier ones (the claim counted this one)
            delivery: { ...row, attempts: row.attempts - 1 },
            state,
            save: async (patch) => {
              state = { ...state, ...patch };
              if (!(await outbox.saveState(row.id, this.owner, patch, this.clock().toISOString()))) {
                throw new Error('the delivery was taken over by another worker');
              }
            },
            signal: controller.signal,
            deps: this.opts.deps,
          }),
          aborted,
        ]);
        outcome = (await outbox.markSent(row.id, this.owner, this.clock().toISOString())) ? 'sent' : 'lost';
      } catch (err) {
        error = errorText(err instanceof TimeoutError ? 'timeout' : String((err as Error)?.message ?? err));
        const now = this.clock();
        if (err instanceof PermanentDeliveryError) {
          outcome = (await outbox.markFailed(row.id, this.owner, error, now.toISOString())) ? 'failed' : 'lost';
        } else {
          const stopping = this.stopping;
          const next = new Date(now.getTime() + (stopping ? 0 : this.opts.retryMinutes * 60_000));
          const windowEnd = Date.parse(row.retryFrom ?? row.createdAt) + this.opts.retryHours * 3_600_000;
          if (!stopping && next.getTime() > windowEnd) {
            outcome = (await outbox.markFailed(row.id, this.owner, error, now.toISOString())) ? 'failed' : 'lost';
          } else {
            outcome = (await outbox.markRetry(row.id, this.owner, next.toISOString(), error, now.toISOString())) ? 'retry' : 'lost';
          }
        }
      }
    } catch (err) {
      // the store itself failed: the lease runs out and the row is due again
      outcome = 'lost';
      error = errorText((err as Error).message);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
    const entry = { event: 'delivery.attempt', deliveryId: row.id, target: row.target, subject: row.subject.kind, attempt: row.attempts, outcome, ms: Date.now() - started, ...(error ? { error } : {}) };
    if (outcome === 'sent') this.opts.log.info(entry, 'delivery sent');
    else if (outcome === 'failed') this.opts.log.error(entry, 'delivery failed');
    else this.opts.log.warn(entry, outcome === 'retry' ? 'delivery will be retried' : 'delivery result not recorded (lease lost)');
    return outcome;
  }
}
