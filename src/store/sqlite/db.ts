/**
 * A small promise wrapper around one sqlite3 connection: WAL mode, per-module migrations, and a
 * read-write lock over writes: a transaction runs alone (after every earlier write has finished, and
 * before any later one starts), while single-statement writes between transactions run side by side.
 * Rule for every module: write with `write()` or inside `transaction()`, never with a bare `run()`
 * outside a transaction (it could land inside another module's open transaction).
 */
import { mkdirSync } from 'fs';
import path from 'path';
import sqlite3 from 'sqlite3';
import type { Tx } from '../types';

export interface Migration {
  version: number;
  sql: string;
}

export type Row = Record<string, unknown>;

/** A transaction on this connection (what repositories receive as `tx`); valid while its function runs. */
export class SqliteTx implements Tx {
  readonly backend = 'sqlite' as const;
  open = true;
  constructor(readonly db: Db) {}
}

export class Db {
  /** the last transaction: every later write waits for it */
  private exclusive: Promise<unknown> = Promise.resolve();
  /** single-statement writes in flight: the next transaction waits for them */
  private readonly shared = new Set<Promise<unknown>>();

  private constructor(private readonly db: sqlite3.Database, readonly file: string) {}

  static async open(file: string): Promise<Db> {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(d)));
    });
    const db = new Db(raw, file);
    raw.configure('busyTimeout', 5000);
    await db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
    await db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (module, version))',
    );
    return db;
  }

  /** Applies the module's migrations that have not run yet, each in its own transaction. */
  async migrate(module: string, migrations: Migration[]): Promise<void> {
    await this.transaction(async () => {
      const done = new Set(
        (await this.all<{ version: number }>('SELECT version FROM schema_migrations WHERE module = ?', [module])).map(
          (r) => r.version,
        ),
      );
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(m.version)) continue;
        await this.exec(m.sql);
        await this.run('INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)', [
          module,
          m.version,
          new Date().toISOString(),
        ]);
      }
    });
  }

  /**
   * Prepared statements for SQL with parameters, kept for reuse: node-sqlite3 would otherwise prepare
   * and finalize a statement on every call. Binding parameters resets a statement, so reuse is safe;
   * SQL without parameters is not cached (nothing would reset it between uses).
   */
  private readonly statements = new Map<string, sqlite3.Statement>();
  private static readonly MAX_STATEMENTS = 500;

  private statement(sql: string, params: unknown[]): sqlite3.Statement | undefined {
    if (params.length === 0) return undefined;
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (this.statements.size >= Db.MAX_STATEMENTS) return undefined; // dynamic SQL (IN lists): do not hoard
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  run(sql: string, params: unknown[] = []): Promise<{ changes: number; lastID: number }> {
    return new Promise((resolve, reject) => {
      const done = function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ changes: this.changes, lastID: this.lastID });
      };
      const stmt = this.statement(sql, params);
      if (stmt) stmt.run(params, done);
      else this.db.run(sql, params, done);
    });
  }

  get<T = Row>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      const stmt = this.statement(sql, params);
      const done = (err: Error | null, row: T) => {
        stmt?.reset(); // end the read at once, so it holds no snapshot open
        if (err) reject(err);
        else resolve(row);
      };
      if (stmt) stmt.get(params, done);
      else this.db.get(sql, params, done);
    });
  }

  all<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      const stmt = this.statement(sql, params);
      const done = (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows));
      if (stmt) stmt.all(params, done);
      else this.db.all(sql, params, done);
    });
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (err) => (err ? reject(err) : resolve())));
  }

  /**
   * Runs `fn` inside BEGIN IMMEDIATE ... COMMIT, after every earlier transaction has finished.
   * Statements inside `fn` use this same Db (run/get/all); nested calls are not supported. `fn`
   * receives the transaction object, which repositories take as `tx`.
   */
  transaction<T>(fn: (tx: SqliteTx) => Promise<T>): Promise<T> {
    const result = Promise.all([this.exclusive, ...this.shared]).then(async () => {
      await this.exec('BEGIN IMMEDIATE');
      const tx = new SqliteTx(this);
      try {
        const value = await fn(tx);
        tx.open = false;
        await this.exec('COMMIT');
        return value;
      } catch (err) {
        tx.open = false;
        await this.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
    this.exclusive = result.catch(() => undefined);
    return result;
  }

  /**
   * A single write statement. It never lands inside a transaction: it waits for the one before it,
   * and the next one waits for it. One statement is atomic on its own (autocommit). Single writes do
   * not wait for each other; their order is not guaranteed unless the caller awaits each.
   */
  write(sql: string, params: unknown[] = []): Promise<{ changes: number; lastID: number }> {
    return this.writeLater(() => [sql, params]);
  }

  /**
   * A single write whose statement is built when it may run: after the transaction before it and after
   * `after`, so that rows gathered meanwhile are included. Like write(), it is registered at once, so a
   * later transaction and close() wait for it. `after` must be a promise issued before this call (an
   * earlier write), so nothing can wait in a circle.
   */
  writeLater(build: () => [string, unknown[]], after?: Promise<unknown>): Promise<{ changes: number; lastID: number }> {
    const ready = after ? Promise.all([this.exclusive, after.catch(() => undefined)]) : this.exclusive;
    return this.single(ready.then(() => this.run(...build())));
  }

  /** A single write statement that returns rows (UPDATE ... RETURNING), ordered like write(). */
  writeReturning<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.single(this.exclusive.then(() => this.all<T>(sql, params)));
  }

  /** Registers a single write in flight, so that the next transaction and close() wait for it. */
  private single<T>(result: Promise<T>): Promise<T> {
    const settled: Promise<unknown> = result.then(
      () => this.shared.delete(settled),
      () => this.shared.delete(settled),
    );
    this.shared.add(settled);
    return result;
  }

  /** Resolves once no transaction or write is queued or running, including ones queued meanwhile. */
  private async idle(): Promise<void> {
    let exclusive: Promise<unknown>;
    do {
      exclusive = this.exclusive;
      await Promise.all([exclusive, ...this.shared]);
    } while (this.shared.size > 0 || this.exclusive !== exclusive);
  }

  close(): Promise<void> {
    return this.idle().then(async () => {
      await Promise.all([...this.statements.values()].map((s) => new Promise<void>((resolve) => s.finalize(() => resolve()))));
      this.statements.clear();
      await new Promise<void>((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
    });
  }
}
