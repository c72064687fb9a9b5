/**
 * De-duplication marks of incoming activities on PostgreSQL (src/bot/dedupe.ts decides what they mean).
 * `claim` is one INSERT ... ON CONFLICT DO NOTHING: of two instances that get the same activity, the
 * unique key lets exactly one have it. `takeOver` is one conditional UPDATE, so of two contenders only one wins.
 */
import type { ActivityMark, ClaimResult, DedupeRepository, Tx } from '../types';
import type { PgDb } from './db';

const KEY_WHERE = 'channel_id = $1 AND conversation_id = $2 AND activity_id = $3';
const key = (m: ActivityMark) => [m.channelId, m.conversationId, m.activityId];

export class PgDedupe implements DedupeRepository {
  constructor(private readonly db: PgDb) {}

  async claim(mark: ActivityMark, owner: string, at: string, tx?: Tx): Promise<ClaimResult> {
    for (;;) {
      const inserted = await this.db.run(
        `INSERT INTO processed_activities (channel_id, conversation_id, activity_id, created_at, state, owner)
         VALUES ($1, $2, $3, $4, 'running', $5) ON CONFLICT DO NOTHING`,
        [...key(mark), at, owner],
        tx,
      );
      if (inserted === 1) return { state: 'claimed' };
      const row = await this.db.one<{ state: string; owner: string | null }>(`SELECT state, owner FROM processed_activities WHERE ${KEY_WHERE}`, key(mark), tx);
      if (row) return row.state === 'done' ? { state: 'done' } : { state: 'running', owner: row.owner };
      // released or pruned in between: take it as new
    }
  }

  async takeOver(mark: ActivityMark, fromOwner: string | null, owner: string, at: string, tx?: Tx): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE processed_activities SET owner = $4, created_at = $5 WHERE ${KEY_WHERE} AND state = 'running' AND owner IS NOT DISTINCT FROM $6`,
      [...key(mark), owner, at, fromOwner],
      tx,
    );
    return changed === 1;
  }

  async markDone(mark: ActivityMark, owner: string, tx?: Tx): Promise<void> {
    await this.db.run(`UPDATE processed_activities SET state = 'done' WHERE ${KEY_WHERE} AND owner = $4`, [...key(mark), owner], tx);
  }

  async release(mark: ActivityMark, owner: string, tx?: Tx): Promise<void> {
    await this.db.run(`DELETE FROM processed_activities WHERE ${KEY_WHERE} AND owner = $4`, [...key(mark), owner], tx);
  }

  async prune(before: string, tx?: Tx): Promise<number> {
    return this.db.run('DELETE FROM processed_activities WHERE created_at < $1', [before], tx);
  }
}
