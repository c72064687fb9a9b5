/**
 * What the built-in Direct Line keeps in SQLite (module 'directline'): the token signing key,
 * conversations and their activities, so that a client reconnecting with its token and watermark
 * after a restart gets what it missed.
 *
 * Activities are written with group commit: appends wait at most one event-loop turn and go in one
 * transaction together (rows for many conversations at once), and each append resolves only after
 * its COMMIT. Per conversation, rows commit in sequence order.
 */
import { randomBytes } from 'crypto';
import type { Db, Migration } from '../store/db';

export const DIRECTLINE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE directline_keys (
        name TEXT PRIMARY KEY,
        value BLOB NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE directline_conversations (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        locale TEXT,
        created_at INTEGER NOT NULL,
        last_active_at INTEGER NOT NULL,
        ended_at INTEGER
      );
      CREATE INDEX directline_conversations_idle ON directline_conversations(ended_at, last_active_at);
      CREATE TABLE directline_activities (
        conversation_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (conversation_id, seq)
      ) WITHOUT ROWID;
    `,
  },
];

export interface StoredConversation {
  id: string;
  userId: string;
  locale: string | null;
  createdAt: number;
  lastActiveAt: number;
  endedAt: number | null;
}

interface PendingRow {
  conversationId: string;
  seq: number;
  json: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** rows per INSERT statement (4 parameters each; well under SQLite's parameter limit) */
const ROWS_PER_STATEMENT = 200;

export class DirectLineStore {
  private pending: PendingRow[] = [];
  private flushing = false;
  private idle: Promise<void> = Promise.resolve();
  private releaseIdle: (() => void) | undefined;

  constructor(private readonly db: Db) {}

  async init(): Promise<this> {
    await this.db.migrate('directline', DIRECTLINE_MIGRATIONS);
    return this;
  }

  /** The token signing key, made once and kept, so tokens stay valid across restarts. */
  async signingKey(): Promise<Buffer> {
    await this.db.write('INSERT OR IGNORE INTO directline_keys (name, value, created_at) VALUES (?, ?, ?)', [
      'token-hs256',
      randomBytes(32),
      new Date().toISOString(),
    ]);
    const row = await this.db.get<{ value: Buffer }>('SELECT value FROM directline_keys WHERE name = ?', ['token-hs256']);
    if (!row) throw new Error('directline signing key missing');
    return Buffer.from(row.value);
  }

  /** Creates the conversation; false when it already existed (ended or not). */
  async createConversation(id: string, userId: string, locale: string | undefined, now: number): Promise<boolean> {
    const { changes } = await this.db.write(
      'INSERT OR IGNORE INTO directline_conversations (id, user_id, locale, created_at, last_active_at) VALUES (?, ?, ?, ?, ?)',
      [id, userId, locale ?? null, now, now],
    );
    return changes === 1;
  }

  async getConversation(id: string): Promise<StoredConversation | undefined> {
    const row = await this.db.get<{
      id: string;
      user_id: string;
      locale: string | null;
      created_at: number;
      last_active_at: number;
      ended_at: number | null;
    }>('SELECT * FROM directline_conversations WHERE id = ?', [id]);
    if (!row) return undefined;
    return {
      id: row.id,
      userId: row.user_id,
      locale: row.locale,
      createdAt: row.created_at,
      lastActiveAt: row.last_active_at,
      endedAt: row.ended_at,
    };
  }

  /** Stores one activity (as JSON text); resolves after it is committed. */
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

  /** Activities after `afterSeq`, oldest first, as stored JSON text. */
  activitiesAfter(conversationId: string, afterSeq: number, limit: number): Promise<{ seq: number; json: string }[]> {
    return this.db.all<{ seq: number; json: string }>(
      'SELECT seq, json FROM directline_activities WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      [conversationId, afterSeq, limit],
    );
  }

  /** The highest sequence number stored for a conversation (0 when none). */
  async lastSeq(conversationId: string): Promise<number> {
    const row = await this.db.get<{ m: number | null }>('SELECT MAX(seq) AS m FROM directline_activities WHERE conversation_id = ?', [conversationId]);
    return row?.m ?? 0;
  }

  /** Marks the conversation active (its idle clock restarts). */
  async touch(conversationId: string, at: number): Promise<void> {
    await this.db.write('UPDATE directline_conversations SET last_active_at = MAX(last_active_at, ?) WHERE id = ?', [at, conversationId]);
  }

  /**
   * Ends conversations idle since before `before`: their activities are deleted and a tombstone
   * row stays (so tokens still alive for them are refused) until `purgeEnded`.
   */
  async endIdle(before: number, now: number, keep: (id: string) => boolean): Promise<string[]> {
    const candidates = await this.db.all<{ id: string }>(
      'SELECT id FROM directline_conversations WHERE ended_at IS NULL AND last_active_at < ? LIMIT 500',
      [before],
    );
    const ids = candidates.map((c) => c.id).filter((id) => !keep(id));
    if (ids.length === 0) return [];
    await this.db.transaction(async () => {
      for (const id of ids) {
        await this.db.run('DELETE FROM directline_activities WHERE conversation_id = ?', [id]);
        await this.db.run('UPDATE directline_conversations SET ended_at = ? WHERE id = ? AND ended_at IS NULL', [now, id]);
      }
    });
    return ids;
  }

  /** Forgets tombstones of conversations ended before `before` (every token for them has expired). */
  async purgeEnded(before: number): Promise<number> {
    return this.db.transaction(async () => {
      // activities a late write may have left behind for an ended conversation go too
      await this.db.run(
        'DELETE FROM directline_activities WHERE conversation_id IN (SELECT id FROM directline_conversations WHERE ended_at IS NOT NULL AND ended_at < ?)',
        [before],
      );
      return (await this.db.run('DELETE FROM directline_conversations WHERE ended_at IS NOT NULL AND ended_at < ?', [before])).changes;
    });
  }

  /** Counts, for tests and health checks. */
  async counts(): Promise<{ conversations: number; ended: number; activities: number }> {
    const c = await this.db.get<{ n: number; e: number }>(
      'SELECT COUNT(*) AS n, COUNT(ended_at) AS e FROM directline_conversations',
    );
    const a = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM directline_activities');
    return { conversations: c?.n ?? 0, ended: c?.e ?? 0, activities: a?.n ?? 0 };
  }

  /** Resolves when every append so far is committed. */
  drain(): Promise<void> {
    return this.idle;
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.db.transaction(async () => {
          for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
            const rows = batch.slice(i, i + ROWS_PER_STATEMENT);
            await this.db.run(
              `INSERT INTO directline_activities (conversation_id, seq, json) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}`,
              rows.flatMap((r) => [r.conversationId, r.seq, r.json]),
            );
          }
        });
        for (const r of batch) r.resolve();
      } catch (err) {
        for (const r of batch) r.reject(err as Error);
      }
    }
    this.flushing = false;
    this.releaseIdle?.();
  }
}
