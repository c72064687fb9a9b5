/**
 * PostgreSQL connection handling for the store: a pg.Pool, transactions that hand `fn` a Tx bound to
 * one pooled client, per-module migrations (schema_migrations) guarded by an advisory lock so that
 * several instances starting at once migrate one after the other, and a clean close.
 *
 * Types: BIGINT (ids, counts) and NUMERIC come back as JavaScript numbers (the store's ids are safe
 * integers); everything else as pg returns it. Instants are stored as ISO text (as on SQLite), so they
 * compare and sort the same on both backends.
 */
import { Pool, types as pgTypes, type PoolClient, type QueryResultRow } from 'pg';
import type { TransactionOptions, Tx } from '../types';

/** One step of a module's schema; `sql` may hold several statements (no parameters). */
export interface Migration {
  version: number;
  sql: string;
}

/** A transaction on one pooled client; valid until the transaction's function settles. */
export class PgTx implements Tx {
  readonly backend = 'postgres' as const;
  private closed = false;

  constructor(private readonly pgClient: PoolClient, readonly owner: object) {}

  get client(): PoolClient {
    if (this.closed) throw new Error('transaction used after it ended');
    return this.pgClient;
  }

  end(): void {
    this.closed = true;
  }
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** per-pool type parsers: int8 and numeric as numbers (pg's global parsers stay untouched) */
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => (v === null ? null : Number(v));
    return pgTypes.getTypeParser(oid, format ?? 'text');
  }) as typeof pgTypes.getTypeParser,
};

/**
 * PostgreSQL text cannot hold U+0000 (SQLite can). A NUL in a parameter (a citizen's pasted text) would
 * make the statement fail; it becomes U+FFFD (the replacement character) instead. JSON texts are not
 * affected: JSON.stringify writes it as the escape \u0000.
 */
function withoutNul(params: unknown[]): unknown[] {
  const clean = (v: unknown): unknown =>
    typeof v === 'string' ? (v.includes('\u0000') ? v.replace(/\u0000/g, '\uFFFD') : v) : Array.isArray(v) ? v.map(clean) : v;
  return params.map(clean);
}

/** SQLSTATE codes worth running a transaction again for: serialization failure, deadlock */
const RETRYABLE = new Set(['40001', '40P01']);
/** unique_violation */
export const UNIQUE_VIOLATION = '23505';

export function pgErrorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** the constraint a unique violation names (pg's error.constraint) */
export function pgConstraint(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'constraint' in err ? String((err as { constraint: unknown }).constraint) : undefined;
}

/** Advisory lock key (bigint) for migrations: one lock for every module, so migrations never interleave. */
const MIGRATION_LOCK = '7236451299014410801';

export interface PgDbOptions {
  poolSize?: number;
  /** called for errors of idle pooled clients (a dropped connection); no personal data */
  onError?: (err: Error) => void;
}

export class PgDb {
  private closing: Promise<void> | undefined;

  private constructor(readonly pool: Pool) {}

  static async open(url: string, opts: PgDbOptions = {}): Promise<PgDb> {
    const pool = new Pool({
      connectionString: url,
      max: opts.poolSize ?? 10,
      types: typeParsers,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
      application_name: 'klachtbot',
    });
    // An idle client that loses its connection emits 'error' on the pool; without a listener that
    // would crash the process. The pool drops the client; the next query gets a new one.
    pool.on('error', (err) => opts.onError?.(err));
    const db = new PgDb(pool);
    try {
      await db.query('SELECT 1');
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return db;
  }

  /** The client a statement runs on: the transaction's, or the pool (autocommit). */
  private target(tx?: Tx): Pool | PoolClient {
    if (!tx) return this.pool;
    if (!(tx instanceof PgTx)) throw new TypeError(`a ${tx.backend} transaction was passed to the PostgreSQL store`);
    if (tx.owner !== this) throw new TypeError('a transaction of another store was passed');
    return tx.client;
  }

  /** Rows of one statement. */
  async query<T extends QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = [], tx?: Tx): Promise<T[]> {
    return (await this.target(tx).query<T>(sql, withoutNul(params))).rows;
  }

  /** The first row of one statement, or undefined. */
  async one<T extends QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = [], tx?: Tx): Promise<T | undefined> {
    return (await this.query<T>(sql, params, tx))[0];
  }

  /** How many rows one statement changed. */
  async run(sql: string, params: unknown[] = [], tx?: Tx): Promise<number> {
    return (await this.target(tx).query(sql, withoutNul(params))).rowCount ?? 0;
  }

  /**
   * Runs `fn` in a transaction on one pooled client (READ COMMITTED): committed when `fn` resolves,
   * rolled back when it rejects. With `retries`, a serialization failure or deadlock runs `fn` again.
   */
  async transaction<T>(fn: (tx: PgTx) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool.connect();
      const tx = new PgTx(client, this);
      let broken = false;
      try {
        await client.query('BEGIN');
        const value = await fn(tx);
        await client.query('COMMIT');
        return value;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true; // the connection is gone: do not return it to the pool
        });
        if (attempt < (opts.retries ?? 0) && RETRYABLE.has(pgErrorCode(err) ?? '')) continue;
        throw err;
      } finally {
        tx.end();
        client.release(broken ? true : undefined);
      }
    }
  }

  /** One statement, or several with an explicit tx, within a transaction when none is given. */
  async inTransaction<T>(tx: Tx | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return tx ? fn(tx) : this.transaction(fn);
  }

  /**
   * Applies the module's migrations that have not run yet, in one transaction, after taking the
   * migration advisory lock (transaction-scoped): an instance that starts at the same time waits,
   * then sees the versions applied and skips them.
   */
  async migrate(module: string, migrations: Migration[]): Promise<void> {
    await this.transaction(async (tx) => {
      await this.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK], tx);
      await this.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           module TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (module, version))`,
        [],
        tx,
      );
      const done = new Set(
        (await this.query<{ version: number }>('SELECT version FROM schema_migrations WHERE module = $1', [module], tx)).map(
          (r) => r.version,
        ),
      );
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(m.version)) continue;
        await tx.client.query(m.sql); // several statements: simple query protocol, no parameters
        await this.query('INSERT INTO schema_migrations (module, version, applied_at) VALUES ($1, $2, $3)', [
          module,
          m.version,
          new Date().toISOString(),
        ], tx);
      }
    });
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  /** Waits for checked-out clients to be released, then closes every connection. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }
}
