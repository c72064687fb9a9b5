/**
 * The PostgreSQL backend (DATABASE_URL=postgres://... or postgresql://...): a connection pool (db.ts),
 * its own migrations (migrations.ts, applied under an advisory lock, so several instances may start at
 * once), the repositories of src/store/types.ts, and PgCoordination (P3: LISTEN/NOTIFY and advisory
 * locks on a dedicated connection) for what instances need from each other.
 */
import type { Logger } from '../../logger';
import { Registry } from '../retention';
import type { OpenStoreOptions, Store, TransactionOptions, Tx } from '../types';
import { PgAudit } from './audit';
import { PgBulkLoader } from './bulk';
import { PgCallbacks, PgComplaints } from './complaints';
import { PgConversationState } from './conversationState';
import { PgCoordination } from './coordination';
import { PgDb } from './db';
import { PgDedupe } from './dedupe';
import { PgDirectLine } from './directline';
import { lettersParticipant, PgLetters } from './letters';
import { handlingParticipant, PgHandling } from './handling';
import { PG_MODULES } from './migrations';
import { outboxParticipant, PgOutbox } from './outbox';
import {
  callbacksParticipant,
  complaintsParticipant,
  conversationStateParticipant,
  dedupeParticipant,
  staffParticipant,
  transcriptsParticipant,
} from './retention';
import { PgReferrals } from './referrals';
import { PgReports } from './reports';
import { PgStaff } from './staff';
import { PgTranscripts } from './transcripts';

export class PostgresStore implements Store {
  readonly backend = 'postgres' as const;
  readonly complaints: PgComplaints;
  readonly callbacks: PgCallbacks;
  readonly conversationState: PgConversationState;
  readonly transcripts: PgTranscripts;
  readonly dedupe: PgDedupe;
  readonly directLine: PgDirectLine;
  readonly audit: PgAudit;
  readonly staff: PgStaff;
  readonly handling: PgHandling;
  readonly referrals: PgReferrals;
  readonly reports: PgReports;
  readonly letters: PgLetters;
  readonly outbox: PgOutbox;
  readonly bulk: PgBulkLoader;
  readonly retention = new Registry();

  constructor(readonly db: PgDb, readonly coordination: PgCoordination, clock: () => Date) {
    this.complaints = new PgComplaints(db, clock);
    this.callbacks = new PgCallbacks(db, clock);
    this.conversationState = new PgConversationState(db, clock);
    this.transcripts = new PgTranscripts(db);
    this.dedupe = new PgDedupe(db);
    this.directLine = new PgDirectLine(db);
    this.audit = new PgAudit(db);
    this.staff = new PgStaff(db);
    this.handling = new PgHandling(db);
    this.referrals = new PgReferrals(db);
    this.reports = new PgReports(db);
    this.letters = new PgLetters(db);
    this.outbox = new PgOutbox(db, clock);
    this.bulk = new PgBulkLoader(db);
    // the same order as SQLite's: complaints last, the others may still read the complaint they purge for
    for (const p of [
      handlingParticipant(db), // before callbacks: it reads the call-back requests it purges for
      transcriptsParticipant(db),
      conversationStateParticipant(db),
      dedupeParticipant(db),
      outboxParticipant(db), // before callbacks: it reads the call-back requests it purges for
      callbacksParticipant(db),
      staffParticipant(db),
      lettersParticipant(db),
      complaintsParticipant(db),
    ]) {
      this.retention.register(p);
    }
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T> {
    return this.db.transaction(fn, opts);
  }

  ping(): Promise<void> {
    return this.db.ping();
  }

  async close(): Promise<void> {
    await this.directLine.drain();
    await this.coordination.close();
    await this.db.close();
  }
}

export async function migratePostgres(db: PgDb): Promise<void> {
  for (const [module, migrations] of PG_MODULES) await db.migrate(module, migrations);
}

export async function openPostgresStore(url: string, opts: OpenStoreOptions = {}): Promise<PostgresStore> {
  const db = await PgDb.open(url, {
    poolSize: opts.poolSize,
    onError: (err) => opts.log?.warn({ event: 'store.connectionLost', err: { message: err.message } }, 'a pooled database connection was lost'),
  });
  let coordination: PgCoordination | undefined;
  try {
    if (opts.migrate !== false) await migratePostgres(db);
    // PgCoordination logs with error/warn/info; the store's log has warn and error
    const log = opts.log ? ({ ...opts.log, info: () => undefined } as unknown as Logger) : undefined;
    coordination = await PgCoordination.start({ connection: url, log });
  } catch (err) {
    await coordination?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw err;
  }
  return new PostgresStore(db, coordination, opts.clock ?? (() => new Date()));
}

/** The PostgreSQL pool behind a store, for PostgreSQL-specific tests and tools. */
export function postgresDbOf(store: Store): PgDb {
  if (!(store instanceof PostgresStore)) throw new Error('not a PostgreSQL store');
  return store.db;
}
