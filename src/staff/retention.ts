/**
 * Retention: nothing is kept longer than its period.
 * - A resolved complaint is deleted `resolvedYears` after it was resolved, together with its history,
 *   call-back request, transcript and conversation state (the last three only when no other complaint
 *   of the same conversation is kept). Open complaints are never deleted.
 * - A conversation that never became a complaint is deleted `abandonedDays` after its last activity:
 *   transcript, conversation state, de-duplication marks and call-back requests filed without a
 *   complaint.
 * Each deletion runs in its own transaction (the bot keeps answering meanwhile) and re-checks its
 * condition inside it. The audit log records each deleted complaint's reference and the date, and for
 * conversations only a count.
 */
import { deleteTranscriptRows } from '../bot/sqliteTranscriptStore';
import type { Db } from '../store/db';
import type { Actor, AuditLog } from './audit';
import type { PurgeReport } from './schemas';

export interface RetentionPolicy {
  resolvedYears: number;
  abandonedDays: number;
}

interface Conversation {
  channel: string;
  conversationId: string;
}

const STATE_KEY = /^(.+?)\/conversations\/(.+)\/([^/]*)$/;

export class Retention {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    readonly policy: RetentionPolicy,
    private readonly clock: () => Date = () => new Date(),
  ) {}

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
    const complaints = await this.db.all<{ id: number; reference: string; resolved_at: string }>(
      `SELECT c.id, c.reference, h.resolved_at FROM complaint_handling h JOIN complaints c ON c.id = h.complaint_id
        WHERE c.status = 'resolved' AND h.resolved_at < ? ORDER BY h.resolved_at`,
      [cut.resolved],
    );
    const conversations = await this.abandonedConversations(cut.abandoned);
    const orphanCallbacks = await this.db.all<{ id: number }>(
      `SELECT cb.id FROM callbacks cb WHERE cb.complaint_reference IS NULL AND cb.created_at < ?
          AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.channel = cb.channel AND c.conversation_id = cb.conversation_id)`,
      [cut.abandoned],
    );
    const report: PurgeReport = {
      dryRun: opts.dryRun,
      complaints: complaints.map((c) => ({ reference: c.reference, resolvedAt: c.resolved_at })),
      conversations: conversations.length,
      callbacks: orphanCallbacks.length,
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
      const done = await this.db.transaction(async () => {
        const row = await this.db.get<{ id: number; channel: string; conversation_id: string; callback_id: number | null }>(
          `SELECT c.id, c.channel, c.conversation_id, c.callback_id FROM complaints c JOIN complaint_handling h ON h.complaint_id = c.id
            WHERE c.id = ? AND c.status = 'resolved' AND h.resolved_at < ?`,
          [c.id, cut.resolved],
        );
        if (!row) return false; // reopened or gone since the plan
        await this.db.run('DELETE FROM complaints WHERE id = ?', [row.id]); // the search index follows by trigger
        await this.db.run('DELETE FROM complaint_events WHERE complaint_id = ?', [row.id]);
        await this.db.run('DELETE FROM complaint_handling WHERE complaint_id = ?', [row.id]);
        const cbs = await this.db.all<{ id: number }>('SELECT id FROM callbacks WHERE complaint_reference = ? OR id = ?', [
          c.reference,
          row.callback_id ?? -1,
        ]);
        await this.deleteCallbacks(cbs.map((x) => x.id));
        const others = await this.db.get<{ n: number }>(
          'SELECT count(*) AS n FROM complaints WHERE channel = ? AND conversation_id = ?',
          [row.channel, row.conversation_id],
        );
        if (!others?.n) await this.deleteConversation({ channel: row.channel, conversationId: row.conversation_id });
        await this.audit.recordInTransaction(actor, { action: 'complaint.purge', references: [c.reference] });
        return true;
      });
      if (done) purged.push({ reference: c.reference, resolvedAt: c.resolved_at });
    }

    let conversationCount = 0;
    let callbacksWithConversations = 0;
    for (const conv of conversations) {
      const deleted = await this.db.transaction(async () => {
        if (!(await this.isAbandoned(conv, cut.abandoned))) return null;
        return this.deleteConversation(conv);
      });
      if (deleted !== null) {
        conversationCount++;
        callbacksWithConversations += deleted;
      }
    }
    const callbackCount = await this.db.transaction(async () => {
      const ids = (
        await this.db.all<{ id: number }>(
          `SELECT cb.id FROM callbacks cb WHERE cb.complaint_reference IS NULL AND cb.created_at < ?
              AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.channel = cb.channel AND c.conversation_id = cb.conversation_id)`,
          [cut.abandoned],
        )
      ).map((r) => r.id);
      await this.deleteCallbacks(ids);
      const callbacks = callbacksWithConversations + ids.length;
      if (conversationCount > 0 || callbacks > 0) {
        await this.audit.recordInTransaction(actor, {
          action: 'conversation.purge',
          detail: { conversations: conversationCount, callbacks },
        });
      }
      return callbacks;
    });
    return { dryRun: false, complaints: purged, conversations: conversationCount, callbacks: callbackCount };
  }

  /** Conversations without a complaint whose transcript, state and call-backs are all older than the cut-off. */
  private async abandonedConversations(cutoff: string): Promise<Conversation[]> {
    const found = new Map<string, Conversation>();
    const add = (channel: string, conversationId: string) => found.set(`${channel}\n${conversationId}`, { channel, conversationId });
    for (const r of await this.db.all<{ channel_id: string; conversation_id: string }>(
      'SELECT channel_id, conversation_id FROM transcripts WHERE last_activity_at < ?',
      [cutoff],
    )) {
      add(r.channel_id, r.conversation_id);
    }
    for (const r of await this.db.all<{ key: string }>('SELECT key FROM bot_state WHERE updated_at < ?', [cutoff])) {
      const m = STATE_KEY.exec(r.key);
      if (m) add(m[1], m[2]);
    }
    for (const r of await this.db.all<{ channel_id: string; conversation_id: string }>(
      'SELECT DISTINCT channel_id, conversation_id FROM processed_activities WHERE created_at < ?',
      [cutoff],
    )) {
      add(r.channel_id, r.conversation_id);
    }
    const withComplaint = new Set(
      (await this.db.all<{ k: string }>("SELECT DISTINCT channel || char(10) || conversation_id AS k FROM complaints")).map((r) => r.k),
    );
    const result: Conversation[] = [];
    for (const [k, conv] of found) {
      if (!withComplaint.has(k) && (await this.isAbandoned(conv, cutoff))) result.push(conv);
    }
    return result;
  }

  private async isAbandoned(conv: Conversation, cutoff: string): Promise<boolean> {
    const { channel, conversationId } = conv;
    const row = await this.db.get<{ complaint: number; transcript: number; callback: number; processed: number }>(
      `SELECT
         EXISTS (SELECT 1 FROM complaints WHERE channel = ? AND conversation_id = ?) AS complaint,
         EXISTS (SELECT 1 FROM transcripts WHERE channel_id = ? AND conversation_id = ? AND last_activity_at >= ?) AS transcript,
         EXISTS (SELECT 1 FROM callbacks WHERE channel = ? AND conversation_id = ? AND (created_at >= ? OR complaint_reference IS NOT NULL)) AS callback,
         EXISTS (SELECT 1 FROM processed_activities WHERE channel_id = ? AND conversation_id = ? AND created_at >= ?) AS processed`,
      [channel, conversationId, channel, conversationId, cutoff, channel, conversationId, cutoff, channel, conversationId, cutoff],
    );
    if (!row || row.complaint || row.transcript || row.callback || row.processed) return false;
    const state = await this.stateKeys(conv);
    const fresh = await this.db.get<{ n: number }>(
      `SELECT count(*) AS n FROM bot_state WHERE key IN (${state.map(() => '?').join(',') || "''"}) AND updated_at >= ?`,
      [...state, cutoff],
    );
    return !fresh?.n;
  }

  /** This conversation's state keys: `${channelId}/conversations/${conversationId}/${namespace}`. */
  private async stateKeys(conv: Conversation): Promise<string[]> {
    const prefix = `${conv.channel}/conversations/${conv.conversationId}/`;
    const rows = await this.db.all<{ key: string }>('SELECT key FROM bot_state WHERE key >= ? AND key < ?', [
      prefix,
      `${prefix}\uffff`,
    ]);
    return rows.map((r) => r.key).filter((k) => !k.slice(prefix.length).includes('/'));
  }

  /**
   * Transcript, conversation state, de-duplication marks and complaint-less call-backs; inside a
   * transaction. Returns the number of call-back requests deleted.
   */
  private async deleteConversation(conv: Conversation): Promise<number> {
    await deleteTranscriptRows(this.db, conv.channel, conv.conversationId);
    const keys = await this.stateKeys(conv);
    if (keys.length) await this.db.run(`DELETE FROM bot_state WHERE key IN (${keys.map(() => '?').join(',')})`, keys);
    await this.db.run('DELETE FROM processed_activities WHERE channel_id = ? AND conversation_id = ?', [conv.channel, conv.conversationId]);
    const cbs = await this.db.all<{ id: number }>(
      'SELECT id FROM callbacks WHERE channel = ? AND conversation_id = ? AND complaint_reference IS NULL',
      [conv.channel, conv.conversationId],
    );
    await this.deleteCallbacks(cbs.map((c) => c.id));
    return cbs.length;
  }

  private async deleteCallbacks(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const list = ids.map(() => '?').join(',');
    await this.db.run(`DELETE FROM callback_handling WHERE callback_id IN (${list})`, ids);
    await this.db.run(`DELETE FROM callbacks WHERE id IN (${list})`, ids);
  }
}
