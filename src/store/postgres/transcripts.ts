/**
 * Transcripts on PostgreSQL: `transcript_activities` (seq: an identity column, the order of appending
 * over all instances) and the `transcripts` registry (first and last activity per conversation). An
 * append is one transaction: the rows (one multi-row INSERT per 500), the registry upsert per
 * conversation, and the words the citizen typed into the staff search documents of the conversation's
 * complaints (searchIndex.ts).
 */
import type { ConversationRef, TranscriptEntry, TranscriptInfoRow, TranscriptPageQuery, TranscriptRepository, Tx } from '../types';
import type { PgDb } from './db';
import { citizenText, indexSaid } from './searchIndex';

const ROWS_PER_STATEMENT = 500;

export class PgTranscripts implements TranscriptRepository {
  constructor(private readonly db: PgDb) {}

  async append(entries: TranscriptEntry[], tx?: Tx): Promise<void> {
    if (entries.length === 0) return;
    await this.db.inTransaction(tx, async (t) => {
      for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
        const rows = entries.slice(i, i + ROWS_PER_STATEMENT);
        // one array per column: a statement of the same text whatever the number of rows
        await this.db.run(
          `INSERT INTO transcript_activities (channel_id, conversation_id, activity_id, type, role, timestamp, logged_at, data)
           SELECT channel_id, conversation_id, activity_id, type, role, timestamp, logged_at, data
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
           WITH ORDINALITY AS r(channel_id, conversation_id, activity_id, type, role, timestamp, logged_at, data, n) ORDER BY n`,
          [
            rows.map((r) => r.channelId),
            rows.map((r) => r.conversationId),
            rows.map((r) => r.activityId),
            rows.map((r) => r.type),
            rows.map((r) => r.role),
            rows.map((r) => r.timestamp),
            rows.map((r) => r.loggedAt),
            rows.map((r) => r.data),
          ],
          t,
        );
      }
      // per conversation: the registry, and what the citizen said for the search
      const byConversation = new Map<string, { conv: ConversationRef; first: string; last: string; said: string[] }>();
      for (const e of entries) {
        const k = JSON.stringify([e.channelId, e.conversationId]);
        let g = byConversation.get(k);
        if (!g) byConversation.set(k, (g = { conv: { channelId: e.channelId, conversationId: e.conversationId }, first: e.loggedAt, last: e.loggedAt, said: [] }));
        g.last = e.loggedAt;
        const text = citizenText(e);
        if (text !== null) g.said.push(text);
      }
      // in key order: two appends that share conversations lock their rows in the same order (no deadlock)
      for (const [, g] of [...byConversation].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
        await this.db.run(
          `INSERT INTO transcripts (channel_id, conversation_id, created_at, last_activity_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (channel_id, conversation_id) DO UPDATE SET last_activity_at = excluded.last_activity_at`,
          [g.conv.channelId, g.conv.conversationId, g.first, g.last],
          t,
        );
        if (g.said.length > 0) await indexSaid(this.db, g.conv, g.said, t);
      }
    });
  }

  page(conv: ConversationRef, q: TranscriptPageQuery, tx?: Tx): Promise<{ seq: number; data: string }[]> {
    return this.db.query<{ seq: number; data: string }>(
      `SELECT seq, data FROM transcript_activities
        WHERE channel_id = $1 AND conversation_id = $2 AND seq > $3 ${q.since ? 'AND timestamp >= $5' : ''}
        ORDER BY seq LIMIT $4`,
      [conv.channelId, conv.conversationId, q.afterSeq, q.limit, ...(q.since ? [q.since] : [])],
      tx,
    );
  }

  async all(conv: ConversationRef, tx?: Tx): Promise<string[]> {
    const rows = await this.db.query<{ data: string }>(
      'SELECT data FROM transcript_activities WHERE channel_id = $1 AND conversation_id = $2 ORDER BY seq',
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
    const rows = await this.db.query<{ conversation_id: string; created_at: string }>(
      `SELECT conversation_id, created_at FROM transcripts WHERE channel_id = $1
         ${a ? 'AND (created_at, conversation_id) > ($3, $4)' : ''}
       ORDER BY created_at, conversation_id LIMIT $2`,
      [channelId, q.limit, ...(a ? [a.createdAt, a.conversationId] : [])],
      tx,
    );
    return rows.map((r) => ({ conversationId: r.conversation_id, createdAt: r.created_at }));
  }

  deleteConversation(conv: ConversationRef, tx?: Tx): Promise<number> {
    return this.db.inTransaction(tx, async (t) => {
      const n = await this.db.run('DELETE FROM transcript_activities WHERE channel_id = $1 AND conversation_id = $2', [conv.channelId, conv.conversationId], t);
      await this.db.run('DELETE FROM transcripts WHERE channel_id = $1 AND conversation_id = $2', [conv.channelId, conv.conversationId], t);
      return n;
    });
  }
}
