/**
 * The officer's workflow on PostgreSQL (issue 14), the same behaviour as src/store/sqlite/handling.ts:
 * `get` inside a tx locks the complaint row (FOR UPDATE OF c) until commit, so the version check and
 * the write of a change happen under the lock; `apply` also checks the version in its UPDATE.
 */
import { createHash } from 'crypto';
import {
  DOCUMENT_COLUMNS,
  HANDLING_STATE_COLUMNS,
  handlingAssignments,
  toAttempt,
  toDocumentMeta,
  toHandlingState,
  toTimeline,
} from '../handlingRows';
import type {
  CallbackAttemptSummary,
  CallbackOutcome,
  DocumentMeta,
  HandlingChange,
  HandlingRepository,
  HandlingState,
  IntakeChannel,
  RetentionParticipant,
  TimelineRow,
  Tx,
} from '../types';
import type { PgDb } from './db';

export class PgHandling implements HandlingRepository {
  constructor(private readonly db: PgDb) {}

  async get(reference: string, tx?: Tx): Promise<HandlingState | undefined> {
    const row = await this.db.one(
      `SELECT ${HANDLING_STATE_COLUMNS} FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id
        WHERE c.reference = $1 ${tx ? 'FOR UPDATE OF c' : ''}`,
      [reference],
      tx,
    );
    return row ? toHandlingState(row) : undefined;
  }

  apply(c: HandlingChange, tx?: Tx): Promise<number | undefined> {
    return this.db.inTransaction(tx, async (t) => {
      const params: unknown[] = [];
      const p = (v: unknown) => {
        params.push(v);
        return `$${params.length}`;
      };
      const cols = handlingAssignments(c.set ?? {}).map(([k, v]) => `${k} = ${p(v)}`);
      if (c.status) cols.push(`status = ${p(c.status)}`);
      cols.push(`updated_at = ${p(c.at)}`, 'version = version + 1');
      const changed = await this.db.run(`UPDATE complaints SET ${cols.join(', ')} WHERE id = ${p(c.id)} AND version = ${p(c.expectedVersion)}`, params, t);
      if (changed === 0) return undefined;
      if (c.status === 'resolved') {
        await this.db.run(
          `INSERT INTO complaint_handling (complaint_id, resolved_at) VALUES ($1, $2)
           ON CONFLICT (complaint_id) DO UPDATE SET resolved_at = excluded.resolved_at`,
          [c.id, c.at],
          t,
        );
      } else if (c.status) {
        await this.db.run('UPDATE complaint_handling SET resolved_at = NULL WHERE complaint_id = $1', [c.id], t);
      }
      const e = c.event;
      if (!e) return c.expectedVersion + 1;
      await this.db.run(
        `INSERT INTO complaint_events (complaint_id, kind, from_status, to_status, actor, note, at, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [c.id, e.kind, e.from ?? null, e.to ?? null, c.actor, e.note ?? '', c.at, e.data ? JSON.stringify(e.data) : null],
        t,
      );
      return c.expectedVersion + 1;
    });
  }

  async timeline(complaintId: number, tx?: Tx): Promise<TimelineRow[]> {
    const rows = await this.db.query(
      'SELECT id, at, actor, kind, from_status, to_status, note, data FROM complaint_events WHERE complaint_id = $1 ORDER BY id',
      [complaintId],
      tx,
    );
    return rows.map(toTimeline);
  }

  async setIntake(id: number, intake: { channel: IntakeChannel; receivedAt: string }, tx?: Tx): Promise<void> {
    await this.db.run('UPDATE complaints SET intake_channel = $1, received_at = $2 WHERE id = $3', [intake.channel, intake.receivedAt, id], tx);
  }

  async addDocument(
    d: { complaintId: number; filename: string; contentType: string; description: string | null; content: Buffer; createdBy: string; at: string },
    tx?: Tx,
  ): Promise<DocumentMeta> {
    const sha256 = createHash('sha256').update(d.content).digest('hex');
    const row = await this.db.one<{ id: number }>(
      `INSERT INTO complaint_documents (complaint_id, filename, content_type, size, sha256, description, created_by, created_at, content)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [d.complaintId, d.filename, d.contentType, d.content.length, sha256, d.description, d.createdBy, d.at, d.content],
      tx,
    );
    return {
      id: Number(row!.id),
      complaintId: d.complaintId,
      filename: d.filename,
      contentType: d.contentType,
      size: d.content.length,
      sha256,
      description: d.description,
      createdBy: d.createdBy,
      createdAt: d.at,
    };
  }

  async documents(complaintId: number, tx?: Tx): Promise<DocumentMeta[]> {
    const rows = await this.db.query(`SELECT ${DOCUMENT_COLUMNS} FROM complaint_documents WHERE complaint_id = $1 ORDER BY id`, [complaintId], tx);
    return rows.map(toDocumentMeta);
  }

  async document(complaintId: number, id: number, tx?: Tx): Promise<(DocumentMeta & { content: Buffer }) | undefined> {
    const row = await this.db.one(
      `SELECT ${DOCUMENT_COLUMNS}, content FROM complaint_documents WHERE complaint_id = $1 AND id = $2`,
      [complaintId, id],
      tx,
    );
    return row ? { ...toDocumentMeta(row), content: Buffer.from(row.content as Buffer) } : undefined;
  }

  recordCallbackAttempt(
    a: { callbackId: number; at: string; actor: string; outcome: CallbackOutcome; note: string | null; date?: string; partOfDay?: string },
    tx?: Tx,
  ): Promise<void> {
    return this.db.inTransaction(tx, async (t) => {
      await this.db.run(
        'INSERT INTO callback_attempts (callback_id, at, actor, outcome, note, date, part_of_day) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [a.callbackId, a.at, a.actor, a.outcome, a.note, a.date ?? null, a.partOfDay ?? null],
        t,
      );
      if (a.outcome === 'rescheduled' && a.date && a.partOfDay) {
        await this.db.run('UPDATE callbacks SET date = $1, part_of_day = $2 WHERE id = $3', [a.date, a.partOfDay, a.callbackId], t);
      }
    });
  }

  async callbackAttempts(callbackIds: number[], tx?: Tx): Promise<Map<number, CallbackAttemptSummary>> {
    const out = new Map<number, CallbackAttemptSummary>();
    for (const id of callbackIds) out.set(id, { callbackId: id, attempts: 0, lastOutcome: null, lastNote: null, lastAt: null, lastBy: null, doneNote: null });
    if (callbackIds.length === 0) return out;
    const rows = await this.db.query(
      'SELECT id, callback_id, at, actor, outcome, note FROM callback_attempts WHERE callback_id = ANY($1::bigint[]) ORDER BY id',
      [callbackIds],
      tx,
    );
    const done = await this.db.query<{ callback_id: number; note: string | null }>(
      'SELECT callback_id, note FROM callback_handling WHERE callback_id = ANY($1::bigint[])',
      [callbackIds],
      tx,
    );
    for (const d of done) out.get(Number(d.callback_id))!.doneNote = d.note;
    for (const r of rows.map(toAttempt)) {
      const s = out.get(r.callbackId)!;
      s.attempts++;
      s.lastOutcome = r.outcome;
      s.lastNote = r.note;
      s.lastAt = r.at;
      s.lastBy = r.actor;
    }
    return out;
  }
}

/** Retention: documents with their complaint; call-back attempts with their call-back request (asked before 'callbacks'). */
export function handlingParticipant(db: PgDb): RetentionParticipant {
  const attemptsOf = (where: string, params: unknown[], tx: Tx) =>
    db.run(`DELETE FROM callback_attempts WHERE callback_id IN (SELECT id FROM callbacks WHERE ${where})`, params, tx);
  return {
    name: 'handling',
    staleConversations: async () => [],
    anchors: async () => false,
    activeSince: async () => false,
    purgeConversation: (conv, tx) => attemptsOf('channel = $1 AND conversation_id = $2 AND complaint_reference IS NULL', [conv.channelId, conv.conversationId], tx),
    purgeComplaint: async (c, tx) =>
      (await db.run('DELETE FROM complaint_documents WHERE complaint_id = $1', [c.id], tx)) +
      (await attemptsOf('complaint_reference = $1 OR id IN (SELECT callback_id FROM complaints WHERE id = $2)', [c.reference, c.id], tx)),
    countLoose: async () => 0,
    purgeLoose: (cutoff, tx) =>
      attemptsOf(
        `complaint_reference IS NULL AND created_at < $1 AND NOT EXISTS
           (SELECT 1 FROM complaints k WHERE k.channel = callbacks.channel AND k.conversation_id = callbacks.conversation_id)`,
        [cutoff],
        tx,
      ),
  };
}
