/**
 * The officer's workflow in SQLite (issue 14; tables of the 'handling' migration module): version,
 * assignment, outcome and intake on `complaints`, the timeline in `complaint_events` (with `data`),
 * documents in `complaint_documents`, call-back attempts in `callback_attempts`. SQLite runs one write
 * transaction at a time (BEGIN IMMEDIATE), so reading the version and writing inside one tx is safe.
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
import { placeholders, type Sql } from './sql';

export class SqliteHandling implements HandlingRepository {
  constructor(private readonly sql: Sql) {}

  async get(reference: string, tx?: Tx): Promise<HandlingState | undefined> {
    const row = await this.sql.get<Record<string, unknown>>(
      `SELECT ${HANDLING_STATE_COLUMNS} FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id WHERE c.reference = ?`,
      [reference],
      tx,
    );
    return row ? toHandlingState(row) : undefined;
  }

  apply(c: HandlingChange, tx?: Tx): Promise<number | undefined> {
    return this.sql.atomic(tx, async (t) => {
      const sets = handlingAssignments(c.set ?? {});
      const cols = [...sets.map(([k]) => `${k} = ?`), ...(c.status ? ['status = ?'] : []), 'updated_at = ?', 'version = version + 1'];
      const { changes } = await this.sql.run(
        `UPDATE complaints SET ${cols.join(', ')} WHERE id = ? AND version = ?`,
        [...sets.map(([, v]) => v), ...(c.status ? [c.status] : []), c.at, c.id, c.expectedVersion],
        t,
      );
      if (changes === 0) return undefined;
      if (c.status === 'resolved') {
        await this.sql.run(
          `INSERT INTO complaint_handling (complaint_id, resolved_at) VALUES (?, ?)
           ON CONFLICT (complaint_id) DO UPDATE SET resolved_at = excluded.resolved_at`,
          [c.id, c.at],
          t,
        );
      } else if (c.status) {
        await this.sql.run('UPDATE complaint_handling SET resolved_at = NULL WHERE complaint_id = ?', [c.id], t);
      }
      const e = c.event;
      if (!e) return c.expectedVersion + 1;
      await this.sql.run(
        `INSERT INTO complaint_events (complaint_id, kind, from_status, to_status, actor, note, at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [c.id, e.kind, e.from ?? null, e.to ?? null, c.actor, e.note ?? '', c.at, e.data ? JSON.stringify(e.data) : null],
        t,
      );
      return c.expectedVersion + 1;
    });
  }

  async timeline(complaintId: number, tx?: Tx): Promise<TimelineRow[]> {
    const rows = await this.sql.all<Record<string, unknown>>(
      'SELECT id, at, actor, kind, from_status, to_status, note, data FROM complaint_events WHERE complaint_id = ? ORDER BY id',
      [complaintId],
      tx,
    );
    return rows.map(toTimeline);
  }

  async setIntake(id: number, intake: { channel: IntakeChannel; receivedAt: string }, tx?: Tx): Promise<void> {
    await this.sql.run('UPDATE complaints SET intake_channel = ?, received_at = ? WHERE id = ?', [intake.channel, intake.receivedAt, id], tx);
  }

  async addDocument(
    d: { complaintId: number; filename: string; contentType: string; description: string | null; content: Buffer; createdBy: string; at: string },
    tx?: Tx,
  ): Promise<DocumentMeta> {
    const sha256 = createHash('sha256').update(d.content).digest('hex');
    const { lastID } = await this.sql.run(
      `INSERT INTO complaint_documents (complaint_id, filename, content_type, size, sha256, description, created_by, created_at, content)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [d.complaintId, d.filename, d.contentType, d.content.length, sha256, d.description, d.createdBy, d.at, d.content],
      tx,
    );
    return {
      id: lastID,
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
    const rows = await this.sql.all<Record<string, unknown>>(
      `SELECT ${DOCUMENT_COLUMNS} FROM complaint_documents WHERE complaint_id = ? ORDER BY id`,
      [complaintId],
      tx,
    );
    return rows.map(toDocumentMeta);
  }

  async document(complaintId: number, id: number, tx?: Tx): Promise<(DocumentMeta & { content: Buffer }) | undefined> {
    const row = await this.sql.get<Record<string, unknown>>(
      `SELECT ${DOCUMENT_COLUMNS}, content FROM complaint_documents WHERE complaint_id = ? AND id = ?`,
      [complaintId, id],
      tx,
    );
    return row ? { ...toDocumentMeta(row), content: Buffer.from(row.content as Buffer) } : undefined;
  }

  recordCallbackAttempt(
    a: { callbackId: number; at: string; actor: string; outcome: CallbackOutcome; note: string | null; date?: string; partOfDay?: string },
    tx?: Tx,
  ): Promise<void> {
    return this.sql.atomic(tx, async (t) => {
      await this.sql.run(
        'INSERT INTO callback_attempts (callback_id, at, actor, outcome, note, date, part_of_day) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [a.callbackId, a.at, a.actor, a.outcome, a.note, a.date ?? null, a.partOfDay ?? null],
        t,
      );
      if (a.outcome === 'rescheduled' && a.date && a.partOfDay) {
        await this.sql.run('UPDATE callbacks SET date = ?, part_of_day = ? WHERE id = ?', [a.date, a.partOfDay, a.callbackId], t);
      }
    });
  }

  async callbackAttempts(callbackIds: number[], tx?: Tx): Promise<Map<number, CallbackAttemptSummary>> {
    const out = new Map<number, CallbackAttemptSummary>();
    for (const id of callbackIds) out.set(id, { callbackId: id, attempts: 0, lastOutcome: null, lastNote: null, lastAt: null, lastBy: null, doneNote: null });
    for (let k = 0; k < callbackIds.length; k += 500) {
      const ids = callbackIds.slice(k, k + 500);
      const rows = await this.sql.all<Record<string, unknown>>(
        `SELECT id, callback_id, at, actor, outcome, note FROM callback_attempts WHERE callback_id IN (${placeholders(ids.length)}) ORDER BY id`,
        ids,
        tx,
      );
      const done = await this.sql.all<{ callback_id: number; note: string | null }>(
        `SELECT callback_id, note FROM callback_handling WHERE callback_id IN (${placeholders(ids.length)})`,
        ids,
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
    }
    return out;
  }
}

/** Retention: documents with their complaint; call-back attempts with their call-back request (asked before 'callbacks'). */
export function handlingParticipant(sql: Sql): RetentionParticipant {
  const attemptsOf = async (where: string, params: unknown[], tx: Tx) =>
    (await sql.run(`DELETE FROM callback_attempts WHERE callback_id IN (SELECT id FROM callbacks WHERE ${where})`, params, tx)).changes;
  return {
    name: 'handling',
    staleConversations: async () => [],
    anchors: async () => false,
    activeSince: async () => false,
    purgeConversation: (conv, tx) =>
      attemptsOf('channel = ? AND conversation_id = ? AND complaint_reference IS NULL', [conv.channelId, conv.conversationId], tx),
    purgeComplaint: async (c, tx) =>
      (await sql.run('DELETE FROM complaint_documents WHERE complaint_id = ?', [c.id], tx)).changes +
      (await attemptsOf('complaint_reference = ? OR id IN (SELECT callback_id FROM complaints WHERE id = ?)', [c.reference, c.id], tx)),
    countLoose: async () => 0,
    purgeLoose: (cutoff, tx) =>
      attemptsOf(
        `complaint_reference IS NULL AND created_at < ? AND NOT EXISTS
           (SELECT 1 FROM complaints k WHERE k.channel = callbacks.channel AND k.conversation_id = callbacks.conversation_id)`,
        [cutoff],
        tx,
      ),
  };
}
