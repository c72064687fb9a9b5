/**
 * Turns of one conversation never run at the same time on two instances. botbuilder's BotState reads
 * the conversation state at the start of a turn and saves it with eTag '*' at the end, so two turns
 * running side by side would each save their own copy and the last writer would win (a lost answer, or
 * a complaint filed from a half state).
 *
 * This middleware, first in the adapter's pipeline (before de-duplication, so that the mark is
 * claimed under the lock), holds the conversation's lock (Coordination.withLock, key
 * `turn:<channel>:<conversation>`) for the whole turn: the state read, the bot, the state save and the
 * 'done' mark. A second delivery or message of the same conversation, on this instance or another,
 * waits for it. With this, a de-duplication mark found 'running' under another owner always belongs to
 * a turn that is over (its process died, or its last write failed), so running it again is right.
 *
 * - SQLite (one process; Coordination.shared is false): nothing is locked here, as before.
 * - The built-in Direct Line serialises its conversations itself (its lock also covers the echo of
 *   the user's activity and its sequence number: src/directline/service.ts), so activities with its
 *   serviceUrl pass through (`skip`); /api/messages never accepts that serviceUrl (src/server.ts).
 */
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { Coordination } from '../store/coordination';

export function turnLockKey(channelId: string, conversationId: string): string {
  return `turn:${channelId}:${conversationId}`;
}

export interface TurnLockOptions {
  /** activities serialised elsewhere (the built-in Direct Line's) */
  skip?: (activity: Partial<Activity>) => boolean;
  /** how long a turn waits for the conversation's running turn; default 60 s (channels give up sooner) */
  timeoutMs?: number;
}

export class TurnLockMiddleware implements Middleware {
  constructor(
    private readonly coordination: Coordination,
    private readonly opts: TurnLockOptions = {},
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    if (!this.coordination.shared || !a.channelId || !a.conversation?.id || this.opts.skip?.(a)) return next();
    await this.coordination.withLock(turnLockKey(a.channelId, a.conversation.id), next, { timeoutMs: this.opts.timeoutMs });
  }
}
