/**
 * What every SQLite repository uses to run its statements with or without a caller's transaction.
 * Reads run on the connection as they are; a single write without `tx` goes through Db.write (never
 * inside another module's open transaction); several statements without `tx` get their own
 * transaction (`atomic`).
 */
import type { Tx } from '../types';
import { SqliteTx, type Db } from './db';

export class Sql {
  constructor(readonly db: Db) {}

  /** The caller's transaction, checked: of this connection and still open. */
  tx(tx: Tx | undefined): SqliteTx | undefined {
    if (tx === undefined) return undefined;
    if (!(tx instanceof SqliteTx) || tx.db !== this.db) throw new Error('store: a transaction of another store was passed');
    if (!tx.open) throw new Error('store: the transaction is over');
    return tx;
  }

  get<T>(sql: string, params: unknown[], tx?: Tx): Promise<T | undefined> {
    this.tx(tx);
    return this.db.get<T>(sql, params);
  }

  all<T>(sql: string, params: unknown[], tx?: Tx): Promise<T[]> {
    this.tx(tx);
    return this.db.all<T>(sql, params);
  }

  /** One write statement: inside `tx` when given, otherwise on its own. */
  run(sql: string, params: unknown[], tx?: Tx): Promise<{ changes: number; lastID: number }> {
    return this.tx(tx) ? this.db.run(sql, params) : this.db.write(sql, params);
  }

  /** One write statement that returns rows (UPDATE ... RETURNING): inside `tx` when given, otherwise on its own. */
  writeReturning<T>(sql: string, params: unknown[], tx?: Tx): Promise<T[]> {
    return this.tx(tx) ? this.db.all<T>(sql, params) : this.db.writeReturning<T>(sql, params);
  }

  /** Runs `fn` inside `tx` when given, otherwise inside a transaction of its own. */
  atomic<T>(tx: Tx | undefined, fn: (tx: SqliteTx) => Promise<T>): Promise<T> {
    const t = this.tx(tx);
    return t ? fn(t) : this.db.transaction(fn);
  }
}

export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}

/** Whether the error is SQLite's unique-constraint failure on this table.column (kept inside the store). */
export function isUniqueViolation(err: unknown, column: string): boolean {
  return (err as { code?: string })?.code === 'SQLITE_CONSTRAINT' && String((err as Error).message).includes(`UNIQUE constraint failed: ${column}`);
}
