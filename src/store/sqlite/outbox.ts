/**
 * The outbox on SQLite (OutboxRepository, src/store/types.ts). One process owns the file, so a claim is
 * one conditional UPDATE ... RETURNING: of several workers only the statement that finds a row due
 * takes it (statements on the one connection never interleave). Row shapes: src/delivery/outbox.ts.
 */
import { SELECT_COLUMNS, subjectColumns, toDelivery, zeroCounts, type OutboxRow } from '../../delivery/outbox';
import type { Delivery, DeliveryStatus, DeliverySubject, DeliveryTarget } from '../../delivery/types';
import type { ClaimRequest, EnqueueDelivery, OutboxRepository, RetentionParticipant, Tx } from '../types';
import { placeholders, type Sql } from './sql';

const byIdDesc = (a: Delivery, b: Delivery) => b.id - a.id;

export class SqliteOutbox implements OutboxRepository {
  constructor(private readonly sql: Sql, private readonly clock: () => Date) {}

  enqueue(rows: EnqueueDelivery[], tx?: Tx): Promise<Delivery[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return this.sql.atomic(tx, async (t) => {
      const now = this.clock().toISOString();
      const result: Delivery[] = [];
      for (const r of rows) {
        const s = subjectColumns(r.subject);
        const due = r.dueAt ?? now;
        await this.sql.run(
          `INSERT INTO outbox (subject_kind, subject_ref, subject_id, subject_key, target, status, attempts, next_attempt_at, state, retry_from, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, '{}', ?, ?, ?) ON CONFLICT (subject_key, target) DO NOTHING`,
          [s.kind, s.ref, s.id, s.key, r.target, due, now, now, now],
          t,
        );
        const row = await this.sql.get<OutboxRow>(`SELECT ${SELECT_COLUMNS} FROM outbox WHERE subject_key = ? AND target = ?`, [s.key, r.target], t);
        result.push(toDelivery(row!));
      }
      return result;
    });
  }

  async get(id: number, tx?: Tx): Promise<Delivery | undefined> {
    const row = await this.sql.get<OutboxRow>(`SELECT ${SELECT_COLUMNS} FROM outbox WHERE id = ?`, [id], tx);
    return row && toDelivery(row);
  }

  async claim(req: ClaimRequest, tx?: Tx): Promise<Delivery[]> {
    if (req.targets.length === 0 || req.limit <= 0) return [];
    const leaseUntil = new Date(Date.parse(req.now) + req.leaseMs).toISOString();
    // one statement, atomic by itself: no transaction (which would hold up the conversations' writes)
    const rows = await this.sql.writeReturning<OutboxRow>(
      `UPDATE outbox SET status = 'sending', lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
       WHERE id IN (
         SELECT id FROM outbox
          WHERE target IN (${placeholders(req.targets.length)})
            AND ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until <= ?))
          ORDER BY id LIMIT ?)
         AND ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until <= ?))
       RETURNING ${SELECT_COLUMNS}`,
      [req.owner, leaseUntil, req.now, ...req.targets, req.now, req.now, req.limit, req.now, req.now],
      tx,
    );
    return rows.map(toDelivery).sort((a, b) => a.id - b.id);
  }

  async saveState(id: number, owner: string, state: Record<string, unknown>, at: string, tx?: Tx): Promise<boolean> {
    const keys = Object.keys(state);
    if (keys.length > 0 && keys.every((k) => /^[A-Za-z0-9_]+$/.test(k) && state[k] !== undefined)) {
      // one conditional statement, each key replaced whole as in the merge below: no transaction
      const { changes } = await this.sql.run(
        `UPDATE outbox SET state = json_set(state, ${keys.map(() => '?, json(?)').join(', ')}), updated_at = ?
          WHERE id = ? AND status = 'sending' AND lease_owner = ?`,
        [...keys.flatMap((k) => [`$.${k}`, JSON.stringify(state[k])]), at, id, owner],
        tx,
      );
      return changes === 1;
    }
    return this.sql.atomic(tx, async (t) => {
      const row = await this.sql.get<{ state: string }>(
        `SELECT state FROM outbox WHERE id = ? AND status = 'sending' AND lease_owner = ?`,
        [id, owner],
        t,
      );
      if (!row) return false;
      const merged = { ...(JSON.parse(row.state) as Record<string, unknown>), ...state };
      await this.sql.run('UPDATE outbox SET state = ?, updated_at = ? WHERE id = ?', [JSON.stringify(merged), at, id], t);
      return true;
    });
  }

  private async finish(id: number, owner: string, set: string, params: unknown[], tx?: Tx): Promise<boolean> {
    const { changes } = await this.sql.run(
      `UPDATE outbox SET ${set}, lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'sending' AND lease_owner = ?`,
      [...params, id, owner],
      tx,
    );
    return changes === 1;
  }

  markSent(id: number, owner: string, at: string, tx?: Tx): Promise<boolean> {
    return this.finish(id, owner, `status = 'sent', sent_at = ?, updated_at = ?, next_attempt_at = NULL, last_error = NULL`, [at, at], tx);
  }

  markRetry(id: number, owner: string, nextAttemptAt: string, error: string, at: string, tx?: Tx): Promise<boolean> {
    return this.finish(id, owner, `status = 'pending', next_attempt_at = ?, last_error = ?, updated_at = ?`, [nextAttemptAt, error, at], tx);
  }

  markFailed(id: number, owner: string, error: string, at: string, tx?: Tx): Promise<boolean> {
    return this.finish(id, owner, `status = 'failed', failed_at = ?, next_attempt_at = NULL, last_error = ?, updated_at = ?`, [at, error, at], tx);
  }

  flagDisabled(enabled: readonly DeliveryTarget[], error: string, at: string, tx?: Tx): Promise<number> {
    const others = `target NOT IN (${placeholders(enabled.length)})`;
    return this.sql.atomic(tx, async (t) => {
      // a claim whose worker died while its target was turned off: pending again, due at once
      const released = await this.sql.run(
        `UPDATE outbox SET status = 'pending', next_attempt_at = ?, lease_owner = NULL, lease_until = NULL, last_error = ?, updated_at = ?
          WHERE status = 'sending' AND lease_until <= ? AND ${others}`,
        [at, error, at, at, ...enabled],
        t,
      );
      const flagged = await this.sql.run(
        `UPDATE outbox SET last_error = ?, updated_at = ?
          WHERE status = 'pending' AND ${others} AND (last_error IS NULL OR last_error <> ?)`,
        [error, at, ...enabled, error],
        t,
      );
      return released.changes + flagged.changes;
    });
  }

  async listBySubjects(subjects: DeliverySubject[], tx?: Tx): Promise<Delivery[]> {
    if (subjects.length === 0) return [];
    const keys = [...new Set(subjects.map((s) => subjectColumns(s).key))];
    const rows = await this.sql.all<OutboxRow>(
      `SELECT ${SELECT_COLUMNS} FROM outbox WHERE subject_key IN (${placeholders(keys.length)}) ORDER BY id DESC`,
      keys,
      tx,
    );
    return rows.map(toDelivery).sort(byIdDesc);
  }

  async listByReference(reference: string, tx?: Tx): Promise<Delivery[]> {
    const rows = await this.sql.all<OutboxRow>(
      `SELECT ${SELECT_COLUMNS} FROM outbox WHERE subject_ref = ? AND subject_kind IN ('complaint', 'letter') ORDER BY id DESC`,
      [reference],
      tx,
    );
    return rows.map(toDelivery);
  }

  async listByStatus(status: DeliveryStatus, limit: number, tx?: Tx): Promise<Delivery[]> {
    const n = Math.min(Math.max(Math.trunc(limit) || 1, 1), 1000);
    const rows = await this.sql.all<OutboxRow>(`SELECT ${SELECT_COLUMNS} FROM outbox WHERE status = ? ORDER BY id DESC LIMIT ?`, [status, n], tx);
    return rows.map(toDelivery);
  }

  retry(id: number, at: string, tx?: Tx): Promise<Delivery | undefined> {
    return this.sql.atomic(tx, async (t) => {
      await this.sql.run(
        `UPDATE outbox SET status = 'pending', next_attempt_at = ?, retry_from = ?, updated_at = ?, failed_at = NULL
          WHERE id = ? AND status IN ('failed', 'pending')`,
        [at, at, at, id],
        t,
      );
      return this.get(id, t);
    });
  }

  async failedSince(since: string, tx?: Tx): Promise<Delivery[]> {
    const rows = await this.sql.all<OutboxRow>(
      `SELECT ${SELECT_COLUMNS} FROM outbox WHERE status = 'failed' AND failed_at >= ? AND subject_kind <> 'digest' ORDER BY failed_at, id`,
      [since],
      tx,
    );
    return rows.map(toDelivery);
  }

  async counts(tx?: Tx): Promise<Record<DeliveryStatus, number>> {
    const counts = zeroCounts();
    for (const r of await this.sql.all<{ status: DeliveryStatus; n: number }>('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status', [], tx)) {
      counts[r.status] = Number(r.n);
    }
    return counts;
  }

  async nextDue(targets: readonly DeliveryTarget[], tx?: Tx): Promise<string | undefined> {
    if (targets.length === 0) return undefined;
    const row = await this.sql.get<{ due: string | null }>(
      `SELECT MIN(CASE WHEN status = 'pending' THEN next_attempt_at ELSE lease_until END) AS due
         FROM outbox WHERE status IN ('pending', 'sending') AND target IN (${placeholders(targets.length)})`,
      [...targets],
      tx,
    );
    return row?.due ?? undefined;
  }
}

/** call-back requests retention deletes on their own (the same rule as the callbacks participant) */
const LOOSE_CALLBACKS = `SELECT cb.id FROM callbacks cb WHERE cb.complaint_reference IS NULL AND cb.created_at < ?
  AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.channel = cb.channel AND c.conversation_id = cb.conversation_id)`;

/**
 * Retention: a complaint's rows (and its letters' and its call-back's) go with the complaint; a
 * call-back's rows with the call-back request; digest rows (no personal data) after the abandoned
 * period. Registered before 'callbacks', so the call-back requests can still be read here.
 * purgeLoose returns 0: its report counts call-back requests, and outbox rows are none.
 */
export function outboxParticipant(sql: Sql): RetentionParticipant {
  const del = async (where: string, params: unknown[], tx: Tx) => (await sql.run(`DELETE FROM outbox WHERE ${where}`, params, tx)).changes;
  return {
    name: 'outbox',
    staleConversations: async () => [],
    anchors: async () => false,
    activeSince: async () => false,
    purgeConversation: (conv, tx) =>
      del(
        `subject_kind = 'callback' AND subject_id IN
           (SELECT id FROM callbacks WHERE channel = ? AND conversation_id = ? AND complaint_reference IS NULL)`,
        [conv.channelId, conv.conversationId],
        tx,
      ),
    purgeComplaint: (c, tx) =>
      del(
        `(subject_ref = ? AND subject_kind IN ('complaint', 'letter')) OR (subject_kind = 'callback' AND subject_id IN
           (SELECT id FROM callbacks WHERE complaint_reference = ? OR id IN (SELECT callback_id FROM complaints WHERE id = ?)))`,
        [c.reference, c.reference, c.id],
        tx,
      ),
    purgeLoose: async (cutoff, tx) => {
      await del(`subject_kind = 'callback' AND subject_id IN (${LOOSE_CALLBACKS})`, [cutoff], tx);
      // rows whose call-back request is gone already
      await del(`subject_kind = 'callback' AND NOT EXISTS (SELECT 1 FROM callbacks cb WHERE cb.id = outbox.subject_id)`, [], tx);
      await del(`subject_kind = 'digest' AND created_at < ?`, [cutoff], tx);
      return 0;
    },
  };
}
