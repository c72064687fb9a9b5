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
 * A repeat while 'running' under another owner runs again: with SQLite one process owns the database,
 * so another owner is a process that died during the turn (kill -9, power loss). Several instances
 * (PostgreSQL): the turn lock (src/bot/turnLock.ts) is held around the claim, so 'running' under another
 * owner is a turn that is over; no lease needed, and a crashed instance's turn runs again at once. The re-run
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
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { newOwnerId } from '../store/coordination';
import type { ActivityMark, DedupeRepository } from '../store/types';

/** Activity types that are not de-duplicated (see the header). */
const NOT_DEDUPED = new Set(['typing', 'invoke']);

/** Whether the middleware keeps a mark for this activity. */
export function isDeduped(a: Partial<Activity>): boolean {
  return !!a.id && !!a.type && !NOT_DEDUPED.has(a.type) && !!a.conversation?.id && !!a.channelId;
}

/** turnState: set when this turn is a delivery again of an activity whose earlier turn did not complete */
export const REDELIVERY_KEY = Symbol('klachtbot.dedupe.redelivery');

export type DedupeDecision = 'run' | 'rerun' | 'skip';

export class DedupeMiddleware implements Middleware {
  /** this process's owner id: random per start, so a restarted process (even with the same pid) is another owner */
  readonly owner: string;
  /** keys of turns running in this process now */
  private readonly inFlight = new Set<string>();

  /** `owner`: this process's id (the store's Coordination.owner); default a new random one */
  constructor(private readonly marks: DedupeRepository, owner?: string) {
    this.owner = owner ?? newOwnerId();
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    if (!isDeduped(a)) return next();
    const key: ActivityMark = { channelId: a.channelId, conversationId: a.conversation.id, activityId: a.id! };
    const mark = JSON.stringify([key.channelId, key.conversationId, key.activityId]);
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
        await this.marks.release(key, this.owner).catch(() => undefined);
        throw err;
      }
      // after the turn, and so after the bot saved the conversation state. If this write fails the
      // turn still answered; the mark stays 'running' and a repeat would run again.
      await this.marks.markDone(key, this.owner).catch(() => undefined);
    } finally {
      this.inFlight.delete(mark);
    }
  }

  /**
   * Takes the mark for this process: 'run' (first delivery), 'rerun' (an earlier delivery's turn did
   * not complete: its process died, or it failed and its mark could not be removed) or 'skip' (done).
   * The caller has made sure no turn for this key runs in this process.
   */
  private async claim(key: ActivityMark): Promise<DedupeDecision> {
    const now = new Date().toISOString();
    const found = await this.marks.claim(key, this.owner, now);
    if (found.state === 'claimed') return 'run';
    if (found.state === 'done') return 'skip';
    // one statement, so that of two processes only one could take it
    return (await this.marks.takeOver(key, found.owner, this.owner, now)) ? 'rerun' : 'skip';
  }

  /** Forgets marks older than `before` (retries come within minutes). */
  prune(before: Date): Promise<number> {
    return this.marks.prune(before.toISOString());
  }
}
