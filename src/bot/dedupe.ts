/**
 * Channels re-deliver activities (Teams re-sends after 15 s with the same id; a client may retry a
 * POST; after a crash the channel delivers again what got no answer). This middleware runs each
 * incoming activity id once per conversation, and makes sure a turn that did not complete runs again.
 *
 * A mark has two states:
 * - 'running': taken before the turn starts, with the owner (this process's random instance id).
 * - 'done': written after the turn, i.e. after the bot saved the conversation state (ComplaintBot.run
 *   saves at the end of the turn, inside `next()`), so a turn is only done once its state is stored.
 *
 * A repeat while 'done' is answered with nothing: the first delivery answered. A repeat while
 * 'running' in this process (the first delivery is still at work) is answered with nothing as well.
 * A repeat while 'running' under another owner runs again: the product runs one process per database
 * (SQLite), so another owner is a process that died during the turn (kill -9, power loss). The re-run
 * starts from the state saved before the crashed turn; what the turn did in the store is idempotent
 * (a complaint is filed once per intake, the re-run finds it and answers with the same reference).
 * If the process died after the turn saved its state but before the mark said 'done', the bot sees the
 * activity's id among those saved with the state (REDELIVERY_KEY, ComplaintBot.runTurn) and does not
 * run it again.
 * A turn that throws has its mark removed so that a retry runs; if even that write fails, the mark
 * stays 'running' but is no longer in this process's in-flight set, so a retry runs again too.
 *
 * Which activities: every type with an id except `typing` (nothing to repeat) and `invoke` (the
 * channel waits for the invoke response of that very request). So a repeated `conversationUpdate`
 * welcomes once.
 */
import { randomBytes } from 'crypto';
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { Db, Migration } from '../store/db';

export const DEDUPE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `CREATE TABLE processed_activities (
            channel_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (channel_id, conversation_id, activity_id)
          );
          CREATE INDEX processed_activities_created ON processed_activities(created_at);`,
  },
  {
    // marks written before version 2 were taken before their turn; treat them as done
    version: 2,
    sql: `ALTER TABLE processed_activities ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
          ALTER TABLE processed_activities ADD COLUMN owner TEXT;`,
  },
];

/** Activity types that are not de-duplicated (see the header). */
const NOT_DEDUPED = new Set(['typing', 'invoke']);

/** Whether the middleware keeps a mark for this activity. */
export function isDeduped(a: Partial<Activity>): boolean {
  return !!a.id && !!a.type && !NOT_DEDUPED.has(a.type) && !!a.conversation?.id && !!a.channelId;
}

/** turnState: set when this turn is a delivery again of an activity whose earlier turn did not complete */
export const REDELIVERY_KEY = Symbol('klachtbot.dedupe.redelivery');

const KEY_WHERE = 'channel_id = ? AND conversation_id = ? AND activity_id = ?';

export type DedupeDecision = 'run' | 'rerun' | 'skip';

export class DedupeMiddleware implements Middleware {
  /** this process's owner id: random per start, so a restarted process (even with the same pid) is another owner */
  readonly owner = `${process.pid}.${randomBytes(6).toString('hex')}`;
  /** keys of turns running in this process now */
  private readonly inFlight = new Set<string>();

  constructor(private readonly db: Db) {}

  async init(): Promise<this> {
    await this.db.migrate('dedupe', DEDUPE_MIGRATIONS);
    return this;
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    if (!isDeduped(a)) return next();
    const key: [string, string, string] = [a.channelId, a.conversation.id, a.id!];
    const mark = JSON.stringify(key);
    if (this.inFlight.has(mark)) return; // the first delivery is at work here and answers
    this.inFlight.add(mark); // at once, so a second repeat in this process skips
    try {
      const decision = await this.claim(key);
      if (decision === 'skip') return; // the first delivery answered
      // the bot checks whether the earlier turn's state was saved after all (ComplaintBot.runTurn)
      if (decision === 'rerun') context.turnState.set(REDELIVERY_KEY, true);
      try {
        await next();
      } catch (err) {
        await this.db.write(`DELETE FROM processed_activities WHERE ${KEY_WHERE} AND owner = ?`, [...key, this.owner]).catch(() => undefined);
        throw err;
      }
      // after the turn, and so after the bot saved the conversation state. If this write fails the
      // turn still answered; the mark stays 'running' and a repeat would run again.
      await this.db
        .write(`UPDATE processed_activities SET state = 'done' WHERE ${KEY_WHERE} AND owner = ?`, [...key, this.owner])
        .catch(() => undefined);
    } finally {
      this.inFlight.delete(mark);
    }
  }

  /**
   * Takes the mark for this process: 'run' (first delivery), 'rerun' (an earlier delivery's turn did
   * not complete: its process died, or it failed and its mark could not be removed) or 'skip' (done).
   * The caller has made sure no turn for this key runs in this process.
   */
  private async claim(key: [string, string, string]): Promise<DedupeDecision> {
    const now = new Date().toISOString();
    const { changes } = await this.db.write(
      `INSERT INTO processed_activities (channel_id, conversation_id, activity_id, created_at, state, owner)
       VALUES (?, ?, ?, ?, 'running', ?) ON CONFLICT DO NOTHING`,
      [...key, now, this.owner],
    );
    if (changes === 1) return 'run';
    // one statement, so that of two processes only one could take it
    const taken = await this.db.write(
      `UPDATE processed_activities SET owner = ?, created_at = ? WHERE ${KEY_WHERE} AND state = 'running'`,
      [this.owner, now, ...key],
    );
    return taken.changes === 1 ? 'rerun' : 'skip';
  }

  /** Forgets marks older than `before` (retries come within minutes). */
  async prune(before: Date): Promise<number> {
    return (await this.db.write('DELETE FROM processed_activities WHERE created_at < ?', [before.toISOString()])).changes;
  }
}
