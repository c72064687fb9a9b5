/** Complaints and call-back requests on PostgreSQL (same behaviour as src/store/sqlite/complaints.ts). */
import { CallbackSchema, ComplaintInputSchema, OriginSchema, type Complaint, type StoredCallback } from '../../domain/complaint';
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
import type { PgDb } from './db';
import { indexComplaint } from './searchIndex';

const WITH_CALLBACK = `SELECT c.*, cb.name AS cb_name, cb.phone AS cb_phone, cb.date AS cb_date, cb.part_of_day AS cb_part, cb.topic AS cb_topic
  FROM complaints c LEFT JOIN callbacks cb ON cb.id = c.callback_id`;

/** Attempts at a fresh reference when one is taken already (31^6 codes per year: rare). */
const REFERENCE_ATTEMPTS = 6;

export class PgComplaints implements ComplaintRepository {
  constructor(private readonly db: PgDb, private readonly clock: () => Date) {}

  async file(req: FileComplaint, tx?: Tx): Promise<FileResult> {
    const c = ComplaintInputSchema.parse(req.input);
    const o = OriginSchema.parse(req.origin);
    return this.db.inTransaction(tx, async (t) => {
      const now = this.clock();
      const at = now.toISOString();
      for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt++) {
        const reference = newReference(now);
        // ON CONFLICT DO NOTHING: a repeated key (or a reference taken) inserts nothing and raises nothing,
        // so the transaction stays usable. Two instances filing one key at once: the second waits for the
        // first to commit, inserts nothing and reads the first's reference below.
        const inserted = await this.db.one<{ id: number }>(
          `INSERT INTO complaints (reference, idempotency_key, status, route, locale, channel, conversation_id, story,
             incident_date, incident_date_from, incident_date_to, incident_date_text, place_kind, place, person_kind, person, solution,
             name, phone, street, postcode, city, country, email, callback_id, created_at, updated_at)
           VALUES ($1, $2, 'received', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25)
           ON CONFLICT DO NOTHING RETURNING id`,
          [
            reference, req.idempotencyKey, c.route, o.locale, o.channel, o.conversationId, c.story,
            c.incidentDate, c.incidentDateFrom ?? c.incidentDate, c.incidentDateTo ?? c.incidentDate, c.incidentDateText,
            c.placeKind, c.place, c.personKind, c.person, c.solution,
            c.contact.name, c.contact.phone, c.contact.street, c.contact.postcode, c.contact.city, c.contact.country ?? null, c.contact.email,
            req.callbackId ?? null, at,
          ],
          t,
        );
        if (inserted) {
          await indexComplaint(this.db, inserted.id, c.story, { channelId: o.channel, conversationId: o.conversationId }, t);
          return { reference, created: true };
        }
        const existing = await this.db.one<{ reference: string }>('SELECT reference FROM complaints WHERE idempotency_key = $1', [req.idempotencyKey], t);
        if (existing) return { reference: existing.reference, created: false };
        // otherwise the reference was taken: try another
      }
      throw new Error('no free complaint reference found');
    });
  }

  async getByReference(reference: string, tx?: Tx): Promise<Complaint | undefined> {
    const row = await this.db.one<DbRow>(`${WITH_CALLBACK} WHERE c.reference = $1`, [reference], tx);
    return row ? rowToComplaint(row) : undefined;
  }

  async listByConversation(conv: ConversationRef, tx?: Tx): Promise<Complaint[]> {
    const rows = await this.db.query<DbRow>(`${WITH_CALLBACK} WHERE c.channel = $1 AND c.conversation_id = $2 ORDER BY c.id`, [conv.channelId, conv.conversationId], tx);
    return rows.map(rowToComplaint);
  }

  async count(tx?: Tx): Promise<number> {
    return (await this.db.one<{ n: number }>('SELECT count(*) AS n FROM complaints', [], tx))?.n ?? 0;
  }
}

export class PgCallbacks implements CallbackRepository {
  constructor(private readonly db: PgDb, private readonly clock: () => Date) {}

  async file(req: FileCallback, tx?: Tx): Promise<CallbackResult> {
    const r = CallbackSchema.parse(req.request);
    const o = OriginSchema.parse(req.origin);
    return this.db.inTransaction(tx, async (t) => {
      const now = this.clock();
      for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt++) {
        const reference = newReference(now, 'TB');
        const inserted = await this.db.one<{ id: number }>(
          `INSERT INTO callbacks (idempotency_key, reference, topic, name, phone, date, part_of_day, locale, channel, conversation_id, status, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11)
           ON CONFLICT DO NOTHING RETURNING id`,
          [req.idempotencyKey, reference, r.topic ?? null, r.name, r.phone, r.date, r.partOfDay, o.locale, o.channel, o.conversationId, now.toISOString()],
          t,
        );
        if (inserted) return { id: inserted.id, reference };
        const existing = await this.db.one<CallbackResult>('SELECT id, reference FROM callbacks WHERE idempotency_key = $1', [req.idempotencyKey], t);
        if (existing) return existing;
      }
      throw new Error('no free call-back reference found');
    });
  }

  async get(id: number, tx?: Tx): Promise<StoredCallback | undefined> {
    const row = await this.db.one<DbRow>('SELECT * FROM callbacks WHERE id = $1', [id], tx);
    return row ? rowToCallback(row) : undefined;
  }

  async listByConversation(conv: ConversationRef, tx?: Tx): Promise<StoredCallback[]> {
    const rows = await this.db.query<DbRow>('SELECT * FROM callbacks WHERE channel = $1 AND conversation_id = $2 ORDER BY id', [conv.channelId, conv.conversationId], tx);
    return rows.map(rowToCallback);
  }

  async linkComplaint(callbackId: number, complaintReference: string, tx?: Tx): Promise<void> {
    await this.db.run('UPDATE callbacks SET complaint_reference = $1 WHERE id = $2', [complaintReference, callbackId], tx);
  }

  async queue(status: 'open' | 'done', limit: number, tx?: Tx): Promise<QueuedCallback[]> {
    const rows = await this.db.query<DbRow>(
      `SELECT cb.*, ch.done_by, ch.done_at FROM callbacks cb LEFT JOIN callback_handling ch ON ch.callback_id = cb.id
        WHERE cb.status = $1
        ORDER BY cb.date ${status === 'open' ? 'ASC' : 'DESC'}, CASE cb.part_of_day WHEN 'morning' THEN 0 ELSE 1 END, cb.id
        LIMIT $2`,
      [status, Math.min(Math.max(Math.trunc(limit) || 1, 1), 1000)],
      tx,
    );
    return rows.map(rowToQueuedCallback);
  }

  async lockForHandling(id: number, tx: Tx): Promise<StoredCallback | undefined> {
    const row = await this.db.one<DbRow>('SELECT * FROM callbacks WHERE id = $1 FOR UPDATE', [id], tx);
    return row ? rowToCallback(row) : undefined;
  }

  async markDone(id: number, by: string, at: string, note: string | null, tx?: Tx): Promise<void> {
    await this.db.inTransaction(tx, async (t) => {
      await this.db.run(`UPDATE callbacks SET status = 'done' WHERE id = $1`, [id], t);
      await this.db.run(
        `INSERT INTO callback_handling (callback_id, done_by, done_at, note) VALUES ($1, $2, $3, $4)
         ON CONFLICT (callback_id) DO UPDATE SET done_by = excluded.done_by, done_at = excluded.done_at, note = excluded.note`,
        [id, by, at, note],
        t,
      );
    });
  }
}
