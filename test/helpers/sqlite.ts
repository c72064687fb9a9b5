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

/**
 * Waits until no turn is running (every de-duplication mark is 'done', at least one exists) and the
 * transcript is written: a turn still writes after its last reply went out (state, then its mark).
 */
export async function turnsSettled(app: { store: Store; transcripts: { flush(): Promise<void> } }, timeoutMs = 5000): Promise<void> {
  const db = sqliteDb(app);
  for (const until = Date.now() + timeoutMs; Date.now() < until; ) {
    const row = await db.get<{ running: number; done: number }>(
      "SELECT count(*) FILTER (WHERE state = 'running') AS running, count(*) FILTER (WHERE state = 'done') AS done FROM processed_activities",
    );
    if (row && row.running === 0 && row.done > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await app.transcripts.flush();
}
