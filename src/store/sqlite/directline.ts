/**
 * What the built-in Direct Line keeps in SQLite (module 'directline'): the token signing key,
 * conversations and their activities, so that a client reconnecting with its token and watermark
 * after a restart gets what it missed.
 *
 * Activities are written with group commit: appends wait at most one event-loop turn and go in one
 * transaction together (rows for many conversations at once), and each append resolves only after
 * its COMMIT. Per conversation, rows commit in sequence order. A (conversation, seq) stored already
 * rejects that append only (DuplicateActivityError); the others are stored.
 */
import { randomBytes } from 'crypto';
import { ActivityBatcher, type ActivityRow } from '../activityBatch';
import { toDirectLineConversation, type DirectLineConversationDbRow } from '../rows';
import type { DirectLineConversation, DirectLineRepository, Tx } from '../types';
import type { Sql } from './sql';

/** rows per INSERT statement (3 parameters each; well under SQLite's parameter limit) */
const ROWS_PER_STATEMENT = 200;

export class SqliteDirectLine implements DirectLineRepository {
  private readonly batcher = new ActivityBatcher((batch) => this.insertActivities(batch));

  constructor(private readonly sql: Sql) {}

  async signingKey(): Promise<Buffer> {
    await this.sql.run('INSERT INTO directline_keys (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [
      'token-hs256',
      randomBytes(32),
      new Date().toISOString(),
    ]);
    const row = await this.sql.get<{ value: Buffer }>('SELECT value FROM directline_keys WHERE name = ?', ['token-hs256']);
    if (!row) throw new Error('directline signing key missing');
    return Buffer.from(row.value);
  }

  async createConversation(c: { id: string; userId: string; locale: string | null; now: number }, tx?: Tx): Promise<boolean> {
    const { changes } = await this.sql.run(
      'INSERT INTO directline_conversations (id, user_id, locale, created_at, last_active_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      [c.id, c.userId, c.locale, c.now, c.now],
      tx,
    );
    return changes === 1;
  }

  async getConversation(id: string, tx?: Tx): Promise<DirectLineConversation | undefined> {
    const row = await this.sql.get<DirectLineConversationDbRow>('SELECT * FROM directline_conversations WHERE id = ?', [id], tx);
    if (!row) return undefined;
    return toDirectLineConversation(row);
  }

  append(conversationId: string, seq: number, json: string): Promise<void> {
    return this.batcher.append(conversationId, seq, json);
  }

  activitiesAfter(conversationId: string, afterSeq: number, limit: number, tx?: Tx): Promise<{ seq: number; json: string }[]> {
    return this.sql.all<{ seq: number; json: string }>(
      'SELECT seq, json FROM directline_activities WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      [conversationId, afterSeq, limit],
      tx,
    );
  }

  async lastSeq(conversationId: string, tx?: Tx): Promise<number> {
    const row = await this.sql.get<{ m: number | null }>('SELECT MAX(seq) AS m FROM directline_activities WHERE conversation_id = ?', [conversationId], tx);
    return row?.m ?? 0;
  }

  async touch(conversationId: string, at: number, tx?: Tx): Promise<void> {
    await this.sql.run('UPDATE directline_conversations SET last_active_at = ? WHERE id = ? AND last_active_at < ?', [at, conversationId, at], tx);
  }

  async endIdle(before: number, now: number, keep: (id: string) => boolean): Promise<string[]> {
    const candidates = await this.sql.all<{ id: string }>(
      'SELECT id FROM directline_conversations WHERE ended_at IS NULL AND last_active_at < ? LIMIT 500',
      [before],
    );
    const ids = candidates.map((c) => c.id).filter((id) => !keep(id));
    if (ids.length === 0) return [];
    await this.sql.atomic(undefined, async (t) => {
      for (const id of ids) {
        await this.sql.run('DELETE FROM directline_activities WHERE conversation_id = ?', [id], t);
        await this.sql.run('UPDATE directline_conversations SET ended_at = ? WHERE id = ? AND ended_at IS NULL', [now, id], t);
      }
    });
    return ids;
  }

  purgeEnded(before: number): Promise<number> {
    return this.sql.atomic(undefined, async (t) => {
      // activities a late write may have left behind for an ended conversation go too
      await this.sql.run(
        'DELETE FROM directline_activities WHERE conversation_id IN (SELECT id FROM directline_conversations WHERE ended_at IS NOT NULL AND ended_at < ?)',
        [before],
        t,
      );
      return (await this.sql.run('DELETE FROM directline_conversations WHERE ended_at IS NOT NULL AND ended_at < ?', [before], t)).changes;
    });
  }

  async counts(): Promise<{ conversations: number; ended: number; activities: number }> {
    const c = await this.sql.get<{ n: number; e: number }>('SELECT COUNT(*) AS n, COUNT(ended_at) AS e FROM directline_conversations', []);
    const a = await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM directline_activities', []);
    return { conversations: c?.n ?? 0, ended: c?.e ?? 0, activities: a?.n ?? 0 };
  }

  drain(): Promise<void> {
    return this.batcher.drain();
  }

  /** one transaction for the batch (ActivityBatcher settles the appends after its COMMIT) */
  private async insertActivities(batch: readonly ActivityRow[]): Promise<{ conversation_id: string; seq: number }[]> {
    const stored: { conversation_id: string; seq: number }[] = [];
    await this.sql.atomic(undefined, async (t) => {
      for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
        const rows = batch.slice(i, i + ROWS_PER_STATEMENT);
        const inserted = await this.sql.all<{ conversation_id: string; seq: number }>(
          `INSERT INTO directline_activities (conversation_id, seq, json) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}
           ON CONFLICT DO NOTHING RETURNING conversation_id, seq`,
          rows.flatMap((r) => [r.conversationId, r.seq, r.json]),
          t,
        );
        stored.push(...inserted);
      }
    });
    return stored;
  }
}
