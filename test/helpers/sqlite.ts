/**
 * The SQLite connection behind an app or store, for tests that inspect SQLite tables or inject
 * SQLite faults (triggers, PRAGMA query_only). Such tests are about the SQLite backend.
 */
import { sqliteDbOf } from '../../src/store/sqlite';
import type { Db } from '../../src/store/sqlite/db';
import type { Store } from '../../src/store/types';

export function sqliteDb(holder: Store | { store: Store }): Db {
  return sqliteDbOf('store' in holder ? holder.store : holder);
}
