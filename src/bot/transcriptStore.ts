/**
 * botbuilder's TranscriptStore over the store's transcript repository: every activity of every
 * conversation, in and out, as botbuilder's TranscriptLoggerMiddleware hands it over.
 *
 * The middleware calls `logActivity` at the end of a turn WITHOUT awaiting it. So this class orders
 * writes itself: `logActivity` serialises the activity synchronously (a snapshot: later changes to the
 * object do not leak in) and appends it to the open batch. A batch is one repository append (atomic),
 * started after the batch before it, so activities are stored in exactly the order `logActivity` was
 * called, also when many turns run concurrently. Under load, activities logged while a batch waits join
 * it. No transaction is needed, so the bot's own writes (state, de-duplication) never wait for
 * transcript logging. `flush()` resolves when everything logged so far is committed (tests call it
 * before asserting; the app calls it before closing the store).
 *
 * The order of a transcript is the order of logging (the store's `seq`), not the activities'
 * timestamps, which come from different clocks (channel, bot) and tie within a millisecond.
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
import type { TranscriptEntry, TranscriptRepository } from '../store/types';


type Row = TranscriptEntry;

/** Activities per batch (one repository append). */
const ROWS_PER_BATCH = 200;

export interface TranscriptStoreOptions {
  /** page size of getTranscriptActivities and listTranscripts (botbuilder's stores use 20) */
  pageSize?: number;
  clock?: () => Date;
  log?: Logger;
}

export class BotTranscriptStore implements TranscriptStore {
  private pending: Row[] | null = null;
  private last: Promise<void> = Promise.resolve();
  private readonly pageSize: number;
  private readonly clock: () => Date;

  constructor(private readonly repo: TranscriptRepository, private readonly opts: TranscriptStoreOptions = {}) {
    this.pageSize = opts.pageSize ?? 20;
    this.clock = opts.clock ?? (() => new Date());
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
      this.last = this.store(batch, this.last);
    }
    this.pending.push(row);
    if (this.pending.length >= ROWS_PER_BATCH) this.pending = null; // full: the next activity opens a new batch
    return this.last;
  }

  /** Resolves when every activity logged before this call is committed (or has finally failed). */
  async flush(): Promise<void> {
    await this.last.catch(() => undefined);
  }

  /** Writes the batch after `previous` (whatever became of it). */
  private store(batch: Row[], previous: Promise<void>): Promise<void> {
    return previous
      .catch(() => undefined)
      .then(() => {
        if (this.pending === batch) this.pending = null; // from here on, new activities go to a new batch
        return this.repo.append(batch);
      })
      .catch((err: Error) => {
        this.opts.log?.error(
          { event: 'transcript.write', activities: batch.length, err: { message: err.message } },
          'transcript activities could not be stored',
        );
        throw err;
      });
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
    const rows = await this.repo.page(
      { channelId, conversationId },
      { afterSeq: after, ...(startDate ? { since: startDate.toISOString() } : {}), limit: this.pageSize },
    );
    return {
      items: rows.map((r) => fromJson(r.data)),
      continuationToken: rows.length === this.pageSize ? String(rows[rows.length - 1].seq) : (undefined as unknown as string),
    };
  }

  /** The whole transcript in order (what getTranscriptActivities pages through). */
  async getAllActivities(channelId: string, conversationId: string): Promise<Activity[]> {
    return (await this.repo.all({ channelId, conversationId })).map(fromJson);
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
    const rows = await this.repo.listConversations(channelId, {
      ...(cursor ? { after: { createdAt: cursor[0], conversationId: cursor[1] } } : {}),
      limit: this.pageSize,
    });
    const lastRow = rows[rows.length - 1];
    return {
      items: rows.map((r) => ({ channelId, id: r.conversationId, created: new Date(r.createdAt) })),
      continuationToken:
        rows.length === this.pageSize
          ? Buffer.from(JSON.stringify([lastRow.createdAt, lastRow.conversationId])).toString('base64url')
          : (undefined as unknown as string),
    };
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    if (!channelId) throw new Error('Missing channelId');
    if (!conversationId) throw new Error('Missing conversationId');
    await this.flush(); // an activity logged before the delete must not come back after it
    await this.repo.deleteConversation({ channelId, conversationId });
  }
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
