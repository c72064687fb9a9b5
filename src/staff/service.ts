/**
 * What staff do with filed complaints, shared by the HTTP API and the command line: find, read (with
 * transcript), change status, extend the decision term, work the call-back queue. Every read and change
 * is written to the audit log before the data is returned; a read that cannot be audited fails.
 * Reads and writes go through the store's repositories (src/store/types.ts); a change and its audit
 * entry commit in one transaction.
 *
 * Search: the words of the query (searchQueryWords: at most 12, each a whole word, all required, no
 * prefixes or stemming) over the story and everything the citizen typed in the conversation; the
 * store keeps the index (src/store/types.ts, "Search semantics"), newest first.
 */
import type { Activity } from 'botbuilder';
import { STATUSES, type Status } from '../domain/complaint';
import type { BotTranscriptStore } from '../bot/transcriptStore';
import { searchQueryWords } from '../store/search';
import type { ComplaintSummaryRow, Store } from '../store/types';
import type { Actor, AuditLog } from './audit';
import { complaintDeliveries } from './deliveriesApi';
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
  constructor(
    private readonly store: Store,
    private readonly transcripts: BotTranscriptStore,
    readonly audit: AuditLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async list(actor: Actor, query: ListQuery): Promise<ComplaintList> {
    const parsed = ListQuerySchema.safeParse(query);
    if (!parsed.success) {
      throw new StaffError(400, 'invalid_query', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    const q = parsed.data;
    const now = this.clock();
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    const text = q.q ? q.q.trim() : '';
    const filter = {
      ...(q.status ? { status: q.status } : {}),
      ...(q.route ? { route: q.route } : {}),
      ...(q.from ? { createdFrom: amsterdamMidnight(q.from) } : {}),
      ...(q.to ? { createdBefore: amsterdamMidnight(addCalendarDays(q.to, 1)) } : {}),
      ...(q.overdue !== undefined ? { overdue: { overdue: q.overdue, ...overdueCutoffs(now) } } : {}),
      ...(cursor ? { after: cursor } : {}),
      limit: q.limit + 1,
    };
    let rows: ComplaintSummaryRow[];
    if (text && isReference(text.toUpperCase())) {
      rows = await this.store.staff.list({ ...filter, reference: text.toUpperCase() });
    } else if (text) {
      const words = searchQueryWords(text);
      if (words.length === 0) return { items: [], nextCursor: null };
      rows = await this.store.staff.list({ ...filter, search: words });
    } else {
      rows = await this.store.staff.list(filter);
    }
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const result = ComplaintListSchema.parse({
      items: page.map((r) => this.summary(r, now)),
      nextCursor: rows.length > q.limit ? encodeCursor(last.createdAt, last.id) : null,
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

  private summary(r: ComplaintSummaryRow, now: Date) {
    return ComplaintSummarySchema.parse({
      reference: r.reference,
      status: r.status,
      route: r.route,
      locale: r.locale,
      channel: r.channel,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      contact: { name: r.name },
      excerpt: r.excerpt,
      deadlines: deadlinesFor(r.createdAt, r.status, r.extendedAt !== null, now),
      resolvedAt: r.resolvedAt,
    });
  }

  /** One complaint with its fields, history, deadlines and transcript. Audited as a read. */
  async get(actor: Actor, reference: string): Promise<ComplaintDetail> {
    const detail = await this.load(reference);
    await this.audit.record(actor, { action: 'complaint.read', references: [detail.reference] });
    // its outbox rows (issue 13): status and last error of each delivery
    return Object.assign(detail, { deliveries: await complaintDeliveries(this.store, detail.reference) });
  }

  private async load(reference: string): Promise<ComplaintDetail> {
    const complaint = await this.store.complaints.getByReference(reference);
    if (!complaint) throw new StaffError(404, 'not_found', 'no complaint with this reference');
    const [history, handling, transcript] = await Promise.all([
      this.store.staff.history(complaint.id),
      this.store.staff.getHandling(reference),
      this.transcripts.getAllActivities(complaint.channel, complaint.conversationId),
    ]);
    return ComplaintDetailSchema.parse({
      ...complaint,
      history: history satisfies HistoryEvent[],
      deadlines: deadlinesFor(complaint.createdAt, complaint.status, Boolean(handling?.extendedAt), this.clock()),
      resolvedAt: handling?.resolvedAt ?? null,
      transcript: JSON.parse(JSON.stringify(transcript)),
    });
  }

  /** The conversation of a complaint, for the .transcript download. Audited. */
  async transcript(actor: Actor, reference: string): Promise<Activity[]> {
    const row = await this.store.staff.getHandling(reference);
    if (!row) throw new StaffError(404, 'not_found', 'no complaint with this reference');
    const activities = await this.transcripts.getAllActivities(row.channelId, row.conversationId);
    await this.audit.record(actor, { action: 'transcript.read', references: [reference], detail: { activities: activities.length } });
    return activities;
  }

  async changeStatus(actor: Actor, reference: string, to: Status, note: string): Promise<ComplaintDetail> {
    if (!STATUSES.includes(to)) throw new StaffError(400, 'invalid_status', `status must be one of ${STATUSES.join(', ')}`);
    await this.store.transaction(async (tx) => {
      const c = await this.store.staff.getHandling(reference, tx);
      if (!c) throw new StaffError(404, 'not_found', 'no complaint with this reference');
      if (!TRANSITIONS[c.status].includes(to)) {
        throw new StaffError(409, 'invalid_transition', `a ${c.status} complaint cannot become ${to}`);
      }
      const at = this.clock().toISOString();
      await this.store.staff.changeStatus({ id: c.id, from: c.status, to, actor: actor.id, note, at }, tx);
      await this.audit.record(actor, { action: 'complaint.status', references: [reference], detail: { from: c.status, to } }, tx);
    });
    return this.load(reference);
  }

  /** Awb 9:11 lid 2: the decision term is extended once, by at most 4 weeks. */
  async extend(actor: Actor, reference: string, note: string): Promise<ComplaintDetail> {
    await this.store.transaction(async (tx) => {
      const c = await this.store.staff.getHandling(reference, tx);
      if (!c) throw new StaffError(404, 'not_found', 'no complaint with this reference');
      if (c.status === 'resolved') throw new StaffError(409, 'resolved', 'a resolved complaint has no term to extend');
      if (c.extendedAt) throw new StaffError(409, 'already_extended', 'the term can be extended only once (Awb 9:11)');
      const at = this.clock().toISOString();
      await this.store.staff.extend({ id: c.id, actor: actor.id, note, at }, tx);
      await this.audit.record(actor, { action: 'complaint.extend', references: [reference] }, tx);
    });
    return this.load(reference);
  }

  /** Call-back requests by preferred time (date, morning before afternoon). Audited. */
  async callbacks(actor: Actor, status: 'open' | 'done' = 'open', limit = 200): Promise<CallbackItem[]> {
    const rows = await this.store.callbacks.queue(status, limit);
    const items = rows.map((r) => CallbackItemSchema.parse(r));
    await this.audit.record(actor, {
      action: 'callback.list',
      references: items.flatMap((i) => (i.complaintReference ? [i.complaintReference] : [])),
      detail: { status, count: items.length, callbacks: items.map((i) => i.id) },
    });
    return items;
  }

  async markCallbackDone(actor: Actor, id: number, note?: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const cb = await this.store.callbacks.lockForHandling(id, tx);
      if (!cb) throw new StaffError(404, 'not_found', 'no call-back request with this id');
      if (cb.status === 'done') throw new StaffError(409, 'already_done', 'this call-back request is done already');
      await this.store.callbacks.markDone(id, actor.id, this.clock().toISOString(), note ?? null, tx);
      await this.audit.record(
        actor,
        { action: 'callback.done', references: cb.complaintReference ? [cb.complaintReference] : [], detail: { callback: id } },
        tx,
      );
    });
  }
}
