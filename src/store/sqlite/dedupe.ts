/** De-duplication marks of incoming activities in SQLite (src/bot/dedupe.ts decides what they mean). */
import type { ActivityMark, ClaimResult, DedupeRepository, Tx } from '../types';
import type { Sql } from './sql';

const KEY_WHERE = 'channel_id = ? AND conversation_id = ? AND activity_id = ?';
const key = (m: ActivityMark) => [m.channelId, m.conversationId, m.activityId];

export class SqliteDedupe implements DedupeRepository {
  constructor(private readonly sql: Sql) {}

  async claim(mark: ActivityMark, owner: string, at: string, tx?: Tx): Promise<ClaimResult> {
    const { changes } = await this.sql.run(
      `INSERT INTO processed_activities (channel_id, conversation_id, activity_id, created_at, state, owner)
       VALUES (?, ?, ?, ?, 'running', ?) ON CONFLICT DO NOTHING`,
      [...key(mark), at, owner],
      tx,
    );
    if (changes === 1) return { state: 'claimed' };
    const row = await this.sql.get<{ state: string; owner: string | null }>(`SELECT state, owner FROM processed_activities WHERE ${KEY_WHERE}`, key(mark), tx);
    if (!row) return this.claim(mark, owner, at, tx); // pruned in between: take it as new
    return row.state === 'done' ? { state: 'done' } : { state: 'running', owner: row.owner };
  }

  async takeOver(mark: ActivityMark, fromOwner: string | null, owner: string, at: string, tx?: Tx): Promise<boolean> {
    const { changes } = await this.sql.run(
      `UPDATE processed_activities SET owner = ?, created_at = ? WHERE ${KEY_WHERE} AND state = 'running' AND owner IS ?`,
      [owner, at, ...key(mark), fromOwner],
      tx,
    );
    return changes === 1;
  }

  async markDone(mark: ActivityMark, owner: string, tx?: Tx): Promise<void> {
    await this.sql.run(`UPDATE processed_activities SET state = 'done' WHERE ${KEY_WHERE} AND owner = ?`, [...key(mark), owner], tx);
  }

  async release(mark: ActivityMark, owner: string, tx?: Tx): Promise<void> {
    await this.sql.run(`DELETE FROM processed_activities WHERE ${KEY_WHERE} AND owner = ?`, [...key(mark), owner], tx);
  }

  async prune(before: string, tx?: Tx): Promise<number> {
    return (await this.sql.run('DELETE FROM processed_activities WHERE created_at < ?', [before], tx)).changes;
  }
}
