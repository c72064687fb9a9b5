/** Complaints and call-back requests in SQLite. */
import {
  CallbackSchema,
  ComplaintInputSchema,
  OriginSchema,
  type Complaint,
  type StoredCallback,
} from '../../domain/complaint';
import { newReference, rowToCallback, rowToComplaint, rowToQueuedCallback, type DbRow } from '../rows';
import type {
  CallbackRepository,
  CallbackResult,
  ComplaintRepository,
  ConversationRef,
  FileCallback,
  FileComplaint,
  FileResult,
  QueuedCallback,
  Tx,
} from '../types';
import { isUniqueViolation, type Sql } from './sql';

const WITH_CALLBACK = `SELECT c.*, cb.name AS cb_name, cb.phone AS cb_phone, cb.date AS cb_date, cb.part_of_day AS cb_part, cb.topic AS cb_topic
  FROM complaints c LEFT JOIN callbacks cb ON cb.id = c.callback_id`;

export class SqliteComplaints implements ComplaintRepository {
  constructor(private readonly sql: Sql, private readonly clock: () => Date) {}

  async file(req: FileComplaint, tx?: Tx): Promise<FileResult> {
    const c = ComplaintInputSchema.parse(req.input);
    const o = OriginSchema.parse(req.origin);
    return this.sql.atomic(tx, async (t) => {
      const existing = await this.sql.get<{ reference: string }>('SELECT reference FROM complaints WHERE idempotency_key = ?', [req.idempotencyKey], t);
      if (existing) return { reference: existing.reference, created: false };
      const now = this.clock();
      const at = now.toISOString();
      for (let attempt = 0; ; attempt++) {
        const reference = newReference(now);
        try {
          await this.sql.run(
            `INSERT INTO complaints (reference, idempotency_key, status, route, locale, channel, conversation_id, story,
               incident_date, incident_date_from, incident_date_to, incident_date_text, place_kind, place, person_kind, person, solution,
               name, phone, street, postcode, city, country, email, callback_id, created_at, updated_at)
             VALUES (?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              reference, req.idempotencyKey, c.route, o.locale, o.channel, o.conversationId, c.story,
              c.incidentDate, c.incidentDateFrom ?? c.incidentDate, c.incidentDateTo ?? c.incidentDate, c.incidentDateText,
              c.placeKind, c.place, c.personKind, c.person, c.solution,
              c.contact.name, c.contact.phone, c.contact.street, c.contact.postcode, c.contact.city, c.contact.country ?? null, c.contact.email,
              req.callbackId ?? null, at, at,
            ],
            t,
          );
          return { reference, created: true };
        } catch (err) {
          if (!isUniqueViolation(err, 'complaints.reference') || attempt >= 5) throw err;
        }
      }
    });
  }

  async getByReference(reference: string, tx?: Tx): Promise<Complaint | undefined> {
    const row = await this.sql.get<DbRow>(`${WITH_CALLBACK} WHERE c.reference = ?`, [reference], tx);
    return row ? rowToComplaint(row) : undefined;
  }

  async listByConversation(conv: ConversationRef, tx?: Tx): Promise<Complaint[]> {
    const rows = await this.sql.all<DbRow>(`${WITH_CALLBACK} WHERE c.channel = ? AND c.conversation_id = ? ORDER BY c.id`, [conv.channelId, conv.conversationId], tx);
    return rows.map(rowToComplaint);
  }

  async count(tx?: Tx): Promise<number> {
    return (await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM complaints', [], tx))?.n ?? 0;
  }
}

export class SqliteCallbacks implements CallbackRepository {
  constructor(private readonly sql: Sql, private readonly clock: () => Date) {}

  async file(req: FileCallback, tx?: Tx): Promise<CallbackResult> {
    const r = CallbackSchema.parse(req.request);
    const o = OriginSchema.parse(req.origin);
    return this.sql.atomic(tx, async (t) => {
      const existing = await this.sql.get<CallbackResult>('SELECT id, reference FROM callbacks WHERE idempotency_key = ?', [req.idempotencyKey], t);
      if (existing) return existing;
      const now = this.clock();
      for (let attempt = 0; ; attempt++) {
        const reference = newReference(now, 'TB');
        try {
          const res = await this.sql.run(
            `INSERT INTO callbacks (idempotency_key, reference, topic, name, phone, date, part_of_day, locale, channel, conversation_id, status, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
            [req.idempotencyKey, reference, r.topic ?? null, r.name, r.phone, r.date, r.partOfDay, o.locale, o.channel, o.conversationId, now.toISOString()],
            t,
          );
          return { id: res.lastID, reference };
        } catch (err) {
          if (!isUniqueViolation(err, 'callbacks.reference') || attempt >= 5) throw err;
        }
      }
    });
  }

  async get(id: number, tx?: Tx): Promise<StoredCallback | undefined> {
    const row = await this.sql.get<DbRow>('SELECT * FROM callbacks WHERE id = ?', [id], tx);
    return row ? rowToCallback(row) : undefined;
  }

  async listByConversation(conv: ConversationRef, tx?: Tx): Promise<StoredCallback[]> {
    const rows = await this.sql.all<DbRow>('SELECT * FROM callbacks WHERE channel = ? AND conversation_id = ? ORDER BY id', [conv.channelId, conv.conversationId], tx);
    return rows.map(rowToCallback);
  }

  async linkComplaint(callbackId: number, complaintReference: string, tx?: Tx): Promise<void> {
    await this.sql.run('UPDATE callbacks SET complaint_reference = ? WHERE id = ?', [complaintReference, callbackId], tx);
  }

  async queue(status: 'open' | 'done', limit: number, tx?: Tx): Promise<QueuedCallback[]> {
    const rows = await this.sql.all<DbRow>(
      `SELECT cb.*, ch.done_by, ch.done_at FROM callbacks cb LEFT JOIN callback_handling ch ON ch.callback_id = cb.id
        WHERE cb.status = ?
        ORDER BY cb.date ${status === 'open' ? 'ASC' : 'DESC'}, CASE cb.part_of_day WHEN 'morning' THEN 0 ELSE 1 END, cb.id
        LIMIT ?`,
      [status, Math.min(Math.max(Math.trunc(limit), 1), 1000)],
      tx,
    );
    return rows.map(rowToQueuedCallback);
  }

  async lockForHandling(id: number, tx: Tx): Promise<StoredCallback | undefined> {
    // SQLite: the transaction (BEGIN IMMEDIATE) holds the write lock already
    return this.get(id, tx);
  }

  async markDone(id: number, by: string, at: string, note: string | null, tx?: Tx): Promise<void> {
    await this.sql.atomic(tx, async (t) => {
      await this.sql.run(`UPDATE callbacks SET status = 'done' WHERE id = ?`, [id], t);
      await this.sql.run(
        `INSERT INTO callback_handling (callback_id, done_by, done_at, note) VALUES (?, ?, ?, ?)
         ON CONFLICT (callback_id) DO UPDATE SET done_by = excluded.done_by, done_at = excluded.done_at, note = excluded.note`,
        [id, by, at, note],
        t,
      );
    });
  }
}
