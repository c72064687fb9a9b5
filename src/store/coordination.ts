/**
 * What instances of the bot need from each other, through the database they share: a change feed
 * (after a write commits, every instance hears about it) and locks (one holder across instances).
 *
 * - SQLite: one process per database file, so both live in this process (`LocalCoordination`):
 *   the feed is an in-process emitter, a lock is an in-process queue per key.
 * - PostgreSQL: `PgCoordination` (src/store/postgres/coordination.ts): one dedicated connection per
 *   instance that LISTENs for notifications (NOTIFY, payloads small: ids and numbers, never personal
 *   data) and holds session advisory locks, with an in-process queue per key in front (a session lock
 *   is re-entrant within its session, so the process itself must keep two of its own holders apart).
 *   The connection also holds the instance's own lock, by which other instances see it is alive: it is
 *   released by PostgreSQL the moment the process dies (kill -9 closes the socket).
 *
 * Users: the Direct Line service (activities reach streams on every instance; turns of one
 * conversation one at a time), the turn lock middleware (src/bot/turnLock.ts), de-duplication marks
 * (whether a mark's owner still lives), and scheduled work (housekeeping, the Direct Line sweep: one
 * instance per run, `tryLock`).
 */
import { randomBytes } from 'crypto';

export type Unsubscribe = () => void;

export type LockResult<T> = { ran: true; value: T } | { ran: false };

export class LockTimeoutError extends Error {
  constructor(readonly key: string) {
    super('lock not acquired in time');
  }
}

export interface ChangeFeed {
  /**
   * Tells every instance (this one too) about a committed change. `topic` names what changed
   * (letters, digits, '.', '_', '-'); `message` is short and holds no personal data (ids, numbers).
   * Never throws; delivery is at most once (a missed message is covered by `onResync`).
   */
  publish(topic: string, message: string): void;
  /** Calls `listener` for each message on `topic`, from any instance. */
  subscribe(topic: string, listener: (message: string) => void): Unsubscribe;
  /** Called when messages may have been missed (the feed's connection came back): read the store again. */
  onResync(listener: () => void): Unsubscribe;
}

export interface Locks {
  /**
   * Runs `fn` while holding `key`: no other holder of `key` in this process or any other instance
   * runs at the same time. Waits for the key (in order, within this process); throws
   * LockTimeoutError after `timeoutMs` (default 60 s) without it.
   */
  withLock<T>(key: string, fn: () => Promise<T>, opts?: { timeoutMs?: number }): Promise<T>;
  /** Runs `fn` holding `key` only if nobody holds it now (scheduled work: one instance per run). */
  tryLock<T>(key: string, fn: () => Promise<T>): Promise<LockResult<T>>;
  /**
   * Scheduled work that runs once across instances: runs `fn` unless another instance runs `job` now,
   * or one finished it less than `periodMs` ago (90% of it, so timers that drift still run each
   * period). The finish time is kept only after `fn` succeeds, so a failed run is tried again by the
   * next timer of any instance.
   */
  runScheduled<T>(job: string, periodMs: number, fn: () => Promise<T>): Promise<ScheduledResult<T>>;
}

export type ScheduledResult<T> = { ran: true; value: T } | { ran: false; reason: 'busy' | 'recent' };

/** How much of a period must have passed since the last run of a scheduled job. */
export const SCHEDULE_SLACK = 0.9;

export interface Coordination extends ChangeFeed, Locks {
  /** true when other processes may use the same database at the same time (PostgreSQL) */
  readonly shared: boolean;
  /** this process's owner id: random per start, so a restarted process is another owner */
  readonly owner: string;
  /** Whether the process with this owner id is alive (SQLite: only this process can be). */
  isAlive(owner: string): Promise<boolean>;
  /** Stops listening and releases every lock. */
  close(): Promise<void>;
}

export function newOwnerId(): string {
  return `${process.pid}.${randomBytes(6).toString('hex')}`;
}

export const TOPIC = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * In-process keyed mutex: callers of one key run one at a time, in arrival order. Keys leave the
 * map when their queue is empty.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  get size(): number {
    return this.tails.size;
  }

  held(key: string): boolean {
    return this.tails.has(key);
  }

  /** Waits for `key`, then resolves with its release function. */
  acquire(key: string): Promise<() => void> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    return before.then(() => () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
  }

  /** The release function when `key` is free now, otherwise undefined (never waits). */
  tryAcquire(key: string): (() => void) | undefined {
    if (this.tails.has(key)) return undefined;
    let release!: () => void;
    const tail = new Promise<void>((r) => (release = r));
    this.tails.set(key, tail);
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}

/** One process per database (SQLite): the feed and the locks live in this process. */
export class LocalCoordination implements Coordination {
  readonly shared = false;
  readonly owner = newOwnerId();
  private readonly listeners = new Map<string, Set<(message: string) => void>>();
  private readonly mutex = new KeyedMutex();

  publish(topic: string, message: string): void {
    const set = this.listeners.get(topic);
    if (!set || set.size === 0) return;
    // after the caller's own code, as a notification from elsewhere would come
    setImmediate(() => {
      for (const l of [...set]) {
        try {
          l(message);
        } catch {
          // a listener's error is its own
        }
      }
    });
  }

  subscribe(topic: string, listener: (message: string) => void): Unsubscribe {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (set!.size === 0 && this.listeners.get(topic) === set) this.listeners.delete(topic);
    };
  }

  onResync(): Unsubscribe {
    return () => undefined; // nothing is ever missed in-process
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const release = await this.mutex.acquire(key);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  async tryLock<T>(key: string, fn: () => Promise<T>): Promise<LockResult<T>> {
    const release = this.mutex.tryAcquire(key);
    if (!release) return { ran: false };
    try {
      return { ran: true, value: await fn() };
    } finally {
      release();
    }
  }

  private readonly lastRuns = new Map<string, number>();

  async runScheduled<T>(job: string, periodMs: number, fn: () => Promise<T>): Promise<ScheduledResult<T>> {
    const result = await this.tryLock(`job:${job}`, async (): Promise<ScheduledResult<T>> => {
      const last = this.lastRuns.get(job);
      if (last !== undefined && Date.now() - last < periodMs * SCHEDULE_SLACK) return { ran: false, reason: 'recent' };
      const value = await fn();
      this.lastRuns.set(job, Date.now());
      return { ran: true, value };
    });
    return result.ran ? result.value : { ran: false, reason: 'busy' };
  }

  async isAlive(owner: string): Promise<boolean> {
    return owner === this.owner;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
