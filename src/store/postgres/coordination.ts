/**
 * Coordination of instances on one PostgreSQL database (see src/store/coordination.ts):
 *
 * - one dedicated connection per instance (not from the pool: it LISTENs, and its session holds the
 *   advisory locks), reconnected with back-off when it drops; after a reconnect, listeners are told
 *   to read the store again (`onResync`), since notifications sent meanwhile are gone;
 * - the change feed: NOTIFY on one channel, payload `<topic> <message>` (ids and numbers only);
 *   publishes within one event-loop turn go out in one statement; messages of this instance reach its
 *   own listeners in-process at once (PostgreSQL's echo of them, same backend pid, is ignored);
 * - locks: session advisory locks keyed by a hash of the key (64 bits of SHA-256), taken with
 *   `pg_try_advisory_lock` (a waiting lock would block the one connection) and retried with a short
 *   back-off while someone else holds it; an in-process queue per key in front, because a session
 *   lock is re-entrant: two holders in this process would both "get" it. Lock and unlock operations
 *   that come while a statement runs go out together in the next one (one round trip for many turns);
 * - liveness: the session holds an advisory lock on the instance's owner id; another instance is alive
 *   while pg_locks shows that lock granted. PostgreSQL releases it (and every lock of the instance)
 *   when the connection ends, which a crash (kill -9) does at once.
 */
import { createHash } from 'crypto';
import { Client, type ClientConfig, type Notification, type QueryResult, type QueryResultRow } from 'pg';
import type { Logger } from '../../logger';
import {
  KeyedMutex,
  LockTimeoutError,
  newOwnerId,
  SCHEDULE_SLACK,
  TOPIC,
  type Coordination,
  type LockResult,
  type ScheduledResult,
  type Unsubscribe,
} from '../coordination';

export const CHANNEL = 'klachtbot_changes';
/** NOTIFY payloads must stay under 8000 bytes; ours are far smaller */
const MAX_PAYLOAD = 1000;
const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/** 64-bit advisory lock key of a name, as a signed bigint string, and its two halves as pg_locks shows them. */
export function lockKey(name: string): { key: string; classid: string; objid: string } {
  const digest = createHash('sha256').update(name).digest();
  return {
    key: digest.readBigInt64BE(0).toString(),
    classid: String(digest.readUInt32BE(0)),
    objid: String(digest.readUInt32BE(4)),
  };
}

export interface PgCoordinationOptions {
  /** a postgres:// connection string, or a pg client configuration */
  connection: string | ClientConfig;
  log?: Logger;
  /** for tests: reconnect back-off start (ms) */
  reconnectMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class PgCoordination implements Coordination {
  readonly shared = true;
  readonly owner = newOwnerId();
  private client: Client | undefined;
  /** resolves with a connected client; replaced on reconnect */
  private ready: Promise<Client>;
  /** bumped on every new connection: locks taken on an older one are gone */
  private generation = 0;
  private readonly listeners = new Map<string, Set<(message: string) => void>>();
  private readonly resyncListeners = new Set<() => void>();
  private readonly mutex = new KeyedMutex();
  private outbox: string[] = [];
  /** queries on the one connection, one after another (pg 9 will not queue them itself) */
  private queue: Promise<unknown> = Promise.resolve();
  private flushScheduled = false;
  private closed = false;

  private constructor(private readonly opts: PgCoordinationOptions) {
    this.ready = Promise.reject(new Error('not connected'));
    this.ready.catch(() => undefined);
  }

  /** Connects, LISTENs and takes the instance lock. */
  static async start(opts: PgCoordinationOptions): Promise<PgCoordination> {
    const c = new PgCoordination(opts);
    c.ready = c.connect();
    await c.ready;
    return c;
  }

  private async connect(): Promise<Client> {
    const cfg: ClientConfig = typeof this.opts.connection === 'string' ? { connectionString: this.opts.connection } : this.opts.connection;
    const client = new Client({ ...cfg, application_name: 'klachtbot-coordination', keepAlive: true });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      // a peer that vanished without closing (power loss, network split) is noticed within about 30 s,
      // and its locks released, instead of after the system's default of two hours
      await client.query('SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3');
      await client.query(`LISTEN ${CHANNEL}`);
      await client.query('SELECT pg_advisory_lock($1::bigint)', [lockKey(`instance:${this.owner}`).key]);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    client.on('notification', (n) => this.deliver(n, client));
    this.queue = Promise.resolve();
    this.client = client;
    this.generation++;
    return client;
  }

  /** The connection dropped: locks and LISTEN are gone; connect again, then tell listeners to resync. */
  private lost(client: Client, err: Error): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    this.opts.log?.error({ event: 'coordination.lost', err: { message: err.message } }, 'coordination connection lost; reconnecting');
    this.ready = (async () => {
      let wait = this.opts.reconnectMs ?? 200;
      for (;;) {
        if (this.closed) throw new Error('closed');
        await sleep(wait);
        try {
          const c = await this.connect();
          this.opts.log?.info({ event: 'coordination.reconnected' }, 'coordination connection back');
          for (const l of [...this.resyncListeners]) {
            try {
              l();
            } catch {
              // a listener's error is its own
            }
          }
          return c;
        } catch {
          wait = Math.min(wait * 2, 5000);
        }
      }
    })();
    this.ready.catch(() => undefined);
  }

  /** One query on the coordination connection, after the ones before it. */
  private q<R extends QueryResultRow = QueryResultRow>(client: Client, sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    const run = this.queue.then(() => client.query<R>(sql, params));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private deliver(n: Notification, client: Client): void {
    if (n.channel !== CHANNEL || !n.payload) return;
    // this instance's own messages were delivered in-process when published
    if (n.processId === (client as unknown as { processID: number }).processID) return;
    const space = n.payload.indexOf(' ');
    if (space <= 0) return;
    this.emit(n.payload.slice(0, space), n.payload.slice(space + 1));
  }

  private emit(topic: string, message: string): void {
    const set = this.listeners.get(topic);
    if (!set) return;
    for (const l of [...set]) {
      try {
        l(message);
      } catch {
        // a listener's error is its own
      }
    }
  }

  // ---- change feed ----

  publish(topic: string, message: string): void {
    if (this.closed || !TOPIC.test(topic)) return;
    const payload = `${topic} ${message}`;
    if (payload.length > MAX_PAYLOAD) return;
    setImmediate(() => this.emit(topic, message));
    this.outbox.push(payload);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.outbox;
    this.outbox = [];
    if (batch.length === 0) return;
    try {
      const client = await this.ready;
      // one statement per 500; each pg_notify is its own notification
      for (let i = 0; i < batch.length; i += 500) {
        const part = batch.slice(i, i + 500);
        await this.q(client, `SELECT ${part.map((_, j) => `pg_notify('${CHANNEL}', $${j + 1})`).join(', ')}`, part);
      }
    } catch (err) {
      // the other instances' streams catch up on their next activity, resync or poll
      this.opts.log?.warn({ event: 'coordination.notifyFailed', err: { message: (err as Error).message } }, 'change notification not sent');
    }
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

  onResync(listener: () => void): Unsubscribe {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  // ---- locks ----

  async withLock<T>(key: string, fn: () => Promise<T>, opts: { timeoutMs?: number } = {}): Promise<T> {
    const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
    const release = await this.mutex.acquire(key);
    try {
      const { key: k } = lockKey(key);
      let wait = 2;
      let held: { client: Client; generation: number } | undefined;
      for (;;) {
        if (this.closed) throw new Error('coordination closed');
        held = await this.tryAdvisory(k, deadline).catch((err: Error) => {
          if (Date.now() >= deadline) throw err;
          return undefined; // the connection is coming back: try again
        });
        if (held) break;
        if (Date.now() + wait > deadline) throw new LockTimeoutError(key);
        await sleep(wait);
        wait = Math.min(wait * 2, 50);
      }
      try {
        return await fn();
      } finally {
        await this.unlock(held, k);
      }
    } finally {
      release();
    }
  }

  async tryLock<T>(key: string, fn: () => Promise<T>): Promise<LockResult<T>> {
    const release = this.mutex.tryAcquire(key);
    if (!release) return { ran: false };
    try {
      const { key: k } = lockKey(key);
      const held = await this.tryAdvisory(k, Date.now() + 5000);
      if (!held) return { ran: false };
      try {
        return { ran: true, value: await fn() };
      } finally {
        await this.unlock(held, k);
      }
    } finally {
      release();
    }
  }

  /** One pg_try_advisory_lock on the current connection (waiting for a reconnect until `deadline`). */
  private async tryAdvisory(k: string, deadline: number): Promise<{ client: Client; generation: number } | undefined> {
    if (!this.client) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.ready,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('coordination connection not available')), Math.max(0, deadline - Date.now()));
        }),
      ]).finally(() => clearTimeout(timer));
    }
    const { ok, client, generation } = await this.lockOp('lock', k);
    return ok ? { client, generation } : undefined;
  }

  private async unlock(held: { client: Client; generation: number }, k: string): Promise<void> {
    // on a newer connection the lock is gone already (it went with the old session)
    if (held.generation !== this.generation || this.client !== held.client) return;
    await this.lockOp('unlock', k).catch(() => undefined);
  }

  /**
   * Lock operations wait here and go out together: every operation queued while the previous
   * statement ran is one column of the next `SELECT pg_try_advisory_lock(..), pg_advisory_unlock(..)`,
   * so the one connection needs one round trip for many turns' locks (the in-process queue per key
   * keeps two operations on one key out of the same statement).
   */
  private lockOps: { kind: 'lock' | 'unlock'; key: string; resolve: (r: { ok: boolean; client: Client; generation: number }) => void; reject: (e: Error) => void }[] = [];
  private lockOpsRunning = false;

  private lockOp(kind: 'lock' | 'unlock', key: string): Promise<{ ok: boolean; client: Client; generation: number }> {
    return new Promise((resolve, reject) => {
      this.lockOps.push({ kind, key, resolve, reject });
      if (!this.lockOpsRunning) void this.runLockOps();
    });
  }

  private async runLockOps(): Promise<void> {
    this.lockOpsRunning = true;
    try {
      while (this.lockOps.length > 0) {
        const batch = this.lockOps.splice(0, 200);
        const client = this.client;
        const generation = this.generation;
        if (!client) {
          for (const op of batch) op.reject(new Error('coordination connection not available'));
          continue;
        }
        try {
          const cols = batch.map((op, i) => `${op.kind === 'lock' ? 'pg_try_advisory_lock' : 'pg_advisory_unlock'}($${i + 1}::bigint) AS c${i}`);
          const { rows } = await this.q<Record<string, boolean>>(client, `SELECT ${cols.join(', ')}`, batch.map((op) => op.key));
          batch.forEach((op, i) => op.resolve({ ok: rows[0]?.[`c${i}`] === true, client, generation }));
        } catch (err) {
          for (const op of batch) op.reject(err as Error);
        }
      }
    } finally {
      this.lockOpsRunning = false;
    }
  }

  // ---- scheduled work ----

  private jobsTable: Promise<void> | undefined;

  /** The table of last runs (one row per job), made once per database; two instances starting together agree. */
  private ensureJobsTable(): Promise<void> {
    this.jobsTable ??= (async () => {
      const client = await this.ready;
      // one simple query (the key is a number), so nothing else on this connection runs inside it
      try {
        await this.q(
          client,
          `BEGIN; SELECT pg_advisory_xact_lock(${BigInt(lockKey('schema:klachtbot_jobs').key)}); ` +
            'CREATE TABLE IF NOT EXISTS klachtbot_jobs (name TEXT PRIMARY KEY, last_run_at TIMESTAMPTZ NOT NULL); COMMIT',
        );
      } catch (err) {
        await this.q(client, 'ROLLBACK').catch(() => undefined);
        throw err;
      }
    })();
    this.jobsTable.catch(() => (this.jobsTable = undefined));
    return this.jobsTable;
  }

  async runScheduled<T>(job: string, periodMs: number, fn: () => Promise<T>): Promise<ScheduledResult<T>> {
    await this.ensureJobsTable();
    const result = await this.tryLock(`job:${job}`, async (): Promise<ScheduledResult<T>> => {
      const client = await this.ready;
      const { rows } = await this.q<{ recent: boolean }>(
        client,
        `SELECT last_run_at > now() - ($2::double precision * interval '1 millisecond') AS recent FROM klachtbot_jobs WHERE name = $1`,
        [job, periodMs * SCHEDULE_SLACK],
      );
      if (rows[0]?.recent) return { ran: false, reason: 'recent' };
      const value = await fn();
      await this.q(
        await this.ready,
        'INSERT INTO klachtbot_jobs (name, last_run_at) VALUES ($1, now()) ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at',
        [job],
      );
      return { ran: true, value };
    });
    return result.ran ? result.value : { ran: false, reason: 'busy' };
  }

  // ---- liveness ----

  async isAlive(owner: string): Promise<boolean> {
    if (owner === this.owner) return true;
    const { classid, objid } = lockKey(`instance:${owner}`);
    const client = await this.ready;
    const { rows } = await this.q<{ alive: boolean }>(
      client,
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 1) AS alive`,
      [classid, objid],
    );
    return rows[0]?.alive === true;
  }

  /** For tests: drops the connection as a network failure would. */
  simulateConnectionLoss(): void {
    const c = this.client;
    if (c) (c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    const c = this.client;
    this.client = undefined;
    this.listeners.clear();
    this.resyncListeners.clear();
    if (c) {
      c.removeAllListeners('notification');
      await c.end().catch(() => undefined);
    }
  }
}
