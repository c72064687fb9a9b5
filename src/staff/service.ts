/**
 * What staff do with filed complaints, shared by the HTTP API and the command line: find, read (with
 * transcript), change status, extend the decision term, work the call-back queue. Every read and change
 * is written to the audit log before the data is returned; a read that cannot be audited fails.
 *
 * Search: one FTS5 document per complaint (rowid = complaint id) with the story and everything the
 * citizen typed in the conversation (messages with from.role 'user'; the bot's own texts are the same in
 * every conversation and would only add noise). Triggers keep it current when a complaint is filed or
 * deleted and when the citizen says more afterwards; the index is contentless, so no second copy of the
 * text is kept. Newest first is `id DESC`, which FTS5 walks without sorting.
 */
import type { Activity } from 'botbuilder';
import { STATUSES, type Status } from '../domain/complaint';
import type { SqliteTranscriptStore } from '../bot/sqliteTranscriptStore';
import { ComplaintStore } from '../store/complaintStore';
import type { Db, Migration } from '../store/db';
import type { Actor, AuditLog } from './audit';
import { addCalendarDays, amsterdamMidnight, deadlinesFor, overdueCutoffs } from './deadlines';
import {
  CallbackItemSchema,
  ComplaintDetailSchema,
  ComplaintListSchema,
  ComplaintSummarySchema,
  ListQuerySchema,
  type CallbackItem,
  type ComplaintDetail,
  type ComplaintList,
  type HistoryEvent,
  type ListQuery,
} from './schemas';

/** What the citizen typed in a conversation, as one text (for the search document). */
const CITIZEN_TEXT = (channel: string, conversation: string) => `(
  SELECT group_concat(json_extract(t.data, '$.text'), char(10)) FROM transcript_activities t
   WHERE t.channel_id = ${channel} AND t.conversation_id = ${conversation} AND t.role = 'user' AND t.type = 'message')`;

/** Created at every start when missing: they live on other modules' tables, which a migration may rebuild. */
const SEARCH_TRIGGERS = `
  CREATE TRIGGER IF NOT EXISTS complaint_search_filed AFTER INSERT ON complaints BEGIN
    INSERT INTO complaint_search (rowid, story, transcript)
    VALUES (new.id, new.story, ${CITIZEN_TEXT('new.channel', 'new.conversation_id')});
  END;
  CREATE TRIGGER IF NOT EXISTS complaint_search_deleted AFTER DELETE ON complaints BEGIN
    DELETE FROM complaint_search WHERE rowid = old.id;
  END;
  CREATE TRIGGER IF NOT EXISTS complaint_search_said AFTER INSERT ON transcript_activities
  WHEN new.role = 'user' AND new.type = 'message'
   AND EXISTS (SELECT 1 FROM complaints WHERE channel = new.channel_id AND conversation_id = new.conversation_id)
  BEGIN
    DELETE FROM complaint_search WHERE rowid IN
      (SELECT id FROM complaints WHERE channel = new.channel_id AND conversation_id = new.conversation_id);
    INSERT INTO complaint_search (rowid, story, transcript)
      SELECT c.id, c.story, ${CITIZEN_TEXT('c.channel', 'c.conversation_id')}
        FROM complaints c WHERE c.channel = new.channel_id AND c.conversation_id = new.conversation_id;
  END;`;

const REBUILD_SEARCH = `
  INSERT INTO complaint_search (complaint_search) VALUES ('delete-all');
  INSERT INTO complaint_search (rowid, story, transcript)
    SELECT c.id, c.story, ${CITIZEN_TEXT('c.channel', 'c.conversation_id')} FROM complaints c;`;

export const STAFF_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE complaint_events (
        id INTEGER PRIMARY KEY,
        complaint_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT,
        actor TEXT NOT NULL,
        note TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, id);
      CREATE TABLE complaint_handling (
        complaint_id INTEGER PRIMARY KEY,
        extended_at TEXT,
        resolved_at TEXT
      );
      CREATE INDEX complaint_handling_resolved ON complaint_handling(resolved_at);
      CREATE TABLE callback_handling (
        callback_id INTEGER PRIMARY KEY,
        done_by TEXT NOT NULL,
        done_at TEXT NOT NULL,
        note TEXT
      );
      CREATE VIRTUAL TABLE complaint_search USING fts5(
        story, transcript, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
      );
      ${REBUILD_SEARCH}
    `,
  },
];

/** received -> informal -> resolved, or -> formal -> resolved; informal handling that fails becomes formal. */
export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  received: ['informal', 'formal'],
  informal: ['formal', 'resolved'],
  formal: ['resolved'],
  resolved: [],
};

export class StaffError extends Error {
  constructor(readonly status: 400 | 404 | 409, readonly code: string, message: string) {
    super(message);
  }
}

const REFERENCE = /^KL-\d{4}-[23456789A-HJKMNP-Z]{6}$/;

export function isReference(s: string): boolean {
  return REFERENCE.test(s);
}

/** FTS5 query from free text: each word quoted (no operators can be injected), all words required. */
export function ftsQuery(q: string): string | null {
  const words = q.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words
    .slice(0, 12)
    .map((w) => `"${w}"`)
    .join(' ');
}

interface SummaryRow {
  id: number;
  reference: string;
  status: string;
  route: string;
  locale: string;
  channel: string;
  name: string;
  excerpt: string;
  created_at: string;
  updated_at: string;
  extended_at: string | null;
  resolved_at: string | null;
}

const SUMMARY_COLUMNS = `c.id, c.reference, c.status, c.route, c.locale, c.channel, c.name, substr(c.story, 1, 160) AS excerpt,
  c.created_at, c.updated_at, h.extended_at, h.resolved_at`;

function encodeCursor(createdAt: string, id: number): string {
  return Buffer.from(`${createdAt}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: number } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const n = Number(id);
  if (!createdAt || !/^\d{4}-\d{2}-\d{2}T/.test(createdAt) || !Number.isSafeInteger(n)) {
    throw new StaffError(400, 'invalid_cursor', 'cursor is not one this API returned');
  }
  return { createdAt, id: n };
}

export class StaffService {
  private readonly complaints: ComplaintStore;

  constructor(
    private readonly db: Db,
    private readonly transcripts: SqliteTranscriptStore,
    readonly audit: AuditLog,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.complaints = new ComplaintStore(db, clock);
  }

  /** Needs the complaints and transcripts modules migrated first. */
  async init(): Promise<this> {
    await this.db.migrate('staff', STAFF_MIGRATIONS);
    await this.db.transaction(async () => {
      await this.db.exec(SEARCH_TRIGGERS);
      // Self-healing: if the triggers were ever missing, the index lags; rebuild it then.
      const counts = await this.db.get<{ complaints: number; indexed: number }>(
        'SELECT (SELECT count(*) FROM complaints) AS complaints, (SELECT count(*) FROM complaint_search) AS indexed',
      );
      if (counts && counts.complaints !== counts.indexed) await this.db.exec(REBUILD_SEARCH);
    });
    return this;
  }

  async list(actor: Actor, query: ListQuery): Promise<ComplaintList> {
    const parsed = ListQuerySchema.safeParse(query);
    if (!parsed.success) {
      throw new StaffError(400, 'invalid_query', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    const q = parsed.data;
    const now = this.clock();
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.status) {
      where.push('c.status = ?');
      params.push(q.status);
    }
    if (q.route) {
      where.push('c.route = ?');
      params.push(q.route);
    }
    if (q.from) {
      where.push('c.created_at >= ?');
      params.push(amsterdamMidnight(q.from));
    }
    if (q.to) {
      where.push('c.created_at < ?');
      params.push(amsterdamMidnight(addCalendarDays(q.to, 1)));
    }
    if (q.overdue !== undefined) {
      const cut = overdueCutoffs(now);
      const overdue = `(c.status != 'resolved' AND (
          (c.status = 'received' AND c.created_at < ?)
          OR (h.extended_at IS NULL AND c.created_at < ?)
          OR (h.extended_at IS NOT NULL AND c.created_at < ?)))`;
      where.push(q.overdue ? overdue : `NOT ${overdue}`);
      params.push(cut.contact, cut.decide, cut.decideExtended);
    }
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    const text = q.q ? q.q.trim() : '';
    let rows: SummaryRow[];
    if (text && isReference(text.toUpperCase())) {
      rows = await this.db.all<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id
          WHERE c.reference = ? ${where.map((w) => `AND ${w}`).join(' ')}`,
        [text.toUpperCase(), ...params],
      );
    } else if (text) {
      const match = ftsQuery(text);
      if (!match) return { items: [], nextCursor: null };
      if (cursor) {
        where.push('s.rowid < ?');
        params.push(cursor.id);
      }
      rows = await this.db.all<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM complaint_search s
           JOIN complaints c ON c.id = s.rowid
           LEFT JOIN complaint_handling h ON h.complaint_id = c.id
          WHERE complaint_search MATCH ? ${where.map((w) => `AND ${w}`).join(' ')}
          ORDER BY s.rowid DESC LIMIT ?`,
        [match, ...params, q.limit + 1],
      );
    } else {
      if (cursor) {
        where.push('(c.created_at < ? OR (c.created_at = ? AND c.id < ?))');
        params.push(cursor.createdAt, cursor.createdAt, cursor.id);
      }
      rows = await this.db.all<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY c.created_at DESC, c.id DESC LIMIT ?`,
        [...params, q.limit + 1],
      );
    }
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const result = ComplaintListSchema.parse({
      items: page.map((r) => this.summary(r, now)),
      nextCursor: rows.length > q.limit ? encodeCursor(last.created_at, last.id) : null,
    });
    await this.audit.record(actor, {
      action: 'complaint.list',
      references: result.items.map((i) => i.reference),
      detail: {
        count: result.items.length,
        filters: {
          status: q.status ?? null,
          route: q.route ?? null,
          from: q.from ?? null,
          to: q.to ?? null,
          overdue: q.overdue ?? null,
          search: Boolean(text), // whether there was a search, never what was searched for
          page: Boolean(q.cursor),
        },
      },
    });
    return result;
  }

  private summary(r: SummaryRow, now: Date) {
    return ComplaintSummarySchema.parse({
      reference: r.reference,
      status: r.status,
      route: r.route,
      locale: r.locale,
      channel: r.channel,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      contact: { name: r.name },
      excerpt: r.excerpt,
      deadlines: deadlinesFor(r.created_at, r.status as Status, r.extended_at !== null, now),
      resolvedAt: r.resolved_at,
    });
  }

  /** One complaint with its fields, history, deadlines and transcript. Audited as a read. */
  async get(actor: Actor, reference: string): Promise<ComplaintDetail> {
    const detail = await this.load(reference);
    await this.audit.record(actor, { action: 'complaint.read', references: [detail.reference] });
    return detail;
  }

  private async load(reference: string): Promise<ComplaintDetail> {
    const complaint = await this.complaints.getByReference(reference);
    if (!complaint) throw new StaffError(404, 'not_found', 'no complaint with this reference');
    const [events, handling, transcript] = await Promise.all([
      this.db.all<{ at: string; actor: string; kind: string; from_status: string | null; to_status: string | null; note: string }>(
        'SELECT at, actor, kind, from_status, to_status, note FROM complaint_events WHERE complaint_id = ? ORDER BY id',
        [complaint.id],
      ),
      this.db.get<{ extended_at: string | null; resolved_at: string | null }>(
        'SELECT extended_at, resolved_at FROM complaint_handling WHERE complaint_id = ?',
        [complaint.id],
      ),
      this.transcripts.getAllActivities(complaint.channel, complaint.conversationId),
    ]);
    const history: HistoryEvent[] = events.map((e) => ({
      at: e.at,
      actor: e.actor,
      kind: e.kind as HistoryEvent['kind'],
      from: e.from_status as Status | null,
      to: e.to_status as Status | null,
      note: e.note,
    }));
    return ComplaintDetailSchema.parse({
      ...complaint,
      history,
      deadlines: deadlinesFor(complaint.createdAt, complaint.status, Boolean(handling?.extended_at), this.clock()),
      resolvedAt: handling?.resolved_at ?? null,
      transcript: JSON.parse(JSON.stringify(transcript)),
    });
  }

  /** The conversation of a complaint, for the .transcript download. Audited. */
  async transcript(actor: Actor, reference: string): Promise<Activity[]> {
    const row = await this.db.get<{ channel: string; conversation_id: string }>(
      'SELECT channel, conversation_id FROM complaints WHERE reference = ?',
      [reference],
    );
    if (!row) throw new StaffError(404, 'not_found', 'no complaint with this reference');
    const activities = await this.transcripts.getAllActivities(row.channel, row.conversation_id);
    await this.audit.record(actor, { action: 'transcript.read', references: [reference], detail: { activities: activities.length } });
    return activities;
  }

  async changeStatus(actor: Actor, reference: string, to: Status, note: string): Promise<ComplaintDetail> {
    if (!STATUSES.includes(to)) throw new StaffError(400, 'invalid_status', `status must be one of ${STATUSES.join(', ')}`);
    await this.db.transaction(async () => {
      const c = await this.db.get<{ id: number; status: Status }>('SELECT id, status FROM complaints WHERE reference = ?', [reference]);
      if (!c) throw new StaffError(404, 'not_found', 'no complaint with this reference');
      if (!TRANSITIONS[c.status].includes(to)) {
        throw new StaffError(409, 'invalid_transition', `a ${c.status} complaint cannot become ${to}`);
      }
      const at = this.clock().toISOString();
      await this.db.run('UPDATE complaints SET status = ?, updated_at = ? WHERE id = ?', [to, at, c.id]);
      await this.db.run(
        `INSERT INTO complaint_events (complaint_id, kind, from_status, to_status, actor, note, at) VALUES (?, 'status', ?, ?, ?, ?, ?)`,
        [c.id, c.status, to, actor.id, note, at],
      );
      if (to === 'resolved') {
        await this.db.run(
          `INSERT INTO complaint_handling (complaint_id, resolved_at) VALUES (?, ?)
           ON CONFLICT (complaint_id) DO UPDATE SET resolved_at = excluded.resolved_at`,
          [c.id, at],
        );
      }
      await this.audit.recordInTransaction(actor, {
        action: 'complaint.status',
        references: [reference],
        detail: { from: c.status, to },
      });
    });
    return this.load(reference);
  }

  /** Awb 9:11 lid 2: the decision term is extended once, by at most 4 weeks. */
  async extend(actor: Actor, reference: string, note: string): Promise<ComplaintDetail> {
    await this.db.transaction(async () => {
      const c = await this.db.get<{ id: number; status: Status; extended_at: string | null }>(
        `SELECT c.id, c.status, h.extended_at FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id
          WHERE c.reference = ?`,
        [reference],
      );
      if (!c) throw new StaffError(404, 'not_found', 'no complaint with this reference');
      if (c.status === 'resolved') throw new StaffError(409, 'resolved', 'a resolved complaint has no term to extend');
      if (c.extended_at) throw new StaffError(409, 'already_extended', 'the term can be extended only once (Awb 9:11)');
      const at = this.clock().toISOString();
      await this.db.run(
        `INSERT INTO complaint_handling (complaint_id, extended_at) VALUES (?, ?)
         ON CONFLICT (complaint_id) DO UPDATE SET extended_at = excluded.extended_at`,
        [c.id, at],
      );
      await this.db.run(
        `INSERT INTO complaint_events (complaint_id, kind, from_status, to_status, actor, note, at) VALUES (?, 'extension', NULL, NULL, ?, ?, ?)`,
        [c.id, actor.id, note, at],
      );
      await this.db.run('UPDATE complaints SET updated_at = ? WHERE id = ?', [at, c.id]);
      await this.audit.recordInTransaction(actor, { action: 'complaint.extend', references: [reference] });
    });
    return this.load(reference);
  }

  /** Call-back requests by preferred time (date, morning before afternoon). Audited. */
  async callbacks(actor: Actor, status: 'open' | 'done' = 'open', limit = 200): Promise<CallbackItem[]> {
    const rows = await this.db.all<Record<string, string | number | null>>(
      `SELECT cb.*, ch.done_by, ch.done_at FROM callbacks cb LEFT JOIN callback_handling ch ON ch.callback_id = cb.id
        WHERE cb.status = ?
        ORDER BY cb.date ${status === 'open' ? 'ASC' : 'DESC'}, CASE cb.part_of_day WHEN 'morning' THEN 0 ELSE 1 END, cb.id
        LIMIT ?`,
      [status, Math.min(Math.max(limit, 1), 1000)],
    );
    const items = rows.map((r) =>
      CallbackItemSchema.parse({
        id: r.id,
        reference: r.reference,
        ...(r.topic != null ? { topic: r.topic } : {}),
        name: r.name,
        phone: r.phone,
        date: r.date,
        partOfDay: r.part_of_day,
        locale: r.locale,
        channel: r.channel,
        conversationId: r.conversation_id,
        complaintReference: r.complaint_reference,
        status: r.status,
        createdAt: r.created_at,
        doneBy: r.done_by ?? null,
        doneAt: r.done_at ?? null,
      }),
    );
    await this.audit.record(actor, {
      action: 'callback.list',
      references: items.flatMap((i) => (i.complaintReference ? [i.complaintReference] : [])),
      detail: { status, count: items.length, callbacks: items.map((i) => i.id) },
    });
    return items;
  }

  async markCallbackDone(actor: Actor, id: number, note?: string): Promise<void> {
    await this.db.transaction(async () => {
      const cb = await this.db.get<{ status: string; complaint_reference: string | null }>(
        'SELECT status, complaint_reference FROM callbacks WHERE id = ?',
        [id],
      );
      if (!cb) throw new StaffError(404, 'not_found', 'no call-back request with this id');
      if (cb.status === 'done') throw new StaffError(409, 'already_done', 'this call-back request is done already');
      const at = this.clock().toISOString();
      await this.db.run(`UPDATE callbacks SET status = 'done' WHERE id = ?`, [id]);
      await this.db.run('INSERT OR REPLACE INTO callback_handling (callback_id, done_by, done_at, note) VALUES (?, ?, ?, ?)', [
        id,
        actor.id,
        at,
        note ?? null,
      ]);
      await this.audit.recordInTransaction(actor, {
        action: 'callback.done',
        references: cb.complaint_reference ? [cb.complaint_reference] : [],
        detail: { callback: id },
      });
    });
  }
}
