/**
 * What the built-in Direct Line keeps on PostgreSQL: the token signing key (made once; the first
 * instance to start wins, every instance then reads the same key, so tokens verify everywhere),
 * conversations and their activities.
 *
 * Activities are written with group commit: appends wait at most one event-loop turn and go in one
 * statement together (rows for many conversations at once, atomic on its own); each append resolves
 * after it is committed. A (conversation, seq) that exists already (another instance wrote it) rejects
 * that append only: the statement skips it (ON CONFLICT DO NOTHING) and the others are stored.
 */
import { randomBytes } from 'crypto';
import { ActivityBatcher, type ActivityRow } from '../activityBatch';
import { toDirectLineConversation, type DirectLineConversationDbRow } from '../rows';
import type { DirectLineConversation, DirectLineRepository, Tx } from '../types';
import type { PgDb } from './db';

export { DuplicateActivityError } from '../types';

const KEY_NAME = 'token-hs256';

export class PgDirectLine implements DirectLineRepository {
  private readonly batcher = new ActivityBatcher((batch) => this.insertActivities(batch));

  constructor(private readonly db: PgDb) {}

  async signingKey(): Promise<Buffer> {
    await this.db.run('INSERT INTO directline_keys (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [
      KEY_NAME,
      randomBytes(32),
      new Date().toISOString(),
    ]);
    const row = await this.db.one<{ value: Buffer }>('SELECT value FROM directline_keys WHERE name = $1', [KEY_NAME]);
    if (!row) throw new Error('directline signing key missing');
    return Buffer.from(row.value);
  }

  async createConversation(c: { id: string; userId: string; locale: string | null; now: number }, tx?: Tx): Promise<boolean> {
    const n = await this.db.run(
      'INSERT INTO directline_conversations (id, user_id, locale, created_at, last_active_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (id) DO NOTHING',
      [c.id, c.userId, c.locale, c.now],
      tx,
    );
    return n === 1;
  }

  async getConversation(id: string, tx?: Tx): Promise<DirectLineConversation | undefined> {
    const row = await this.db.one<DirectLineConversationDbRow>('SELECT * FROM directline_conversations WHERE id = $1', [id], tx);
    if (!row) return undefined;
    return toDirectLineConversation(row);
  }

  append(conversationId: string, seq: number, json: string): Promise<void> {
    return this.batcher.append(conversationId, seq, json);
  }

  activitiesAfter(conversationId: string, afterSeq: number, limit: number, tx?: Tx): Promise<{ seq: number; json: string }[]> {
    return this.db.query<{ seq: number; json: string }>(
      'SELECT seq, json FROM directline_activities WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [conversationId, afterSeq, limit],
      tx,
    );
  }

  async lastSeq(conversationId: string, tx?: Tx): Promise<number> {
    const row = await this.db.one<{ m: number | null }>('SELECT max(seq) AS m FROM directline_activities WHERE conversation_id = $1', [conversationId], tx);
    return row?.m ?? 0;
  }

  async touch(conversationId: string, at: number, tx?: Tx): Promise<void> {
    await this.db.run('UPDATE directline_conversations SET last_active_at = $2 WHERE id = $1 AND last_active_at < $2', [conversationId, at], tx);
  }

  async endIdle(before: number, now: number, keep: (id: string) => boolean): Promise<string[]> {
    const candidates = await this.db.query<{ id: string }>(
      'SELECT id FROM directline_conversations WHERE ended_at IS NULL AND last_active_at < $1 LIMIT 500',
      [before],
    );
    const ids = candidates.map((c) => c.id).filter((id) => !keep(id));
    if (ids.length === 0) return [];
    return this.db.transaction(async (t) => {
      // only those still idle now (another instance may have touched or ended them meanwhile)
      const ended = await this.db.query<{ id: string }>(
        `UPDATE directline_conversations SET ended_at = $3
          WHERE id = ANY($1::text[]) AND ended_at IS NULL AND last_active_at < $2 RETURNING id`,
        [ids, before, now],
        t,
      );
      const endedIds = ended.map((r) => r.id);
      if (endedIds.length > 0) await this.db.run('DELETE FROM directline_activities WHERE conversation_id = ANY($1::text[])', [endedIds], t);
      return ids.filter((id) => endedIds.includes(id));
    });
  }

  purgeEnded(before: number): Promise<number> {
    return this.db.transaction(async (t) => {
      // activities a late write may have left behind for an ended conversation go too
      await this.db.run(
        'DELETE FROM directline_activities WHERE conversation_id IN (SELECT id FROM directline_conversations WHERE ended_at IS NOT NULL AND ended_at < $1)',
        [before],
        t,
      );
      return this.db.run('DELETE FROM directline_conversations WHERE ended_at IS NOT NULL AND ended_at < $1', [before], t);
    });
  }

  async counts(): Promise<{ conversations: number; ended: number; activities: number }> {
    const c = await this.db.one<{ n: number; e: number }>('SELECT count(*) AS n, count(ended_at) AS e FROM directline_conversations');
    const a = await this.db.one<{ n: number }>('SELECT count(*) AS n FROM directline_activities');
    return { conversations: c?.n ?? 0, ended: c?.e ?? 0, activities: a?.n ?? 0 };
  }

  drain(): Promise<void> {
    return this.batcher.drain();
  }

  /** one statement for the batch, atomic on its own (ActivityBatcher settles the appends after it) */
  private insertActivities(batch: readonly ActivityRow[]): Promise<{ conversation_id: string; seq: number }[]> {
    return this.db.query<{ conversation_id: string; seq: number }>(
      `INSERT INTO directline_activities (conversation_id, seq, json)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) ON CONFLICT DO NOTHING RETURNING conversation_id, seq`,
      [batch.map((r) => r.conversationId), batch.map((r) => r.seq), batch.map((r) => r.json)],
    );
  }
}
