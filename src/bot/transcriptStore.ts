/**
 * botbuilder's TranscriptStore over SQLite: every activity of every conversation, in and out, as
 * botbuilder's TranscriptLoggerMiddleware hands it over.
 *
 * The middleware calls `logActivity` at the end of a turn WITHOUT awaiting it. So this store orders and
 * persists writes itself: `logActivity` serialises the activity synchronously (a snapshot: later changes
 * to the object do not leak in) and appends it to the open batch. A batch is one multi-row INSERT (atomic
 * on its own), registered with the Db at once (so `Db.close()` and later transactions wait for it) and
 * run after the batch before it, so activities are stored in exactly the order `logActivity` was called,
 * also when many turns run concurrently. Under load, activities logged while a batch waits join it.
 * A trigger keeps the `transcripts` registry (first and last activity per conversation). No transaction
 * is needed, so the bot's own writes (state, de-duplication) never wait for transcript logging.
 * `flush()` resolves when everything logged so far is committed (tests call it before asserting).
 *
 * The order of a transcript is the order of logging (column `seq`), not the activities' timestamps,
 * which come from different clocks (channel, bot) and tie within a millisecond.
 */
import { isSharedTeamsConversation } from '../teams/conversation';
import {
  TranscriptLoggerMiddleware,
  type Activity,
  type PagedResult,
  type TranscriptInfo,
  type TranscriptStore,
  type TurnContext,
} from 'botbuilder';
import type { Logger } from '../logger';
import type { Db, Migration } from '../store/db';

export const TRANSCRIPT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE transcript_activities (
        seq INTEGER PRIMARY KEY,
        channel_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        activity_id TEXT,
        type TEXT NOT NULL,
        role TEXT,
        timestamp TEXT NOT NULL,
        logged_at TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX transcript_activities_conversation ON transcript_activities(channel_id, conversation_id, seq);
      CREATE TABLE transcripts (
        channel_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_activity_at TEXT NOT NULL,
        PRIMARY KEY (channel_id, conversation_id)
      );
      CREATE INDEX transcripts_channel_created ON transcripts(channel_id, created_at);
      CREATE INDEX transcripts_last_activity ON transcripts(last_activity_at);
    `,
  },
  {
    // the registry follows every insert, so a batch of activities is one statement
    version: 2,
    sql: `
      CREATE TRIGGER transcripts_registry AFTER INSERT ON transcript_activities
      BEGIN
        INSERT INTO transcripts (channel_id, conversation_id, created_at, last_activity_at)
        VALUES (NEW.channel_id, NEW.conversation_id, NEW.logged_at, NEW.logged_at)
        ON CONFLICT (channel_id, conversation_id) DO UPDATE SET last_activity_at = excluded.last_activity_at;
      END;
    `,
  },
];

interface Row {
  channelId: string;
  conversationId: string;
  activityId: string | null;
  type: string;
  role: string | null;
  timestamp: string;
  loggedAt: string;
  data: string;
}

/** Rows per INSERT statement (8 parameters each; well under SQLite's variable limit). */
const ROWS_PER_STATEMENT = 200;
/** Times a batch is tried when the database stays locked by another process (5 s busy timeout each). */
const MAX_ATTEMPTS = 5;

export interface TranscriptStoreOptions {
  /** page size of getTranscriptActivities and listTranscripts (botbuilder's stores use 20) */
  pageSize?: number;
  clock?: () => Date;
  log?: Logger;
}

export class SqliteTranscriptStore implements TranscriptStore {
  private pending: Row[] | null = null;
  private last: Promise<void> = Promise.resolve();
  private readonly pageSize: number;
  private readonly clock: () => Date;

  constructor(private readonly db: Db, private readonly opts: TranscriptStoreOptions = {}) {
    this.pageSize = opts.pageSize ?? 20;
    this.clock = opts.clock ?? (() => new Date());
  }

  async init(): Promise<this> {
    await this.db.migrate('transcripts', TRANSCRIPT_MIGRATIONS);
    return this;
  }

  /**
   * Queues the activity; the promise resolves once it is committed. Throws (synchronously) for an
   * activity without channelId or conversation id, which could never be found again.
   */
  logActivity(activity: Partial<Activity>): Promise<void> {
    const row = toRow(activity, this.clock());
    if (this.pending === null) {
      const batch: Row[] = [];
      this.pending = batch;
      this.last = this.store(batch, this.last, 1);
    }
    this.pending.push(row);
    if (this.pending.length >= ROWS_PER_STATEMENT) this.pending = null; // full: the next activity opens a new batch
    return this.last;
  }

  /** Resolves when every activity logged before this call is committed (or has finally failed). */
  async flush(): Promise<void> {
    await this.last.catch(() => undefined);
  }

  /** Writes the batch after `previous`; a busy database (another process writing) is tried again. */
  private store(batch: Row[], previous: Promise<void>, attempt: number): Promise<void> {
    return this.db
      .writeLater(() => {
        if (this.pending === batch) this.pending = null; // from here on, new activities go to a new batch
        return [
          `INSERT INTO transcript_activities (channel_id, conversation_id, activity_id, type, role, timestamp, logged_at, data)
           VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          batch.flatMap((r) => [r.channelId, r.conversationId, r.activityId, r.type, r.role, r.timestamp, r.loggedAt, r.data]),
        ];
      }, previous)
      .then(
        () => undefined,
        (err: Error & { code?: string }) => {
          // One statement: nothing of the batch was stored, and later batches wait for this one, so
          // trying again keeps the order.
          if (err.code === 'SQLITE_BUSY' && attempt < MAX_ATTEMPTS) return this.store(batch, Promise.resolve(), attempt + 1);
          this.opts.log?.error(
            { event: 'transcript.write', activities: batch.length, err: { message: err.message } },
            'transcript activities could not be stored',
          );
          throw err;
        },
      );
  }

  async getTranscriptActivities(
    channelId: string,
    conversationId: string,
    continuationToken?: string,
    startDate?: Date,
  ): Promise<PagedResult<Activity>> {
    if (!channelId) throw new Error('Missing channelId');
    if (!conversationId) throw new Error('Missing conversationId');
    const after = continuationToken ? Number.parseInt(continuationToken, 10) : 0;
    if (!Number.isSafeInteger(after) || after < 0) throw new Error('Invalid continuationToken');
    const rows = await this.db.all<{ seq: number; data: string }>(
      `SELECT seq, data FROM transcript_activities
        WHERE channel_id = ? AND conversation_id = ? AND seq > ? ${startDate ? 'AND timestamp >= ?' : ''}
        ORDER BY seq LIMIT ?`,
      [channelId, conversationId, after, ...(startDate ? [startDate.toISOString()] : []), this.pageSize],
    );
    return {
      items: rows.map((r) => fromJson(r.data)),
      continuationToken: rows.length === this.pageSize ? String(rows[rows.length - 1].seq) : (undefined as unknown as string),
    };
  }

  /** The whole transcript in order (what getTranscriptActivities pages through). */
  async getAllActivities(channelId: string, conversationId: string): Promise<Activity[]> {
    const rows = await this.db.all<{ data: string }>(
      'SELECT data FROM transcript_activities WHERE channel_id = ? AND conversation_id = ? ORDER BY seq',
      [channelId, conversationId],
    );
    return rows.map((r) => fromJson(r.data));
  }

  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    if (!channelId) throw new Error('Missing channelId');
    let cursor: [string, string] | undefined;
    if (continuationToken) {
      try {
        const parsed = JSON.parse(Buffer.from(continuationToken, 'base64url').toString('utf8'));
        if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')) cursor = [parsed[0], parsed[1]];
      } catch {
        // falls through to the error below
      }
      if (!cursor) throw new Error('Invalid continuationToken');
    }
    const rows = await this.db.all<{ conversation_id: string; created_at: string }>(
      `SELECT conversation_id, created_at FROM transcripts WHERE channel_id = ?
         ${cursor ? 'AND (created_at > ? OR (created_at = ? AND conversation_id > ?))' : ''}
       ORDER BY created_at, conversation_id LIMIT ?`,
      [channelId, ...(cursor ? [cursor[0], cursor[0], cursor[1]] : []), this.pageSize],
    );
    const lastRow = rows[rows.length - 1];
    return {
      items: rows.map((r) => ({ channelId, id: r.conversation_id, created: new Date(r.created_at) })),
      continuationToken:
        rows.length === this.pageSize
          ? Buffer.from(JSON.stringify([lastRow.created_at, lastRow.conversation_id])).toString('base64url')
          : (undefined as unknown as string),
    };
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    if (!channelId) throw new Error('Missing channelId');
    if (!conversationId) throw new Error('Missing conversationId');
    await this.flush(); // an activity logged before the delete must not come back after it
    await this.db.transaction(() => deleteTranscriptRows(this.db, channelId, conversationId));
  }
}

/** Deletes one conversation's transcript; call inside a transaction (retention uses it too). */
export async function deleteTranscriptRows(db: Db, channelId: string, conversationId: string): Promise<number> {
  const { changes } = await db.run('DELETE FROM transcript_activities WHERE channel_id = ? AND conversation_id = ?', [
    channelId,
    conversationId,
  ]);
  await db.run('DELETE FROM transcripts WHERE channel_id = ? AND conversation_id = ?', [channelId, conversationId]);
  return changes;
}

function toRow(activity: Partial<Activity>, now: Date): Row {
  if (!activity) throw new Error('activity cannot be null for logActivity()');
  const channelId = activity.channelId;
  const conversationId = activity.conversation?.id;
  if (!channelId || !conversationId) throw new Error('logActivity: activity needs channelId and conversation.id');
  const copy: Partial<Activity> = { ...activity };
  // The middleware gives incoming activities from.role 'user' when the channel left it empty; what it logs
  // without a role is the bot's own. The Emulator needs both roles to draw the two sides of the chat.
  if (copy.from) copy.from = { ...copy.from, role: copy.from.role || 'bot' };
  if (copy.recipient) {
    copy.recipient = { ...copy.recipient, role: copy.recipient.role || (copy.from?.role === 'user' ? 'bot' : 'user') };
  }
  const ts = activity.timestamp ? new Date(activity.timestamp) : now;
  const timestamp = Number.isNaN(ts.getTime()) ? now.toISOString() : ts.toISOString();
  copy.timestamp = timestamp as unknown as Date;
  return {
    channelId,
    conversationId,
    activityId: activity.id ?? null,
    type: activity.type ?? 'message',
    role: copy.from?.role ?? null,
    timestamp,
    loggedAt: now.toISOString(),
    data: JSON.stringify(copy),
  };
}

function fromJson(data: string): Activity {
  const a = JSON.parse(data) as Activity & { timestamp?: string | Date; localTimestamp?: string | Date };
  if (typeof a.timestamp === 'string') a.timestamp = new Date(a.timestamp);
  if (typeof a.localTimestamp === 'string') a.localTimestamp = new Date(a.localTimestamp);
  return a;
}

/**
 * A transcript as the Bot Framework Emulator opens it (File > Open transcript): a JSON array of Activity
 * objects with id, timestamp, channelId, conversation, from/recipient (role 'user' or 'bot'), type, text.
 */
export function toEmulatorTranscript(activities: Activity[]): string {
  return `${JSON.stringify(activities, null, 2)}\n`;
}

/**
 * botbuilder's TranscriptLoggerMiddleware, which also writes the turn's transcript when the bot throws
 * (the original only writes at the end of a successful turn, so the citizen's message would be lost).
 * The error is re-thrown afterwards, so the adapter's onTurnError still runs.
 */
export class TranscriptMiddleware extends TranscriptLoggerMiddleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    // A Teams group chat or channel is not a complaint conversation (the bot refuses to take one
    // there): what colleagues write to each other there is not recorded.
    if (isSharedTeamsConversation(context)) return next();
    let failure: { err: unknown } | undefined;
    await super.onTurn(context, async () => {
      try {
        await next();
      } catch (err) {
        failure = { err };
      }
    });
    if (failure) throw failure.err;
  }
}
