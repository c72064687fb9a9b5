/**
 * Retention: nothing is kept longer than its period.
 * - A resolved complaint is deleted `resolvedYears` after it was resolved, together with its history,
 *   call-back request, transcript and conversation state (the last three only when nothing else keeps
 *   the conversation, such as another complaint of it). Open complaints are never deleted.
 * - A conversation that never became a complaint is deleted `abandonedDays` after its last activity:
 *   transcript, conversation state, de-duplication marks and call-back requests filed without a
 *   complaint.
 * This module decides WHEN (the policy). WHAT is held and how it goes is each repository's own: the
 * store's retention registry (src/store/types.ts, RetentionParticipant) lists them, and the purge asks
 * every one; nothing here reads another module's tables or keys.
 * Each deletion runs in its own transaction (the bot keeps answering meanwhile) and re-checks its
 * condition inside it. The audit log records each deleted complaint's reference and the date, and for
 * conversations only a count.
 */
import type { ConversationRef, RetentionParticipant, Store, Tx } from '../store/types';
import type { Actor, AuditLog } from './audit';
import type { PurgeReport } from './schemas';

export interface RetentionPolicy {
  resolvedYears: number;
  abandonedDays: number;
}

export class Retention {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    readonly policy: RetentionPolicy,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private get participants(): readonly RetentionParticipant[] {
    return this.store.retention.participants();
  }

  private cutoffs(now: Date): { resolved: string; abandoned: string } {
    const resolved = new Date(now);
    resolved.setUTCFullYear(resolved.getUTCFullYear() - this.policy.resolvedYears);
    return {
      resolved: resolved.toISOString(),
      abandoned: new Date(now.getTime() - this.policy.abandonedDays * 86_400_000).toISOString(),
    };
  }

  /** With `dryRun`, reports what would be deleted and deletes nothing. */
  async purge(actor: Actor, opts: { dryRun: boolean }): Promise<PurgeReport> {
    const now = this.clock();
    const cut = this.cutoffs(now);
    const complaints = await this.store.staff.resolvedBefore(cut.resolved);
    const conversations = await this.abandonedConversations(cut.abandoned);
    let loose = 0;
    for (const p of this.participants) loose += p.countLoose ? await p.countLoose(cut.abandoned) : 0;
    const report: PurgeReport = {
      dryRun: opts.dryRun,
      complaints: complaints.map((c) => ({ reference: c.reference, resolvedAt: c.resolvedAt })),
      conversations: conversations.length,
      callbacks: loose,
    };
    if (opts.dryRun) {
      await this.audit.record(actor, {
        action: 'retention.dry-run',
        detail: { complaints: report.complaints.length, conversations: report.conversations, callbacks: report.callbacks },
      });
      return report;
    }

    const purged: PurgeReport['complaints'] = [];
    for (const c of complaints) {
      const done = await this.store.transaction(async (tx) => {
        const row = await this.store.staff.getHandling(c.reference, tx);
        if (!row || row.status !== 'resolved' || !row.resolvedAt || row.resolvedAt >= cut.resolved) return false; // reopened or gone since the plan
        const conv: ConversationRef = { channelId: row.channelId, conversationId: row.conversationId };
        for (const p of this.participants) await p.purgeComplaint({ id: row.id, reference: row.reference }, tx);
        if (!(await this.anchored(conv, tx))) await this.purgeConversation(conv, tx);
        await this.audit.record(actor, { action: 'complaint.purge', references: [c.reference] }, tx);
        return true;
      });
      if (done) purged.push({ reference: c.reference, resolvedAt: c.resolvedAt });
    }

    let conversationCount = 0;
    let callbacksWithConversations = 0;
    for (const conv of conversations) {
      const deleted = await this.store.transaction(async (tx) => {
        if (!(await this.isAbandoned(conv, cut.abandoned, tx))) return null;
        return this.purgeConversation(conv, tx);
      });
      if (deleted !== null) {
        conversationCount++;
        callbacksWithConversations += deleted;
      }
    }
    const callbackCount = await this.store.transaction(async (tx) => {
      let looseNow = 0;
      for (const p of this.participants) looseNow += p.purgeLoose ? await p.purgeLoose(cut.abandoned, tx) : 0;
      const callbacks = callbacksWithConversations + looseNow;
      if (conversationCount > 0 || callbacks > 0) {
        await this.audit.record(actor, { action: 'conversation.purge', detail: { conversations: conversationCount, callbacks } }, tx);
      }
      return callbacks;
    });
    return { dryRun: false, complaints: purged, conversations: conversationCount, callbacks: callbackCount };
  }

  /** Conversations that something stale is held about, and that are abandoned. */
  private async abandonedConversations(cutoff: string): Promise<ConversationRef[]> {
    const found = new Map<string, ConversationRef>();
    for (const p of this.participants) {
      for (const conv of await p.staleConversations(cutoff)) found.set(`${conv.channelId}\n${conv.conversationId}`, conv);
    }
    const result: ConversationRef[] = [];
    for (const conv of found.values()) if (await this.isAbandoned(conv, cutoff)) result.push(conv);
    return result;
  }

  private async anchored(conv: ConversationRef, tx?: Tx): Promise<boolean> {
    for (const p of this.participants) if (await p.anchors(conv, tx)) return true;
    return false;
  }

  /** Nothing keeps it and nothing about it is from `cutoff` on. */
  private async isAbandoned(conv: ConversationRef, cutoff: string, tx?: Tx): Promise<boolean> {
    if (await this.anchored(conv, tx)) return false;
    for (const p of this.participants) if (await p.activeSince(conv, cutoff, tx)) return false;
    return true;
  }

  /** Every participant forgets the conversation; returns the call-back requests deleted with it. */
  private async purgeConversation(conv: ConversationRef, tx: Tx): Promise<number> {
    let callbacks = 0;
    for (const p of this.participants) {
      const n = await p.purgeConversation(conv, tx);
      if (p.name === 'callbacks') callbacks = n;
    }
    return callbacks;
  }
}
