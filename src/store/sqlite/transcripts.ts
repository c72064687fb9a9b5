/**
 * Transcripts in SQLite: `transcript_activities` (seq = INTEGER PRIMARY KEY, the order of appending) and
 * the `transcripts` registry (first and last activity per conversation), kept by a trigger, so a batch of
 * activities is one multi-row INSERT, atomic on its own.
 */
import type { ConversationRef, TranscriptEntry, TranscriptInfoRow, TranscriptPageQuery, TranscriptRepository, Tx } from '../types';
import type { Sql } from './sql';

/** Rows per INSERT statement (8 parameters each; well under SQLite's variable limit). */
const ROWS_PER_STATEMENT = 200;
/** Times a statement is tried when the database stays locked by another process (5 s busy timeout each). */
const MAX_ATTEMPTS = 5;

export class SqliteTranscripts implements TranscriptRepository {
  constructor(private readonly sql: Sql) {}

  async append(entries: TranscriptEntry[], tx?: Tx): Promise<void> {
    if (entries.length === 0) return;
    if (entries.length <= ROWS_PER_STATEMENT) return this.insert(entries, tx, 1);
    await this.sql.atomic(tx, async (t) => {
      for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) await this.insert(entries.slice(i, i + ROWS_PER_STATEMENT), t, MAX_ATTEMPTS);
    });
  }

  private async insert(rows: TranscriptEntry[], tx: Tx | undefined, attempt: number): Promise<void> {
    try {
      await this.sql.run(
        `INSERT INTO transcript_activities (channel_id, conversation_id, activity_id, type, role, timestamp, logged_at, data)
         VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        rows.flatMap((r) => [r.channelId, r.conversationId, r.activityId, r.type, r.role, r.timestamp, r.loggedAt, r.data]),
        tx,
      );
    } catch (err) {
      // One statement: nothing of it was stored, so trying again keeps the order (outside a transaction).
      if ((err as { code?: string }).code === 'SQLITE_BUSY' && !tx && attempt < MAX_ATTEMPTS) return this.insert(rows, tx, attempt + 1);
      throw err;
    }
  }

  page(conv: ConversationRef, q: TranscriptPageQuery, tx?: Tx): Promise<{ seq: number; data: string }[]> {
    return this.sql.all<{ seq: number; data: string }>(
      `SELECT seq, data FROM transcript_activities
        WHERE channel_id = ? AND conversation_id = ? AND seq > ? ${q.since ? 'AND timestamp >= ?' : ''}
        ORDER BY seq LIMIT ?`,
      [conv.channelId, conv.conversationId, q.afterSeq, ...(q.since ? [q.since] : []), q.limit],
      tx,
    );
  }

  async all(conv: ConversationRef, tx?: Tx): Promise<string[]> {
    const rows = await this.sql.all<{ data: string }>(
      'SELECT data FROM transcript_activities WHERE channel_id = ? AND conversation_id = ? ORDER BY seq',
      [conv.channelId, conv.conversationId],
      tx,
    );
    return rows.map((r) => r.data);
  }

  async listConversations(
    channelId: string,
    q: { after?: { createdAt: string; conversationId: string }; limit: number },
    tx?: Tx,
  ): Promise<TranscriptInfoRow[]> {
    const a = q.after;
    const rows = await this.sql.all<{ conversation_id: string; created_at: string }>(
      `SELECT conversation_id, created_at FROM transcripts WHERE channel_id = ?
         ${a ? 'AND (created_at > ? OR (created_at = ? AND conversation_id > ?))' : ''}
       ORDER BY created_at, conversation_id LIMIT ?`,
      [channelId, ...(a ? [a.createdAt, a.createdAt, a.conversationId] : []), q.limit],
      tx,
    );
    return rows.map((r) => ({ conversationId: r.conversation_id, createdAt: r.created_at }));
  }

  deleteConversation(conv: ConversationRef, tx?: Tx): Promise<number> {
    return this.sql.atomic(tx, async (t) => {
      const { changes } = await this.sql.run('DELETE FROM transcript_activities WHERE channel_id = ? AND conversation_id = ?', [conv.channelId, conv.conversationId], t);
      await this.sql.run('DELETE FROM transcripts WHERE channel_id = ? AND conversation_id = ?', [conv.channelId, conv.conversationId], t);
      return changes;
    });
  }
}
