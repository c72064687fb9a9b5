/**
 * What staff do with filed complaints, shared by the HTTP API and the command line: find, read (with
 * transcript and timeline), handle (status with outcome, extension, assignment, notes, documents,
 * reopen), enter complaints that came by phone, letter, e-mail or at the counter, and work the call-back
 * queue. Every read and change is written to the audit log before the data is returned; a read that
 * cannot be audited fails. A change and its audit entry commit in one transaction.
 *
 * Optimistic concurrency: every complaint has a `version` (the API's ETag) that grows with every
 * change. A change names the version it was based on; inside the transaction the complaint row is
 * read locked (store.handling.get with tx), and a different version is StaffError 412 'stale' with the
 * current complaint. The command line passes no version: it changes the version it reads.
 *
 * Roles: 'staff' (complaint officer) sees and does everything; 'handler' (klachtbehandelaar) sees only
 * complaints whose handler they are, and may only add notes (with a proposed outcome) and documents.
 *
 * Search (src/store/search.ts): whole words, the last one also as a prefix; a phone number in any form,
 * a postcode with or without space, and a reference with or without its 'KL-2026-' prefix.
 */
import type { ComplaintStore } from '../store/complaintStore';
import type { Activity } from 'botbuilder';
import { STATUSES, type ComplaintInput, type Status } from '../domain/complaint';
import { DOCUMENT_MAX_BYTES, DOCUMENT_TYPES, OUTCOME_GROUNDS as OUTCOME_GROUNDS_LIST, OUTCOMES, type Outcome } from '../domain/handling';
import { addWorkingDays, toAmsterdamDate } from '../domain/workingDays';
import type { BotTranscriptStore } from '../bot/transcriptStore';
import { translator } from '../i18n';
import { searchQueryWords } from '../store/search';
import type {
  CallbackOutcome,
  ComplaintListFilter,
  HandlingChange,
  HandlingFields,
  HandlingState,
  HandlingSummaryRow,
  Store,
  Tx,
} from '../store/types';
import type { Actor, AuditLog } from './audit';
import { complaintDeliveries } from './deliveriesApi';
import { addCalendarDays, amsterdamMidnight, deadlineCutoffs, deadlinesFor, overdueCutoffs } from './deadlines';
import {
  CallbackItemSchema,
  ComplaintDetailSchema,
  ComplaintListSchema,
  ComplaintSummarySchema,
  ListQuerySchema,
  ManualComplaintSchema,
  type CallbackItem,
  type ComplaintDetail,
  type ComplaintList,
  type HistoryEvent,
  type ListQuery,
  type ManualComplaint,
} from './schemas';

/** received -> informal -> resolved, or -> formal -> resolved; informal handling that fails becomes formal. */
export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  received: ['informal', 'formal'],
  informal: ['formal', 'resolved'],
  formal: ['resolved'],
  resolved: [],
};

const t = translator('nl');

/** A Dutch message for an error code (locales staffApi.errors.*). */
export function errorMessage(code: string, vars?: Record<string, unknown>): string {
  const key = `staffApi.errors.${code}`;
  const text = t(key, vars);
  return text === key ? t('staffApi.errors.invalid_body') : text;
}

/**
 * An error the API answers as `{ error: code, message, ...extra }` with this HTTP status. Without a
 * message, the Dutch text of the code (locales staffApi.errors.<code>).
 */
export class StaffError extends Error {
  readonly extra?: Record<string, unknown>;
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 428,
    readonly code: string,
    message?: string,
    extra?: Record<string, unknown>,
  ) {
    super(message ?? errorMessage(code));
    this.extra = extra;
  }
}

const notFound = () => new StaffError(404, 'not_found', errorMessage('complaint_not_found'));
const forbidden = () => new StaffError(403, 'forbidden');

const REFERENCE = /^KL-\d{4}-[23456789A-HJKMNP-Z]{6}$/;

export function isReference(s: string): boolean {
  return REFERENCE.test(s);
}

/** Who acts: an actor with the roles of auth.ts ('staff', 'handler'); the CLI and system act as staff. */
export type Who = Actor & { roles?: readonly string[] };

/** A klachtbehandelaar without the officer's role: sees only complaints whose handler they are. */
export function isHandlerOnly(who: Who): boolean {
  const roles = who.roles ?? [];
  return roles.includes('handler') && !roles.includes('staff');
}

function encodeCursor(createdAt: string, id: number): string {
  return Buffer.from(`${createdAt}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: number } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const n = Number(id);
  if (!createdAt || !/^\d{4}-\d{2}-\d{2}T/.test(createdAt) || !Number.isSafeInteger(n)) {
    throw new StaffError(400, 'invalid_cursor');
  }
  return { createdAt, id: n };
}

/** What a field error is called: zod's message when it is one of ours (tooShort, required, ...), else by issue code. */
function fieldCode(issue: { code: string; message: string; input?: unknown }): string {
  if (['required', 'tooShort', 'tooLong', 'format', 'choice', 'type', 'invalid'].includes(issue.message)) return issue.message;
  if (issue.code === 'invalid_type') return issue.input === undefined ? 'required' : 'type';
  if (issue.code === 'invalid_value') return 'choice';
  if (issue.code === 'unrecognized_keys') return 'unknown';
  if (issue.code === 'too_small') return 'tooShort';
  if (issue.code === 'too_big') return 'tooLong';
  if (issue.code === 'invalid_format') return 'format';
  return 'invalid';
}

/**
 * A zod error as the one error shape: `{ error, message, fields: { 'contact.postcode': 'De vorm klopt niet.' } }`,
 * the message naming every wrong field in Dutch.
 */
export function validationError(
  code: 'invalid_body' | 'invalid_query',
  issues: readonly { path: PropertyKey[]; code: string; message: string; input?: unknown; keys?: string[] }[],
): StaffError {
  const fields: Record<string, string> = {};
  for (const i of issues) {
    const paths = i.code === 'unrecognized_keys' && i.keys ? i.keys.map((k) => [...i.path, k].join('.')) : [i.path.map(String).join('.') || '(body)'];
    for (const path of paths) if (!(path in fields)) fields[path] = t(`staffApi.field.${fieldCode(i)}`);
  }
  const message = `${errorMessage(code)} ${Object.entries(fields)
    .map(([f, m]) => `${f}: ${m}`)
    .join(' ')}`;
  return new StaffError(400, code, message, { fields });
}

export interface HandlingLists {
  categories: readonly string[];
  departments: readonly string[];
}

/** The next deadline of a complaint (YYYY-MM-DD), or null when resolved. */
function nextDeadline(status: Status, d: { contactBy: string; decisionDue: string }): string | null {
  if (status === 'resolved') return null;
  return status === 'received' ? d.contactBy : d.decisionDue;
}

export class StaffService {
  constructor(
    private readonly store: Store,
    private readonly transcripts: BotTranscriptStore,
    readonly audit: AuditLog,
    private readonly clock: () => Date = () => new Date(),
    readonly lists: HandlingLists = { categories: ['overig'], departments: [] },
    /** the bot's filing (its outbox plan): a complaint entered by hand is delivered like the bot's */
    private readonly deliveries?: Pick<ComplaintStore, 'enqueue' | 'wake'>,
  ) {}

  // -------------------------------------------------------------------------------------------
  // Reading

  async list(actor: Who, query: ListQuery): Promise<ComplaintList> {
    const parsed = ListQuerySchema.safeParse(query);
    if (!parsed.success) throw validationError('invalid_query', parsed.error.issues);
    const q = parsed.data;
    const now = this.clock();
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    const text = q.q ? q.q.trim() : '';
    const base: Omit<ComplaintListFilter, 'limit'> = {
      ...(q.status ? { status: q.status } : {}),
      ...(q.route ? { route: q.route } : {}),
      ...(q.from ? { createdFrom: amsterdamMidnight(q.from) } : {}),
      ...(q.to ? { createdBefore: amsterdamMidnight(addCalendarDays(q.to, 1)) } : {}),
      ...(q.overdue !== undefined ? { overdue: { overdue: q.overdue, ...overdueCutoffs(now) } } : {}),
      ...(q.assignee ? { assignee: q.assignee === 'me' ? actor.id : q.assignee } : {}),
      ...(q.department ? { department: q.department } : {}),
      ...(q.channel ? { intakeChannel: q.channel } : {}),
      ...(isHandlerOnly(actor) ? { handler: actor.id } : {}),
    };
    let rows: HandlingSummaryRow[];
    let nextCursor: string | null = null;
    if (q.sort === 'deadline' || q.dueWithinDays !== undefined) {
      rows = await this.dueSoon(base, q.limit, now, q.dueWithinDays);
    } else {
      const filter: ComplaintListFilter = { ...base, ...(cursor ? { after: cursor } : {}), limit: q.limit + 1 };
      const reference = text ? referenceOf(text) : undefined;
      if (reference) {
        rows = await this.store.staff.list({ ...filter, reference });
      } else if (text) {
        const words = searchQueryWords(text);
        if (words.length === 0) return { items: [], nextCursor: null };
        rows = await this.store.staff.list({ ...filter, search: words });
      } else {
        rows = await this.store.staff.list(filter);
      }
      if (rows.length > q.limit) {
        rows = rows.slice(0, q.limit);
        const last = rows[rows.length - 1];
        nextCursor = encodeCursor(last.createdAt, last.id);
      }
    }
    const result = ComplaintListSchema.parse({ items: rows.map((r) => this.summary(r, now)), nextCursor });
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
          assignee: q.assignee ? (q.assignee === 'me' ? 'me' : 'other') : null,
          department: Boolean(q.department),
          channel: q.channel ?? null,
          sort: q.sort,
          search: Boolean(text), // whether there was a search, never what was searched for
          page: Boolean(q.cursor),
        },
      },
    });
    return result;
  }

  /** Open complaints by next deadline: three groups, each ordered by receipt, merged. */
  private async dueSoon(base: Omit<ComplaintListFilter, 'limit'>, limit: number, now: Date, withinDays?: number): Promise<HandlingSummaryRow[]> {
    const groups = await Promise.all(
      (['received', 'decide', 'extended'] as const).map((g) => this.store.staff.dueSoon(g, { ...base, open: true, limit })),
    );
    const last = withinDays !== undefined ? addCalendarDays(toAmsterdamDate(now), withinDays) : undefined;
    return groups
      .flat()
      .map((r) => ({ r, due: nextDeadline(r.status, deadlinesFor(r.receivedAt, r.status, r.extendedAt !== null, now)) ?? '9999-12-31' }))
      .filter((x) => last === undefined || x.due <= last)
      .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.r.receivedAt < b.r.receivedAt ? -1 : a.r.receivedAt > b.r.receivedAt ? 1 : a.r.id - b.r.id))
      .slice(0, limit)
      .map((x) => x.r);
  }

  private summary(r: HandlingSummaryRow, now: Date) {
    const deadlines = deadlinesFor(r.receivedAt, r.status, r.extendedAt !== null, now);
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
      deadlines,
      resolvedAt: r.resolvedAt,
      version: r.version,
      assignee: r.assignee,
      department: r.department,
      handler: r.handler,
      category: r.category,
      outcome: r.outcome,
      intakeChannel: r.intakeChannel,
      receivedAt: r.receivedAt,
      deadline: nextDeadline(r.status, deadlines),
    });
  }

  /** The header counts: new (received), due this week (a deadline from today to Sunday, not overdue), overdue, mine (open, assigned to me). */
  async counts(actor: Who): Promise<{ new: number; dueThisWeek: number; overdue: number; mine: number }> {
    const now = this.clock();
    const today = toAmsterdamDate(now);
    const weekday = new Date(`${today}T12:00:00Z`).getUTCDay(); // 0 Sunday
    const nextMonday = addCalendarDays(today, weekday === 0 ? 1 : 8 - weekday);
    const scope: Omit<ComplaintListFilter, 'limit'> = isHandlerOnly(actor) ? { handler: actor.id } : {};
    const overdueToday = { overdue: true, ...deadlineCutoffs(today) };
    const [fresh, overdue, beforeMonday, mine] = await Promise.all([
      this.store.staff.count({ ...scope, status: 'received' }),
      this.store.staff.count({ ...scope, overdue: overdueToday }),
      this.store.staff.count({ ...scope, overdue: { overdue: true, ...deadlineCutoffs(nextMonday) } }),
      this.store.staff.count({ ...scope, assignee: actor.id, open: true }),
    ]);
    await this.audit.record(actor, { action: 'complaint.counts', detail: { new: fresh, overdue } });
    return { new: fresh, dueThisWeek: beforeMonday - overdue, overdue, mine };
  }

  /** One complaint with its fields, timeline, deadlines and transcript. Audited as a read. */
  async get(actor: Who, reference: string): Promise<ComplaintDetail> {
    const detail = await this.load(reference, actor);
    await this.audit.record(actor, { action: 'complaint.read', references: [detail.reference] });
    // its outbox rows (issue 13): status and last error of each delivery
    return Object.assign(detail, { deliveries: await complaintDeliveries(this.store, detail.reference) });
  }

  /** The complaint as GET returns it, not audited (after a change, which is audited itself). */
  async current(reference: string, actor?: Who): Promise<ComplaintDetail> {
    const detail = await this.load(reference, actor);
    return Object.assign(detail, { deliveries: await complaintDeliveries(this.store, detail.reference) });
  }

  private async load(reference: string, actor?: Who): Promise<ComplaintDetail> {
    const complaint = await this.store.complaints.getByReference(reference);
    if (!complaint) throw notFound();
    const [history, handling, transcript] = await Promise.all([
      this.store.staff.history(complaint.id),
      this.store.handling.get(reference),
      this.transcripts.getAllActivities(complaint.channel, complaint.conversationId),
    ]);
    if (!handling) throw notFound();
    if (actor && isHandlerOnly(actor) && handling.handler !== actor.id) throw notFound();
    const [timeline, documents] = await Promise.all([this.store.handling.timeline(complaint.id), this.store.handling.documents(complaint.id)]);
    return ComplaintDetailSchema.parse({
      ...complaint,
      history: history satisfies HistoryEvent[],
      deadlines: deadlinesFor(handling.receivedAt, complaint.status, Boolean(handling.extendedAt), this.clock()),
      resolvedAt: handling.resolvedAt ?? null,
      transcript: JSON.parse(JSON.stringify(transcript)),
      version: handling.version,
      assignee: handling.assignee,
      department: handling.department,
      handler: handling.handler,
      category: handling.category,
      outcome: handling.outcome,
      outcomeGround: handling.outcomeGround,
      intakeChannel: handling.intakeChannel,
      receivedAt: handling.receivedAt,
      timeline,
      documents: documents.map(({ complaintId: _c, ...d }) => d),
    });
  }

  /** The conversation of a complaint, for the .transcript download. Audited. */
  async transcript(actor: Who, reference: string): Promise<Activity[]> {
    const row = await this.store.handling.get(reference);
    if (!row || (isHandlerOnly(actor) && row.handler !== actor.id)) throw notFound();
    const activities = await this.transcripts.getAllActivities(row.channelId, row.conversationId);
    await this.audit.record(actor, { action: 'transcript.read', references: [reference], detail: { activities: activities.length } });
    return activities;
  }

  /** A document staff added, with its bytes. Audited. */
  async document(actor: Who, reference: string, id: number): Promise<{ filename: string; contentType: string; content: Buffer }> {
    const row = await this.store.handling.get(reference);
    if (!row || (isHandlerOnly(actor) && row.handler !== actor.id)) throw notFound();
    const doc = await this.store.handling.document(row.id, id);
    if (!doc) throw new StaffError(404, 'not_found', errorMessage('document_not_found'));
    await this.audit.record(actor, { action: 'document.read', references: [reference], detail: { document: id, size: doc.size } });
    return { filename: doc.filename, contentType: doc.contentType, content: doc.content };
  }

  // -------------------------------------------------------------------------------------------
  // Changing

  /**
   * One change of a complaint under its version: `build` sees the locked state and returns what to apply
   * (or throws a StaffError); the change and its audit entry commit together. `version` undefined: the
   * current one (the command line). Returns the complaint as GET returns it.
   */
  async change(
    actor: Who,
    reference: string,
    version: number | undefined,
    build: (state: HandlingState, tx: Tx) => Promise<Pick<HandlingChange, 'status' | 'set' | 'event'>> | Pick<HandlingChange, 'status' | 'set' | 'event'>,
    audit: (state: HandlingState) => { action: string; detail?: Record<string, unknown> },
  ): Promise<ComplaintDetail> {
    let stale = false;
    try {
      await this.store.transaction(async (tx) => {
        const state = await this.store.handling.get(reference, tx);
        if (!state || (isHandlerOnly(actor) && state.handler !== actor.id)) throw notFound();
        if (version !== undefined && version !== state.version) {
          stale = true;
          throw new StaffError(412, 'stale');
        }
        const change = await build(state, tx);
        const at = this.clock().toISOString();
        const applied = await this.store.handling.apply({ id: state.id, expectedVersion: state.version, at, actor: actor.id, ...change }, tx);
        if (applied === undefined) {
          stale = true;
          throw new StaffError(412, 'stale');
        }
        const a = audit(state);
        await this.audit.record(actor, { action: a.action, references: [reference], detail: a.detail }, tx);
      });
    } catch (err) {
      if (stale) throw new StaffError(412, 'stale', undefined, { current: await this.current(reference, actor) });
      throw err;
    }
    return this.current(reference, actor);
  }

  private staffOnly(actor: Who): void {
    if (isHandlerOnly(actor)) throw forbidden();
  }

  private checkLists(o: { category?: string | null; department?: string | null }): void {
    if (o.category != null && !this.lists.categories.includes(o.category)) throw new StaffError(400, 'unknown_category');
    if (o.department != null && !this.lists.departments.includes(o.department)) throw new StaffError(400, 'unknown_department');
  }

  async changeStatus(
    actor: Who,
    reference: string,
    to: Status,
    note: string,
    opts: { version?: number; outcome?: Outcome; outcomeGround?: string; category?: string; department?: string } = {},
  ): Promise<ComplaintDetail> {
    this.staffOnly(actor);
    if (!STATUSES.includes(to)) throw new StaffError(400, 'invalid_status', errorMessage('invalid_body'));
    if (to === 'resolved' && !opts.outcome) throw new StaffError(400, 'outcome_required');
    if (opts.outcome && to !== 'resolved') throw validationError('invalid_body', [{ path: ['outcome'], code: 'custom', message: 'invalid' }]);
    if (opts.outcome === 'niet_in_behandeling' && !opts.outcomeGround) throw new StaffError(400, 'ground_required');
    if (opts.outcomeGround && opts.outcome !== 'niet_in_behandeling') throw new StaffError(400, 'ground_not_allowed');
    if (opts.outcome && !OUTCOMES.includes(opts.outcome)) throw new StaffError(400, 'invalid_body');
    this.checkLists(opts);
    return this.change(
      actor,
      reference,
      opts.version,
      (c) => {
        if (!TRANSITIONS[c.status].includes(to)) {
          throw new StaffError(409, 'invalid_transition', errorMessage('invalid_transition', { from: statusLabel(c.status), to: statusLabel(to) }));
        }
        const set: Partial<HandlingFields> = {
          ...(opts.category !== undefined ? { category: opts.category } : {}),
          ...(opts.department !== undefined ? { department: opts.department } : {}),
          ...(to === 'resolved' ? { outcome: opts.outcome!, outcomeGround: opts.outcomeGround ?? null } : {}),
        };
        const data = Object.keys(set).length ? { ...set } : null;
        return { status: to, set, event: { kind: 'status', from: c.status, to, note, data } };
      },
      (c) => ({ action: 'complaint.status', detail: { from: c.status, to, ...(opts.outcome ? { outcome: opts.outcome } : {}) } }),
    );
  }

  /** Awb 9:11 lid 2: the decision term is extended once, by at most 4 weeks. */
  async extend(actor: Who, reference: string, note: string, version?: number): Promise<ComplaintDetail> {
    this.staffOnly(actor);
    return this.change(
      actor,
      reference,
      version,
      async (c, tx) => {
        if (c.status === 'resolved') throw new StaffError(409, 'resolved');
        if (c.extendedAt) throw new StaffError(409, 'already_extended');
        // extended_at and its 'extension' event through the staff repository (as before); apply adds the version
        await this.store.staff.extend({ id: c.id, actor: actor.id, note, at: this.clock().toISOString() }, tx);
        return {};
      },
      () => ({ action: 'complaint.extend' }),
    );
  }

  /** A resolved complaint opened again (formal handling), with the reason; the outcome is cleared. */
  async reopen(actor: Who, reference: string, reason: string, version?: number): Promise<ComplaintDetail> {
    this.staffOnly(actor);
    return this.change(
      actor,
      reference,
      version,
      (c) => {
        if (c.status !== 'resolved') throw new StaffError(409, 'not_resolved');
        return {
          status: 'formal',
          set: { outcome: null, outcomeGround: null },
          event: { kind: 'reopen', from: 'resolved', to: 'formal', note: reason, data: { previousOutcome: c.outcome } },
        };
      },
      () => ({ action: 'complaint.reopen' }),
    );
  }

  async assign(
    actor: Who,
    reference: string,
    a: { assignee?: string | null; department?: string | null; handler?: string | null },
    version?: number,
  ): Promise<ComplaintDetail> {
    this.staffOnly(actor);
    this.checkLists({ department: a.department });
    return this.change(
      actor,
      reference,
      version,
      (c) => {
        const set: Partial<HandlingFields> = {};
        if (a.assignee !== undefined) set.assignee = a.assignee;
        if (a.department !== undefined) set.department = a.department;
        if (a.handler !== undefined) set.handler = a.handler;
        const data: Record<string, unknown> = { ...set, previous: { assignee: c.assignee, department: c.department, handler: c.handler } };
        return { set, event: { kind: 'assignment', note: '', data } };
      },
      () => ({ action: 'complaint.assign', detail: { fields: Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined) } }),
    );
  }

  async addNote(actor: Who, reference: string, text: string, opts: { version?: number; proposedOutcome?: Outcome } = {}): Promise<ComplaintDetail> {
    return this.change(
      actor,
      reference,
      opts.version,
      () => ({ event: { kind: 'note', note: text, data: opts.proposedOutcome ? { proposedOutcome: opts.proposedOutcome } : null } }),
      () => ({ action: 'complaint.note', detail: { proposedOutcome: opts.proposedOutcome ?? null } }),
    );
  }

  async addDocument(
    actor: Who,
    reference: string,
    d: { filename: string; contentType: string; description?: string; dataBase64: string },
    version?: number,
  ): Promise<ComplaintDetail> {
    const type = d.contentType.toLowerCase().split(';')[0].trim();
    const extensions = DOCUMENT_TYPES[type];
    if (!extensions || !extensions.some((e) => d.filename.toLowerCase().endsWith(e))) throw new StaffError(415, 'document_type');
    if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(d.dataBase64)) throw new StaffError(400, 'document_empty');
    const content = Buffer.from(d.dataBase64, 'base64');
    if (content.length === 0) throw new StaffError(400, 'document_empty');
    if (content.length > DOCUMENT_MAX_BYTES) throw new StaffError(413, 'document_too_large');
    return this.change(
      actor,
      reference,
      version,
      async (c, tx) => {
        const meta = await this.store.handling.addDocument(
          { complaintId: c.id, filename: d.filename, contentType: type, description: d.description ?? null, content, createdBy: actor.id, at: this.clock().toISOString() },
          tx,
        );
        return {
          event: {
            kind: 'document',
            note: d.description ?? '',
            data: { documentId: meta.id, filename: meta.filename, contentType: meta.contentType, size: meta.size },
          },
        };
      },
      () => ({ action: 'complaint.document', detail: { size: content.length, contentType: type } }),
    );
  }

  /**
   * A complaint that came by phone, letter, e-mail or at the counter, with the same checks as the bot's
   * (ManualComplaintSchema, built on src/domain/complaint.ts). Its terms count from `receivedAt`.
   */
  async enter(actor: Who, body: unknown, idempotencyKey?: string): Promise<{ reference: string; created: boolean }> {
    this.staffOnly(actor);
    const parsed = ManualComplaintSchema.safeParse(body);
    if (!parsed.success) throw validationError('invalid_body', parsed.error.issues);
    const m: ManualComplaint = parsed.data;
    const now = this.clock();
    const receivedAt = m.receivedAt ? new Date(m.receivedAt) : now;
    if (receivedAt.getTime() > now.getTime() + 60_000) {
      throw validationError('invalid_body', [{ path: ['receivedAt'], code: 'custom', message: 'invalid' }]);
    }
    const { channel, receivedAt: _r, locale, ...input } = m;
    const key = idempotencyKey ? `manual:${actor.id}:${idempotencyKey}` : `manual:${now.toISOString()}:${Math.random().toString(36).slice(2)}`;
    return this.store.transaction(async (tx) => {
      const filed = await this.store.complaints.file(
        { input: input as ComplaintInput, origin: { locale, channel: `staff-${channel}`, conversationId: key.slice(0, 500) }, idempotencyKey: key },
        tx,
      );
      if (filed.created) {
        const state = await this.store.handling.get(filed.reference, tx);
        await this.store.handling.setIntake(state!.id, { channel, receivedAt: receivedAt.toISOString() }, tx);
        await this.audit.record(actor, { action: 'complaint.enter', references: [filed.reference], detail: { channel } }, tx);
        // its deliveries in the same transaction: the citizen's confirmation (9:6), the zaak, the klantcontact.
        // Not the officers' alert: an officer entered it.
        const enqueued = (await this.deliveries?.enqueue({ kind: 'complaint', reference: filed.reference }, { email: input.contact?.email ?? null }, tx, ['mail.officers'])) ?? [];
        return { ...filed, enqueued };
      }
      return { ...filed, enqueued: [] };
    }).then(({ enqueued, ...filed }) => {
      this.deliveries?.wake(enqueued);
      return filed;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Call-backs

  /** Call-back requests by preferred time (date, morning before afternoon). Audited. */
  async callbacks(actor: Who, status: 'open' | 'done' = 'open', limit = 200): Promise<CallbackItem[]> {
    this.staffOnly(actor);
    const rows = await this.store.callbacks.queue(status, limit);
    const attempts = await this.store.handling.callbackAttempts(rows.map((r) => r.id));
    const now = this.clock();
    const today = toAmsterdamDate(now);
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', hour12: false }).format(now));
    const items = rows.map((r) => {
      const a = attempts.get(r.id)!;
      const passed = r.date < today || (r.date === today && (r.partOfDay === 'morning' ? hour >= 12 : hour >= 17));
      return CallbackItemSchema.parse({
        ...r,
        note: a.doneNote ?? a.lastNote ?? null,
        missed: r.status === 'open' && passed,
        attempts: a.attempts,
        lastOutcome: a.lastOutcome,
        lastAttemptAt: a.lastAt,
      });
    });
    await this.audit.record(actor, {
      action: 'callback.list',
      references: items.flatMap((i) => (i.complaintReference ? [i.complaintReference] : [])),
      detail: { status, count: items.length, callbacks: items.map((i) => i.id) },
    });
    return items;
  }

  /** The conversation a call-back request came from (also one without a complaint), for its .transcript. Audited. */
  async callbackTranscript(actor: Who, id: number): Promise<Activity[]> {
    this.staffOnly(actor);
    const cb = await this.store.callbacks.get(id);
    if (!cb) throw new StaffError(404, 'not_found', errorMessage('callback_not_found'));
    const activities = await this.transcripts.getAllActivities(cb.channel, cb.conversationId);
    await this.audit.record(actor, {
      action: 'transcript.read',
      references: cb.complaintReference ? [cb.complaintReference] : [],
      detail: { callback: id, activities: activities.length },
    });
    return activities;
  }

  async markCallbackDone(actor: Who, id: number, note?: string): Promise<void> {
    await this.callbackOutcome(actor, id, { outcome: 'reached', note });
  }

  /**
   * The outcome of a call-back attempt: reached (done), not reached (stays open, one more attempt), or
   * rescheduled (a new date and part of day). On the complaint's timeline when it has one.
   */
  async callbackOutcome(
    actor: Who,
    id: number,
    o: { outcome: CallbackOutcome; note?: string; date?: string; partOfDay?: 'morning' | 'afternoon' },
  ): Promise<void> {
    this.staffOnly(actor);
    if (o.outcome === 'rescheduled' && (!o.date || !o.partOfDay)) throw new StaffError(400, 'reschedule_needs_date');
    await this.store.transaction(async (tx) => {
      const cb = await this.store.callbacks.lockForHandling(id, tx);
      if (!cb) throw new StaffError(404, 'not_found', errorMessage('callback_not_found'));
      if (cb.status === 'done') throw new StaffError(409, 'already_done');
      const at = this.clock().toISOString();
      await this.store.handling.recordCallbackAttempt(
        { callbackId: id, at, actor: actor.id, outcome: o.outcome, note: o.note ?? null, date: o.date, partOfDay: o.partOfDay },
        tx,
      );
      if (o.outcome === 'reached') await this.store.callbacks.markDone(id, actor.id, at, o.note ?? null, tx);
      if (cb.complaintReference) {
        const c = await this.store.handling.get(cb.complaintReference, tx);
        if (c) {
          await this.store.handling.apply(
            {
              id: c.id,
              expectedVersion: c.version,
              at,
              actor: actor.id,
              event: { kind: 'callback', note: o.note ?? '', data: { callbackId: id, outcome: o.outcome, date: o.date ?? null, partOfDay: o.partOfDay ?? null } },
            },
            tx,
          );
        }
      }
      await this.audit.record(
        actor,
        {
          action: o.outcome === 'reached' ? 'callback.done' : 'callback.attempt',
          references: cb.complaintReference ? [cb.complaintReference] : [],
          detail: { callback: id, outcome: o.outcome },
        },
        tx,
      );
    });
  }

  // -------------------------------------------------------------------------------------------
  // Lists for the page

  meta(): Record<string, unknown> {
    const labelled = (prefix: string, codes: readonly string[]) => codes.map((code) => ({ code, label: t(`${prefix}.${code}`) }));
    return {
      statuses: labelled('reports.status', STATUSES),
      outcomes: labelled('reports.outcome', OUTCOMES),
      outcomeGrounds: labelled('staffApi.outcomeGround', OUTCOME_GROUNDS_LIST),
      categories: labelled('staffApi.category', this.lists.categories),
      departments: this.lists.departments.map((name) => ({ code: name, label: name })),
      channels: labelled('reports.channel', ['chat', 'phone', 'letter', 'email', 'counter']),
      letterKinds: labelled('staffApi.letterKind', ['receipt', 'extension', 'hearing', 'decision']),
      callbackOutcomes: labelled('staffApi.callbackOutcome', ['reached', 'not_reached', 'rescheduled']),
      transitions: TRANSITIONS,
    };
  }
}

function statusLabel(s: Status): string {
  return t(`reports.status.${s}`);
}

/** A reference in a query: 'KL-2026-ABC234', or just its code when it looks like one (then searched as a word). */
function referenceOf(text: string): string | undefined {
  const up = text.trim().toUpperCase();
  return isReference(up) ? up : undefined;
}

/** The first working day after today (for call-backs rescheduled without a date in the CLI). */
export function nextWorkingDay(now: Date): string {
  return addWorkingDays(toAmsterdamDate(now), 1);
}
