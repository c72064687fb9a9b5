/**
 * The SQLite backend: one file (or :memory:), one connection, WAL. One process owns the file, so
 * coordination across instances is in-process (LocalCoordination). Every SQL statement of the SQLite
 * product lives in this folder.
 */
import { LocalCoordination } from '../coordination';
import { Registry } from '../retention';
import type { OpenStoreOptions, Store, TransactionOptions, Tx } from '../types';
import { SqliteAudit } from './audit';
import { SqliteBulkLoader } from './bulk';
import { SqliteCallbacks, SqliteComplaints } from './complaints';
import { SqliteConversationState } from './conversationState';
import { Db } from './db';
import { SqliteDedupe } from './dedupe';
import { SqliteDirectLine } from './directline';
import { lettersParticipant, SqliteLetters } from './letters';
import { handlingParticipant, SqliteHandling } from './handling';
import { SQLITE_MODULES } from './migrations';
import { outboxParticipant, SqliteOutbox } from './outbox';
import {
  callbacksParticipant,
  complaintsParticipant,
  conversationStateParticipant,
  dedupeParticipant,
  staffParticipant,
  transcriptsParticipant,
} from './retention';
import { SqliteReferrals } from './referrals';
import { SqliteReports } from './reports';
import { Sql } from './sql';
import { prepareSearch, SqliteStaff } from './staff';
import { SqliteTranscripts } from './transcripts';

export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  readonly complaints: SqliteComplaints;
  readonly callbacks: SqliteCallbacks;
  readonly conversationState: SqliteConversationState;
  readonly transcripts: SqliteTranscripts;
  readonly dedupe: SqliteDedupe;
  readonly directLine: SqliteDirectLine;
  readonly audit: SqliteAudit;
  readonly staff: SqliteStaff;
  readonly handling: SqliteHandling;
  readonly referrals: SqliteReferrals;
  readonly reports: SqliteReports;
  readonly letters: SqliteLetters;
  readonly outbox: SqliteOutbox;
  readonly retention = new Registry();
  readonly coordination = new LocalCoordination();
  readonly bulk: SqliteBulkLoader;

  constructor(readonly db: Db, clock: () => Date) {
    const sql = new Sql(db);
    this.complaints = new SqliteComplaints(sql, clock);
    this.callbacks = new SqliteCallbacks(sql, clock);
    this.conversationState = new SqliteConversationState(sql, clock);
    this.transcripts = new SqliteTranscripts(sql);
    this.dedupe = new SqliteDedupe(sql);
    this.directLine = new SqliteDirectLine(sql);
    this.audit = new SqliteAudit(sql);
    this.staff = new SqliteStaff(sql);
    this.handling = new SqliteHandling(sql);
    this.referrals = new SqliteReferrals(sql);
    this.reports = new SqliteReports(sql);
    this.letters = new SqliteLetters(sql);
    this.outbox = new SqliteOutbox(sql, clock);
    this.bulk = new SqliteBulkLoader(db);
    // complaints last: the others may still read the complaint they purge for
    for (const p of [
      handlingParticipant(sql), // before callbacks: it reads the call-back requests it purges for
      transcriptsParticipant(sql),
      conversationStateParticipant(sql),
      dedupeParticipant(sql),
      outboxParticipant(sql), // before callbacks: it reads the call-back requests it purges for
      callbacksParticipant(sql),
      staffParticipant(sql),
      lettersParticipant(sql),
      complaintsParticipant(sql),
    ]) {
      this.retention.register(p);
    }
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>, _opts?: TransactionOptions): Promise<T> {
    return this.db.transaction(fn);
  }

  async ping(): Promise<void> {
    await this.db.get('SELECT 1');
  }

  async close(): Promise<void> {
    await this.directLine.drain();
    await this.coordination.close();
    await this.db.close();
  }
}

export async function migrateSqlite(db: Db): Promise<void> {
  for (const [module, migrations] of SQLITE_MODULES) await db.migrate(module, migrations);
  await prepareSearch(db);
}

export async function openSqliteStore(file: string, opts: OpenStoreOptions = {}): Promise<SqliteStore> {
  const db = await Db.open(file);
  try {
    if (opts.migrate !== false) await migrateSqlite(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return new SqliteStore(db, opts.clock ?? (() => new Date()));
}

/** The SQLite connection behind a store, for SQLite-specific tests and tools (fault injection, inspection). */
export function sqliteDbOf(store: Store): Db {
  if (!(store instanceof SqliteStore)) throw new Error('not a SQLite store');
  return store.db;
}
