/**
 * Files complaints and call-back requests into SQLite. Free of botbuilder: the dialogs, the staff API
 * and the command line all use this one store.
 */
import { randomInt } from 'crypto';
import {
  CallbackSchema,
  ComplaintInputSchema,
  ComplaintSchema,
  OriginSchema,
  StoredCallbackSchema,
  type CallbackRequest,
  type Complaint,
  type ComplaintInput,
  type Origin,
  type StoredCallback,
} from '../domain/complaint';
import type { Db, Migration } from './db';

export const COMPLAINT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE complaints (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        reference TEXT NOT NULL UNIQUE,
        idempotency_key TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL DEFAULT 'received',
        route TEXT NOT NULL,
        locale TEXT NOT NULL,
        channel TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        story TEXT NOT NULL,
        incident_date TEXT,
        incident_date_text TEXT NOT NULL,
        place_kind TEXT,
        place TEXT NOT NULL,
        person_kind TEXT,
        person TEXT,
        solution TEXT,
        name TEXT NOT NULL,
        phone TEXT NOT NULL,
        street TEXT NOT NULL,
        postcode TEXT NOT NULL,
        city TEXT NOT NULL,
        email TEXT,
        callback_id INTEGER REFERENCES callbacks(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX complaints_conversation ON complaints(channel, conversation_id);
      CREATE INDEX complaints_status_created ON complaints(status, created_at);
      CREATE INDEX complaints_created ON complaints(created_at);
      CREATE TABLE callbacks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE,
        complaint_reference TEXT,
        name TEXT NOT NULL,
        phone TEXT NOT NULL,
        date TEXT NOT NULL,
        part_of_day TEXT NOT NULL,
        locale TEXT NOT NULL,
        channel TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open',
        created_at TEXT NOT NULL
      );
      CREATE INDEX callbacks_open ON callbacks(status, date, part_of_day);
    `,
  },
  {
    // Phone optional and addresses abroad (Awb 9:4 asks for name and address): phone and postcode
    // become nullable (a table rebuild: SQLite cannot drop NOT NULL), plus a country. Call-backs get a
    // reference, as complaints have one, and a topic.
    version: 2,
    sql: `
      CREATE TABLE complaints_v2 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        reference TEXT NOT NULL UNIQUE,
        idempotency_key TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL DEFAULT 'received',
        route TEXT NOT NULL,
        locale TEXT NOT NULL,
        channel TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        story TEXT NOT NULL,
        incident_date TEXT,
        incident_date_text TEXT NOT NULL,
        place_kind TEXT,
        place TEXT NOT NULL,
        person_kind TEXT,
        person TEXT,
        solution TEXT,
        name TEXT NOT NULL,
        phone TEXT,
        street TEXT NOT NULL,
        postcode TEXT,
        city TEXT NOT NULL,
        country TEXT,
        email TEXT,
        callback_id INTEGER REFERENCES callbacks(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      INSERT INTO complaints_v2 (id, reference, idempotency_key, status, route, locale, channel, conversation_id, story,
          incident_date, incident_date_text, place_kind, place, person_kind, person, solution,
          name, phone, street, postcode, city, email, callback_id, created_at, updated_at)
        SELECT id, reference, idempotency_key, status, route, locale, channel, conversation_id, story,
          incident_date, incident_date_text, place_kind, place, person_kind, person, solution,
          name, phone, street, postcode, city, email, callback_id, created_at, updated_at FROM complaints;
      DROP TABLE complaints;
      -- legacy rename: other modules' triggers that name "complaints" (staff search) keep working unchanged;
      -- triggers on the old table went with it and are created again by their module at start
      PRAGMA legacy_alter_table = ON;
      ALTER TABLE complaints_v2 RENAME TO complaints;
      PRAGMA legacy_alter_table = OFF;
      CREATE INDEX complaints_conversation ON complaints(channel, conversation_id);
      CREATE INDEX complaints_status_created ON complaints(status, created_at);
      CREATE INDEX complaints_created ON complaints(created_at);
      ALTER TABLE callbacks ADD COLUMN reference TEXT;
      ALTER TABLE callbacks ADD COLUMN topic TEXT;
      UPDATE callbacks SET reference = 'TB-' || substr(created_at, 1, 4) || '-' || upper(hex(randomblob(3))) WHERE reference IS NULL;
      CREATE UNIQUE INDEX callbacks_reference ON callbacks(reference);
    `,
  },
  {
    // A date can be a period ("eind oktober", "week 46"): its first and last day, kept apart from
    // incident_date (a single day). Existing rows: a day is a period of one day.
    version: 3,
    sql: `
      ALTER TABLE complaints ADD COLUMN incident_date_from TEXT;
      ALTER TABLE complaints ADD COLUMN incident_date_to TEXT;
      UPDATE complaints SET incident_date_from = incident_date, incident_date_to = incident_date WHERE incident_date IS NOT NULL;
    `,
  },
];

/** Reference alphabet without look-alikes (0/O, 1/I/L), so it can be read out on the phone. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** KL-2026-7QK4MX for a complaint; TB-2026-... (terugbellen) for a call-back request. */
export function newReference(now: Date = new Date(), prefix: 'KL' | 'TB' = 'KL'): string {
  let code = '';
  for (let i = 0; i < 6; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}-${now.getUTCFullYear()}-${code}`;
}

export interface CallbackResult {
  id: number;
  reference: string;
}

export interface FileResult {
  reference: string;
  /** false when this idempotency key had been filed before: nothing new was stored. */
  created: boolean;
}

type ComplaintRow = Record<string, string | number | null>;

export class ComplaintStore {
  constructor(private readonly db: Db, private readonly clock: () => Date = () => new Date()) {}

  async init(): Promise<this> {
    await this.db.migrate('complaints', COMPLAINT_MIGRATIONS);
    return this;
  }

  /**
   * Stores the complaint once per idempotency key: a repeated confirmation or a re-delivered activity
   * returns the first reference and stores nothing new.
   */
  async file(input: ComplaintInput, origin: Origin, idempotencyKey: string, callbackId?: number): Promise<FileResult> {
    const c = ComplaintInputSchema.parse(input);
    const o = OriginSchema.parse(origin);
    return this.db.transaction(async () => {
      const existing = await this.db.get<{ reference: string }>(
        'SELECT reference FROM complaints WHERE idempotency_key = ?',
        [idempotencyKey],
      );
      if (existing) return { reference: existing.reference, created: false };
      const now = this.clock();
      const at = now.toISOString();
      for (let attempt = 0; ; attempt++) {
        const reference = newReference(now);
        try {
          await this.db.run(
            `INSERT INTO complaints (reference, idempotency_key, status, route, locale, channel, conversation_id, story,
               incident_date, incident_date_from, incident_date_to, incident_date_text, place_kind, place, person_kind, person, solution,
               name, phone, street, postcode, city, country, email, callback_id, created_at, updated_at)
             VALUES (?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              reference, idempotencyKey, c.route, o.locale, o.channel, o.conversationId, c.story,
              c.incidentDate, c.incidentDateFrom ?? c.incidentDate, c.incidentDateTo ?? c.incidentDate, c.incidentDateText,
              c.placeKind, c.place, c.personKind, c.person, c.solution,
              c.contact.name, c.contact.phone, c.contact.street, c.contact.postcode, c.contact.city, c.contact.country ?? null, c.contact.email,
              callbackId ?? null, at, at,
            ],
          );
          if (callbackId !== undefined) {
            await this.db.run('UPDATE callbacks SET complaint_reference = ? WHERE id = ?', [reference, callbackId]);
          }
          return { reference, created: true };
        } catch (err) {
          const unique = /UNIQUE constraint failed: complaints.reference/.test(String(err));
          if (!unique || attempt >= 5) throw err;
        }
      }
    });
  }

  /** Stores a call-back request once per idempotency key and returns its id. */
  async requestCallback(request: CallbackRequest, origin: Origin, idempotencyKey: string): Promise<number> {
    return (await this.fileCallback(request, origin, idempotencyKey)).id;
  }

  /** Stores a call-back request once per idempotency key; returns its id and the reference the citizen is told. */
  async fileCallback(request: CallbackRequest, origin: Origin, idempotencyKey: string): Promise<CallbackResult> {
    const r = CallbackSchema.parse(request);
    const o = OriginSchema.parse(origin);
    return this.db.transaction(async () => {
      const existing = await this.db.get<CallbackResult>('SELECT id, reference FROM callbacks WHERE idempotency_key = ?', [
        idempotencyKey,
      ]);
      if (existing) return existing;
      const now = this.clock();
      for (let attempt = 0; ; attempt++) {
        const reference = newReference(now, 'TB');
        try {
          const res = await this.db.run(
            `INSERT INTO callbacks (idempotency_key, reference, topic, name, phone, date, part_of_day, locale, channel, conversation_id, status, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
            [idempotencyKey, reference, r.topic ?? null, r.name, r.phone, r.date, r.partOfDay, o.locale, o.channel, o.conversationId, now.toISOString()],
          );
          return { id: res.lastID, reference };
        } catch (err) {
          const unique = /UNIQUE constraint failed: callbacks.reference/.test(String(err));
          if (!unique || attempt >= 5) throw err;
        }
      }
    });
  }

  async getByReference(reference: string): Promise<Complaint | undefined> {
    const row = await this.db.get<ComplaintRow>(
      `SELECT c.*, cb.name AS cb_name, cb.phone AS cb_phone, cb.date AS cb_date, cb.part_of_day AS cb_part, cb.topic AS cb_topic
         FROM complaints c LEFT JOIN callbacks cb ON cb.id = c.callback_id WHERE c.reference = ?`,
      [reference],
    );
    return row ? rowToComplaint(row) : undefined;
  }

  async listByConversation(channel: string, conversationId: string): Promise<Complaint[]> {
    const rows = await this.db.all<ComplaintRow>(
      `SELECT c.*, cb.name AS cb_name, cb.phone AS cb_phone, cb.date AS cb_date, cb.part_of_day AS cb_part, cb.topic AS cb_topic
         FROM complaints c LEFT JOIN callbacks cb ON cb.id = c.callback_id
        WHERE c.channel = ? AND c.conversation_id = ? ORDER BY c.id`,
      [channel, conversationId],
    );
    return rows.map(rowToComplaint);
  }

  async countComplaints(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM complaints'))?.n ?? 0;
  }

  async getCallback(id: number): Promise<StoredCallback | undefined> {
    const row = await this.db.get<ComplaintRow>('SELECT * FROM callbacks WHERE id = ?', [id]);
    return row ? rowToCallback(row) : undefined;
  }

  async listCallbacksByConversation(channel: string, conversationId: string): Promise<StoredCallback[]> {
    const rows = await this.db.all<ComplaintRow>(
      'SELECT * FROM callbacks WHERE channel = ? AND conversation_id = ? ORDER BY id',
      [channel, conversationId],
    );
    return rows.map(rowToCallback);
  }
}

export function rowToComplaint(row: ComplaintRow): Complaint {
  return ComplaintSchema.parse({
    id: row.id,
    reference: row.reference,
    status: row.status,
    route: row.route,
    locale: row.locale,
    channel: row.channel,
    conversationId: row.conversation_id,
    story: row.story,
    incidentDate: row.incident_date,
    ...(row.incident_date_from != null ? { incidentDateFrom: row.incident_date_from, incidentDateTo: row.incident_date_to } : {}),
    incidentDateText: row.incident_date_text,
    placeKind: row.place_kind,
    place: row.place,
    personKind: row.person_kind,
    person: row.person,
    solution: row.solution,
    contact: {
      name: row.name,
      phone: row.phone,
      street: row.street,
      postcode: row.postcode,
      city: row.city,
      ...(row.country != null ? { country: row.country } : {}),
      email: row.email,
    },
    callback:
      row.cb_date != null
        ? { name: row.cb_name, phone: row.cb_phone, date: row.cb_date, partOfDay: row.cb_part, ...(row.cb_topic != null ? { topic: row.cb_topic } : {}) }
        : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

export function rowToCallback(row: ComplaintRow): StoredCallback {
  return StoredCallbackSchema.parse({
    id: row.id,
    reference: row.reference,
    ...(row.topic != null ? { topic: row.topic } : {}),
    name: row.name,
    phone: row.phone,
    date: row.date,
    partOfDay: row.part_of_day,
    locale: row.locale,
    channel: row.channel,
    conversationId: row.conversation_id,
    complaintReference: row.complaint_reference,
    status: row.status,
    createdAt: row.created_at,
  });
}
