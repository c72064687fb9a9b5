/**
 * Channels re-deliver activities (Teams re-sends after 15 s with the same id; a client may retry a
 * POST). This middleware runs each incoming activity id once per conversation; a repeat is answered
 * with nothing. If the turn fails, the mark is removed so that a retry can run.
 */
import type { Middleware, TurnContext } from 'botbuilder';
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
];

export class DedupeMiddleware implements Middleware {
  constructor(private readonly db: Db) {}

  async init(): Promise<this> {
    await this.db.migrate('dedupe', DEDUPE_MIGRATIONS);
    return this;
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    if (!a.id || a.type !== 'message' || !a.conversation?.id) return next();
    const key = [a.channelId, a.conversation.id, a.id];
    const { changes } = await this.db.write(
      'INSERT OR IGNORE INTO processed_activities (channel_id, conversation_id, activity_id, created_at) VALUES (?, ?, ?, ?)',
      [...key, new Date().toISOString()],
    );
    if (changes === 0) return; // seen before: the first delivery answers
    try {
      await next();
    } catch (err) {
      await this.db
        .write('DELETE FROM processed_activities WHERE channel_id = ? AND conversation_id = ? AND activity_id = ?', key)
        .catch(() => undefined);
      throw err;
    }
  }

  /** Forgets marks older than `before` (retries come within minutes). */
  async prune(before: Date): Promise<number> {
    return (await this.db.write('DELETE FROM processed_activities WHERE created_at < ?', [before.toISOString()])).changes;
  }
}
