/**
 * The outbox on PostgreSQL (OutboxRepository, src/store/types.ts). A claim locks due rows with
 * FOR UPDATE SKIP LOCKED and marks them 'sending' in the same statement, so of several workers and
 * instances only one takes a row, and none waits for another. Row shapes: src/delivery/outbox.ts.
 */
import { SELECT_COLUMNS, subjectColumns, toDelivery, zeroCounts, type OutboxRow } from '../../delivery/outbox';
import type { Delivery, DeliveryStatus, DeliverySubject, DeliveryTarget } from '../../delivery/types';
import type { ClaimRequest, EnqueueDelivery, OutboxRepository, RetentionParticipant, Tx } from '../types';
import type { PgDb } from './db';

const DUE = `((status = 'pending' AND next_attempt_at <= $2) OR (status = 'sending' AND lease_until <= $2))`;

export class PgOutbox implements OutboxRepository {
  constructor(private readonly db: PgDb, private readonly clock: () => Date) {}

  /** two statements for any number of rows (one INSERT ... SELECT FROM unnest, one SELECT): filing waits for them */
  async enqueue(rows: EnqueueDelivery[], tx?: Tx): Promise<Delivery[]> {
    if (rows.length === 0) return [];
    const now = this.clock().toISOString();
    const cols = rows.map((r) => ({ s: subjectColumns(r.subject), target: r.target, due: r.dueAt ?? now }));
    const keys = cols.map((c) => c.s.key);
    const targets = cols.map((c) => c.target);
    return this.db.inTransaction(tx, async (t) => {
      await this.db.run(
        `INSERT INTO outbox (subject_kind, subject_ref, subject_id, subject_key, target, status, attempts, next_attempt_at, state, retry_from, created_at, updated_at)
         SELECT u.kind, u.ref, u.sid, u.key, u.target, 'pending', 0, u.due, '{}'::jsonb, $7, $7, $7
           FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS u(kind, ref, sid, key, target, due, n)
          ORDER BY u.n
         ON CONFLICT (subject_key, target) DO NOTHING`,
        [cols.map((c) => c.s.kind), cols.map((c) => c.s.ref), cols.map((c) => c.s.id), keys, targets, cols.map((c) => c.due), now],
        t,
      );
      const found = await this.db.query<OutboxRow & Record<string, unknown>>(
        `SELECT subject_key, ${SELECT_COLUMNS} FROM outbox WHERE (subject_key, target) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [keys, targets],
        t,
      );
      const byKey = new Map(found.map((r) => [`${r.subject_key as string}\n${r.target}`, r]));
      return cols.map((c) => toDelivery(byKey.get(`${c.s.key}\n${c.target}`)!));
    });
  }

  async get(id: number, tx?: Tx): Promise<Delivery | undefined> {
    const row = await this.db.one<OutboxRow & Record<string, unknown>>(`SELECT ${SELECT_COLUMNS} FROM outbox WHERE id = $1`, [id], tx);
    return row && toDelivery(row);
  }

  async claim(req: ClaimRequest, tx?: Tx): Promise<Delivery[]> {
    if (req.targets.length === 0 || req.limit <= 0) return [];
    const leaseUntil = new Date(Date.parse(req.now) + req.leaseMs).toISOString();
    const rows = await this.db.query<OutboxRow & Record<string, unknown>>(
      // the locking CTE runs once (a subquery in WHERE id IN (...) may be run again and take more than LIMIT)
      `WITH due AS MATERIALIZED (
         SELECT id FROM outbox WHERE target = ANY($1::text[]) AND ${DUE}
          ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED)
       UPDATE outbox SET status = 'sending', lease_owner = $3, lease_until = $4, attempts = attempts + 1, updated_at = $2
         FROM due WHERE outbox.id = due.id
       RETURNING ${SELECT_COLUMNS.split(', ').map((c) => `outbox.${c}`).join(', ')}`,
      [[...req.targets], req.now, req.owner, leaseUntil, req.limit],
      tx,
    );
    return rows.map(toDelivery).sort((a, b) => a.id - b.id);
  }

  async saveState(id: number, owner: string, state: Record<string, unknown>, at: string, tx?: Tx): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE outbox SET state = state || $3::jsonb, updated_at = $4 WHERE id = $1 AND status = 'sending' AND lease_owner = $2`,
      [id, owner, JSON.stringify(state), at],
      tx,
    );
    return n === 1;
  }

  private async finish(id: number, owner: string, set: string, params: unknown[], tx?: Tx): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE outbox SET ${set}, lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'sending' AND lease_owner = $2`,
      [id, owner, ...params],
      tx,
    );
    return n === 1;
  }

  markSent(id: number, owner: string, at: string, tx?: Tx): Promise<boolean> {
    return this.finish(id, owner, `status = 'sent', sent_at = $3, updated_at = $3, next_attempt_at = NULL, last_error = NULL`, [at], tx);
  }

  markRetry(id: number, owner: string, nextAttemptAt: string, error: string, at: string, tx?: Tx): Promise<boolean> {
    return this.finish(id, owner, `status = 'pending', next_attempt_at = $3, last_error = $4, updated_at = $5`, [nextAttemptAt, error, at], tx);
  }

  markFailed(id: number, owner: string, error: string, at: string, tx?: Tx): Promise<boolean> {
    return this.finish(id, owner, `status = 'failed', failed_at = $3, next_attempt_at = NULL, last_error = $4, updated_at = $3`, [at, error], tx);
  }

  async flagDisabled(enabled: readonly DeliveryTarget[], error: string, at: string, tx?: Tx): Promise<number> {
    // a claim whose worker died while its target was turned off: pending again, due at once
    const released = await this.db.run(
      `UPDATE outbox SET status = 'pending', next_attempt_at = $2, lease_owner = NULL, lease_until = NULL, last_error = $1, updated_at = $2
        WHERE status = 'sending' AND lease_until <= $2 AND target <> ALL($3::text[])`,
      [error, at, [...enabled]],
      tx,
    );
    const flagged = await this.db.run(
      `UPDATE outbox SET last_error = $1, updated_at = $2
        WHERE status = 'pending' AND target <> ALL($3::text[]) AND (last_error IS NULL OR last_error <> $1)`,
      [error, at, [...enabled]],
      tx,
    );
    return released + flagged;
  }

  async listBySubjects(subjects: DeliverySubject[], tx?: Tx): Promise<Delivery[]> {
    if (subjects.length === 0) return [];
    const keys = [...new Set(subjects.map((s) => subjectColumns(s).key))];
    const rows = await this.db.query<OutboxRow & Record<string, unknown>>(
      `SELECT ${SELECT_COLUMNS} FROM outbox WHERE subject_key = ANY($1::text[]) ORDER BY id DESC`,
      [keys],
      tx,
    );
    return rows.map(toDelivery);
  }

  async listByReference(reference: string, tx?: Tx): Promise<Delivery[]> {
    const rows = await this.db.query<OutboxRow & Record<string, unknown>>(
      `SELECT ${SELECT_COLUMNS} FROM outbox WHERE subject_ref = $1 AND subject_kind IN ('complaint', 'letter') ORDER BY id DESC`,
      [reference],
      tx,
    );
    return rows.map(toDelivery);
  }

  async listByStatus(status: DeliveryStatus, limit: number, tx?: Tx): Promise<Delivery[]> {
    const n = Math.min(Math.max(Math.trunc(limit) || 1, 1), 1000);
    const rows = await this.db.query<OutboxRow & Record<string, unknown>>(
      `SELECT ${SELECT_COLUMNS} FROM outbox WHERE status = $1 ORDER BY id DESC LIMIT $2`,
      [status, n],
      tx,
    );
    return rows.map(toDelivery);
  }

  async retry(id: number, at: string, tx?: Tx): Promise<Delivery | undefined> {
    const rows = await this.db.query<OutboxRow & Record<string, unknown>>(
      `UPDATE outbox SET status = 'pending', next_attempt_at = $2, retry_from = $2, updated_at = $2, failed_at = NULL
        WHERE id = $1 AND status IN ('failed', 'pending') RETURNING ${SELECT_COLUMNS}`,
      [id, at],
      tx,
    );
    return rows[0] ? toDelivery(rows[0]) : this.get(id, tx);
  }

  async failedSince(since: string, tx?: Tx): Promise<Delivery[]> {
    const rows = await this.db.query<OutboxRow & Record<string, unknown>>(
      `SELECT ${SELECT_COLUMNS} FROM outbox WHERE status = 'failed' AND failed_at >= $1 AND subject_kind <> 'digest' ORDER BY failed_at, id`,
      [since],
      tx,
    );
    return rows.map(toDelivery);
  }

  async counts(tx?: Tx): Promise<Record<DeliveryStatus, number>> {
    const counts = zeroCounts();
    for (const r of await this.db.query<{ status: DeliveryStatus; n: number }>('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status', [], tx)) {
      counts[r.status] = Number(r.n);
    }
    return counts;
  }

  async nextDue(targets: readonly DeliveryTarget[], tx?: Tx): Promise<string | undefined> {
    if (targets.length === 0) return undefined;
    const row = await this.db.one<{ due: string | null }>(
      `SELECT MIN(CASE WHEN status = 'pending' THEN next_attempt_at ELSE lease_until END) AS due
         FROM outbox WHERE status IN ('pending', 'sending') AND target = ANY($1::text[])`,
      [[...targets]],
      tx,
    );
    return row?.due ?? undefined;
  }
}

const LOOSE_CALLBACKS = `SELECT cb.id FROM callbacks cb WHERE cb.complaint_reference IS NULL AND cb.created_at < $1
  AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.channel = cb.channel AND c.conversation_id = cb.conversation_id)`;

/** The same participant as SQLite's (src/store/sqlite/outbox.ts): registered before 'callbacks'. */
export function outboxParticipant(db: PgDb): RetentionParticipant {
  return {
    name: 'outbox',
    staleConversations: async () => [],
    anchors: async () => false,
    activeSince: async () => false,
    purgeConversation: (conv, tx) =>
      db.run(
        `DELETE FROM outbox WHERE subject_kind = 'callback' AND subject_id IN
           (SELECT id FROM callbacks WHERE channel = $1 AND conversation_id = $2 AND complaint_reference IS NULL)`,
        [conv.channelId, conv.conversationId],
        tx,
      ),
    purgeComplaint: (c, tx) =>
      db.run(
        `DELETE FROM outbox WHERE (subject_ref = $1 AND subject_kind IN ('complaint', 'letter')) OR (subject_kind = 'callback' AND subject_id IN
           (SELECT id FROM callbacks WHERE complaint_reference = $1 OR id IN (SELECT callback_id FROM complaints WHERE id = $2)))`,
        [c.reference, c.id],
        tx,
      ),
    purgeLoose: async (cutoff, tx) => {
      await db.run(`DELETE FROM outbox WHERE subject_kind = 'callback' AND subject_id IN (${LOOSE_CALLBACKS})`, [cutoff], tx);
      await db.run(`DELETE FROM outbox WHERE subject_kind = 'callback' AND NOT EXISTS (SELECT 1 FROM callbacks cb WHERE cb.id = outbox.subject_id)`, [], tx);
      await db.run(`DELETE FROM outbox WHERE subject_kind = 'digest' AND created_at < $1`, [cutoff], tx);
      return 0;
    },
  };
}
