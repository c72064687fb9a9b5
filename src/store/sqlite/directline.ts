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
import { toDirectLineConversation, type DirectLineConversationDbRow } from '../rows';
import { DuplicateActivityError, type DirectLineConversation, type DirectLineRepository, type Tx } from '../types';
import type { Sql } from './sql';

interface PendingRow {
  conversationId: string;
  seq: number;
  json: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** rows per INSERT statement (3 parameters each; well under SQLite's parameter limit) */
const ROWS_PER_STATEMENT = 200;

export class SqliteDirectLine implements DirectLineRepository {
  private pending: PendingRow[] = [];
  private flushing = false;
  private idle: Promise<void> = Promise.resolve();
  private releaseIdle: (() => void) | undefined;

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
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ conversationId, seq, json, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        this.idle = new Promise<void>((r) => (this.releaseIdle = r));
        setImmediate(() => void this.flush());
      }
    });
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
    return this.idle;
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const stored = new Set<string>();
        await this.sql.atomic(undefined, async (t) => {
          for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
            const rows = batch.slice(i, i + ROWS_PER_STATEMENT);
            const inserted = await this.sql.all<{ conversation_id: string; seq: number }>(
              `INSERT INTO directline_activities (conversation_id, seq, json) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}
               ON CONFLICT DO NOTHING RETURNING conversation_id, seq`,
              rows.flatMap((r) => [r.conversationId, r.seq, r.json]),
              t,
            );
            for (const r of inserted) stored.add(`${r.seq} ${r.conversation_id}`);
          }
        });
        for (const r of batch) {
          // the first of duplicates within the batch is the one stored
          if (stored.delete(`${r.seq} ${r.conversationId}`)) r.resolve();
          else r.reject(new DuplicateActivityError());
        }
      } catch (err) {
        for (const r of batch) r.reject(err as Error);
      }
    }
    this.flushing = false;
    this.releaseIdle?.();
  }
}
