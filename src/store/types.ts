/**
 * The store layer's contract: one small interface per aggregate, the Transaction object, the retention
 * registry, cross-instance coordination, and the Store that bundles them. Modules above src/store use
 * these interfaces only; all SQL lives in src/store/sqlite and src/store/postgres, which implement them.
 * test/store/contract/*.test.ts runs every repository against both backends.
 *
 * Conventions for every repository:
 * - The last parameter of a method is an optional `tx`. With a tx the statement runs inside that
 *   transaction (and sees its uncommitted writes); without one the call is atomic on its own
 *   (autocommit, or an internal transaction when it needs several statements).
 * - Instants are ISO 8601 strings in UTC with milliseconds (`new Date().toISOString()`), compared as
 *   text; days are `YYYY-MM-DD`. Direct Line times are epoch milliseconds (numbers), as today.
 * - Ids are JavaScript numbers (safe integers). PostgreSQL returns BIGINT as text: convert.
 * - A row that is not there is `undefined`, never an error; a conflict the caller must handle is a
 *   typed error from this file (EtagConflictError), never matched on error text above the store.
 * - No method returns backend rows: only the shapes declared here or domain types.
 */
import type {
  CallbackRequest,
  Complaint,
  ComplaintInput,
  Origin,
  Status,
  StoredCallback,
} from '../domain/complaint';
import type { Coordination } from './coordination';
import type { Delivery, DeliveryStatus, DeliverySubject, DeliveryTarget } from '../delivery/types';

// ---------------------------------------------------------------------------------------------
// Transactions

export type Backend = 'sqlite' | 'postgres';

/**
 * An open transaction, handed to `fn` by `Store.transaction` and passed explicitly to every repository
 * call that takes part in it. Opaque above the store: each backend keeps its connection in it. It is
 * valid only until `fn`'s promise settles; using it afterwards throws. Nesting is not supported (do
 * not call `store.transaction` inside `fn`; pass the tx on instead).
 */
export interface Tx {
  readonly backend: Backend;
}

export interface TransactionOptions {
  /**
   * PostgreSQL only: retry `fn` (at most this many extra times) when the transaction fails with a
   * serialization failure or deadlock (SQLSTATE 40001/40P01). `fn` must then be safe to run again.
   * Default 0. SQLite serialises write transactions, so it never needs to retry.
   */
  retries?: number;
}

// ---------------------------------------------------------------------------------------------
// Errors

/** A conversation-state write whose eTag is stale (botbuilder's Storage contract). Nothing was written. */
export class EtagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'EtagConflictError';
  }
}

/** A Direct Line append whose (conversation, seq) is stored already (another instance wrote it). */
export class DuplicateActivityError extends Error {
  constructor() {
    super('a Direct Line activity with this sequence number is stored already');
    this.name = 'DuplicateActivityError';
  }
}

// ---------------------------------------------------------------------------------------------
// Shared shapes

/** A conversation as channels name it: botbuilder's activity.channelId + activity.conversation.id. */
export interface ConversationRef {
  channelId: string;
  conversationId: string;
}

/** A complaint as retention and staff handling name it. */
export interface ComplaintRef {
  id: number;
  reference: string;
}

// ---------------------------------------------------------------------------------------------
// Complaints

export interface FileComplaint {
  input: ComplaintInput;
  origin: Origin;
  /** one complaint per key: a repeated filing returns the first reference and stores nothing */
  idempotencyKey: string;
  /** the call-back request filed during the same intake (its details are shown with the complaint) */
  callbackId?: number;
}

export interface FileResult {
  reference: string;
  /** false when this idempotency key had been filed before: nothing new was stored. */
  created: boolean;
}

/**
 * Complaints as filed. `file` validates with the domain schemas, makes the reference (KL-YYYY-XXXXXX,
 * retried on the rare collision) and stores status 'received'. Reads return the domain `Complaint`,
 * including the linked call-back's details (`callback`), as src/domain/complaint.ts declares.
 * Columns follow the schema: incidentDate, incidentDateFrom/To (a period; a single day is stored as a
 * one-day period), incidentDateText, place/person (+kinds), solution, contact (name, phone nullable,
 * street, postcode nullable, city, country, email).
 */
export interface ComplaintRepository {
  file(req: FileComplaint, tx?: Tx): Promise<FileResult>;
  getByReference(reference: string, tx?: Tx): Promise<Complaint | undefined>;
  /** oldest first */
  listByConversation(conv: ConversationRef, tx?: Tx): Promise<Complaint[]>;
  count(tx?: Tx): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Call-backs

export interface FileCallback {
  request: CallbackRequest;
  origin: Origin;
  /** one call-back request per key */
  idempotencyKey: string;
}

export interface CallbackResult {
  id: number;
  /** TB-YYYY-XXXXXX, told to the citizen */
  reference: string;
}

/** A call-back request with how staff handled it. */
export type QueuedCallback = StoredCallback & { doneBy: string | null; doneAt: string | null };

export interface CallbackRepository {
  file(req: FileCallback, tx?: Tx): Promise<CallbackResult>;
  get(id: number, tx?: Tx): Promise<StoredCallback | undefined>;
  /** oldest first */
  listByConversation(conv: ConversationRef, tx?: Tx): Promise<StoredCallback[]>;
  /** records that the complaint with this reference was filed with the call-back request */
  linkComplaint(callbackId: number, complaintReference: string, tx?: Tx): Promise<void>;
  /**
   * The staff queue: status 'open' by preferred time ascending (date, morning before afternoon, id);
   * 'done' by date descending (then morning before afternoon, id). `limit` is clamped to 1..1000.
   */
  queue(status: 'open' | 'done', limit: number, tx?: Tx): Promise<QueuedCallback[]>;
  /**
   * The request, read to change it: inside the tx its row is locked until commit (PostgreSQL:
   * SELECT ... FOR UPDATE), so two officers cannot both mark it done. Undefined when there is none.
   */
  lockForHandling(id: number, tx: Tx): Promise<StoredCallback | undefined>;
  /** status 'done' plus who/when/note (replacing an earlier note). Does not check the old status: the caller does. */
  markDone(id: number, by: string, at: string, note: string | null, tx?: Tx): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Conversation state (what botbuilder's Storage holds; src/bot implements Storage over this)

export interface StateItem {
  key: string;
  /** opaque; changes on every write */
  eTag: string;
  /** the stored object (JSON), without eTag */
  data: Record<string, unknown>;
}

export interface StateChange {
  key: string;
  /** a JSON-serialisable object (without eTag) */
  data: Record<string, unknown>;
  /** missing or '*': overwrite; otherwise the write succeeds only while the stored eTag is this one */
  eTag?: string;
  /**
   * The conversation this item belongs to, stored in columns next to the key (retention finds a
   * conversation's state by these, never by parsing keys). Null for items of no conversation.
   */
  conversation: ConversationRef | null;
}

/**
 * botbuilder's Storage semantics (as MemoryStorage): a write whose eTag is missing or '*' overwrites;
 * a write with a stale eTag fails with EtagConflictError, and a batch with one conflict writes nothing.
 * A conditional write to a key that does not exist creates it.
 */
export interface ConversationStateRepository {
  read(keys: string[], tx?: Tx): Promise<StateItem[]>;
  write(changes: StateChange[], tx?: Tx): Promise<void>;
  delete(keys: string[], tx?: Tx): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Transcripts (what botbuilder's TranscriptStore holds; src/bot implements TranscriptStore over this)

export interface TranscriptEntry {
  channelId: string;
  conversationId: string;
  activityId: string | null;
  type: string;
  /** from.role: 'user' for what the citizen sent, 'bot' for the bot's own */
  role: string | null;
  /** the activity's timestamp (ISO) */
  timestamp: string;
  /** when it was logged (ISO); the conversation's first/last activity times follow this */
  loggedAt: string;
  /** the activity as JSON text; returned exactly as given */
  data: string;
}

export interface TranscriptPageQuery {
  /** entries with a sequence number above this one (0: from the start) */
  afterSeq: number;
  /** only activities whose timestamp is at or after this instant (ISO) */
  since?: string;
  limit: number;
}

export interface TranscriptInfoRow {
  conversationId: string;
  /** loggedAt of its first entry */
  createdAt: string;
}

/**
 * Every activity of every conversation, in the order appended. `seq` is assigned by the store, grows
 * with every append (over all conversations and instances), and is the order of a transcript.
 * The staff search index follows appended entries with role 'user' and type 'message' (the citizen's
 * words) for conversations with a complaint; the backend keeps it current (trigger or code).
 */
export interface TranscriptRepository {
  /** stores the entries atomically, in the given order */
  append(entries: TranscriptEntry[], tx?: Tx): Promise<void>;
  page(conv: ConversationRef, q: TranscriptPageQuery, tx?: Tx): Promise<{ seq: number; data: string }[]>;
  /** the whole transcript in order, as JSON texts */
  all(conv: ConversationRef, tx?: Tx): Promise<string[]>;
  /** conversations of a channel by first activity, then id; `after` is the last row of the page before */
  listConversations(
    channelId: string,
    q: { after?: { createdAt: string; conversationId: string }; limit: number },
    tx?: Tx,
  ): Promise<TranscriptInfoRow[]>;
  /** deletes the conversation's entries; returns how many */
  deleteConversation(conv: ConversationRef, tx?: Tx): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// De-duplication marks (src/bot/dedupe.ts decides; the store keeps the marks)

export interface ActivityMark {
  channelId: string;
  conversationId: string;
  activityId: string;
}

export type ClaimResult =
  /** the mark was new: it is now 'running' under the caller */
  | { state: 'claimed' }
  /** the turn was done before */
  | { state: 'done' }
  /** a turn for it is 'running' under `owner` (maybe a process that died: see Coordination.isAlive) */
  | { state: 'running'; owner: string | null };

export interface DedupeRepository {
  /** Takes the mark for `owner` if it is new, atomically across processes (created_at = `at`). */
  claim(mark: ActivityMark, owner: string, at: string, tx?: Tx): Promise<ClaimResult>;
  /**
   * Takes over a 'running' mark from `fromOwner` (whose process died), in one statement so that of two
   * contenders only one gets it; sets created_at = `at`. False when it is not running under `fromOwner`.
   */
  takeOver(mark: ActivityMark, fromOwner: string | null, owner: string, at: string, tx?: Tx): Promise<boolean>;
  /** running -> done, only while `owner` holds it */
  markDone(mark: ActivityMark, owner: string, tx?: Tx): Promise<void>;
  /** removes the mark, only while `owner` holds it (a failed turn may run again) */
  release(mark: ActivityMark, owner: string, tx?: Tx): Promise<void>;
  /** forgets marks created before `before` (ISO); returns how many */
  prune(before: string, tx?: Tx): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// The built-in Direct Line (src/directline)

export interface DirectLineConversation {
  id: string;
  userId: string;
  locale: string | null;
  /** epoch ms */
  createdAt: number;
  lastActiveAt: number;
  endedAt: number | null;
}

export interface DirectLineRepository {
  /** the token signing key: made once (first caller wins across instances) and kept */
  signingKey(): Promise<Buffer>;
  /** creates it; false when a conversation with this id exists already (ended or not) */
  createConversation(c: { id: string; userId: string; locale: string | null; now: number }, tx?: Tx): Promise<boolean>;
  getConversation(id: string, tx?: Tx): Promise<DirectLineConversation | undefined>;
  /**
   * Stores one activity (JSON text) under (conversationId, seq); resolves after it is committed.
   * Implementations may group appends of many conversations into one transaction (group commit).
   * Per conversation, rows commit in the order appended. A (conversationId, seq) that exists already
   * rejects that append only (DuplicateActivityError); the others of its group are stored.
   */
  append(conversationId: string, seq: number, json: string): Promise<void>;
  /** activities after `afterSeq`, oldest first */
  activitiesAfter(conversationId: string, afterSeq: number, limit: number, tx?: Tx): Promise<{ seq: number; json: string }[]>;
  /** the highest seq stored for the conversation (0 when none) */
  lastSeq(conversationId: string, tx?: Tx): Promise<number>;
  /** last_active_at = max(last_active_at, at) */
  touch(conversationId: string, at: number, tx?: Tx): Promise<void>;
  /**
   * Ends conversations idle since before `before` (at most 500 per call) except those `keep` names:
   * their activities are deleted and a tombstone stays (ended_at = now). Returns the ids ended.
   */
  endIdle(before: number, now: number, keep: (id: string) => boolean): Promise<string[]>;
  /** deletes tombstones ended before `before` (and any activities left for them); returns how many */
  purgeEnded(before: number): Promise<number>;
  counts(): Promise<{ conversations: number; ended: number; activities: number }>;
  /** resolves when every append so far is committed */
  drain(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Audit log

export const AUDIT_VIAS = ['oidc', 'token', 'cli', 'system'] as const;

export interface AuditRecordInput {
  at: string;
  actor: string;
  via: (typeof AUDIT_VIAS)[number];
  action: string;
  /** complaint references the entry is about (duplicates are stored once) */
  references: string[];
  /** JSON-serialisable; never complaint content */
  detail: Record<string, unknown>;
}

export interface AuditRow extends AuditRecordInput {
  id: number;
}

export interface AuditFilter {
  reference?: string;
  actor?: string;
  action?: string;
  /** entries with an id below this one */
  beforeId?: number;
  limit: number;
}

/** Append-only; it outlives the complaints it mentions (retention never purges it). */
export interface AuditRepository {
  /** returns the new entry's id (ids grow) */
  record(entry: AuditRecordInput, tx?: Tx): Promise<number>;
  /** newest first (id descending); `references` sorted */
  list(filter: AuditFilter, tx?: Tx): Promise<AuditRow[]>;
  count(filter?: { action?: string }, tx?: Tx): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Staff handling: list/search, status changes, extensions, history (src/staff/service.ts decides)

/**
 * Search semantics, the same on both backends (the contract suite checks it):
 * - The document of a complaint is its story plus everything the citizen typed in its conversation
 *   (transcript entries with role 'user' and type 'message', field `text`), kept current when the
 *   complaint is filed or deleted and when the citizen says more afterwards.
 * - Text is split into words by `searchTokens` (src/store/search.ts): maximal runs of Unicode letters
 *   and digits after NFKC; compared case-insensitively and without diacritics ('Café' = 'cafe').
 * - The document also holds the complaint's contact keys as single words (handling module): the
 *   phone number as E.164 digits ('31687654321'), the postcode without space ('1185xe') and the
 *   reference's code ('7qk4mx'). `searchQueryWords` makes a phone number in any form, a postcode with a
 *   space and a reference with its 'KL-2026-' or '2026-' prefix into those words.
 * - A query is at most 12 such words; a complaint matches when EVERY query word occurs in its
 *   document: each as a WHOLE word, except the LAST, which also matches as a prefix ('wacht' finds
 *   'wachten'; 'wacht balie' does not find 'wachten aan de balie' by 'wacht'). No stemming ('klacht de'
 *   does not find 'klachten'), no stop words (every word counts, 'de' too), no operators.
 * SQLite: FTS5 `"word"*` for the last word; PostgreSQL: `'word':*`.
 * - Results newest first by complaint id.
 * SQLite: FTS5 unicode61 remove_diacritics 2. PostgreSQL: tsvector over the same words (for instance
 * `to_tsvector('simple', <searchTokens joined by spaces>)`, or language configurations whose
 * dictionaries neither stem nor drop words), GIN index.
 */
export interface ComplaintListFilter {
  status?: Status;
  route?: string;
  /** created_at >= this instant */
  createdFrom?: string;
  /** created_at < this instant */
  createdBefore?: string;
  /**
   * Overdue today (or, with `overdue: false`, not): not resolved and (status 'received' and received
   * (received_at) before `contact`, or not extended and received before `decide`, or extended and
   * received before `decideExtended`). With cut-offs of another day: "a deadline before that day".
   */
  overdue?: { overdue: boolean; contact: string; decide: string; decideExtended: string };
  /** exactly this reference (the other filters still apply) */
  reference?: string;
  /** handling (issue 14): exactly this assignee / department / handler / intake channel; `open`: not resolved */
  assignee?: string;
  department?: string;
  handler?: string;
  intakeChannel?: string;
  open?: boolean;
  /** search words (1..12, from searchTokens); see the search semantics above */
  search?: string[];
  /**
   * Paging: rows after this one in the order. The order is created_at desc, id desc; with `search`
   * it is id desc (only `after.id` counts then).
   */
  after?: { createdAt: string; id: number };
  limit: number;
}

export interface ComplaintSummaryRow {
  id: number;
  reference: string;
  status: Status;
  route: string;
  locale: string;
  channel: string;
  name: string;
  /** the first 160 characters of the story */
  excerpt: string;
  createdAt: string;
  updatedAt: string;
  extendedAt: string | null;
  resolvedAt: string | null;
}

/** A row of the staff list with its handling (issue 14). */
export interface HandlingSummaryRow extends ComplaintSummaryRow {
  version: number;
  assignee: string | null;
  department: string | null;
  handler: string | null;
  category: string | null;
  outcome: string | null;
  intakeChannel: string;
  receivedAt: string;
}

export interface HandlingRow extends ComplaintRef, ConversationRef {
  status: Status;
  callbackId: number | null;
  createdAt: string;
  extendedAt: string | null;
  resolvedAt: string | null;
}

export interface HistoryRow {
  at: string;
  actor: string;
  kind: 'status' | 'extension';
  from: Status | null;
  to: Status | null;
  note: string;
}

export interface StaffRepository {
  list(filter: ComplaintListFilter, tx?: Tx): Promise<HandlingSummaryRow[]>;
  /**
   * The complaint's handling state. Inside a tx the complaint row is locked until commit (PostgreSQL:
   * SELECT ... FOR UPDATE), so concurrent status changes are serialised.
   */
  getHandling(reference: string, tx?: Tx): Promise<HandlingRow | undefined>;
  /** status history, oldest first */
  history(complaintId: number, tx?: Tx): Promise<HistoryRow[]>;
  /** sets the status and updated_at; adds the history event; sets resolved_at when `to` is 'resolved' */
  changeStatus(
    c: { id: number; from: Status; to: Status; actor: string; note: string; at: string },
    tx?: Tx,
  ): Promise<void>;
  /** sets extended_at and updated_at; adds an 'extension' history event */
  extend(c: { id: number; actor: string; note: string; at: string }, tx?: Tx): Promise<void>;
  /** how many complaints match (search, paging and limit ignored) */
  count(filter: Omit<ComplaintListFilter, 'limit' | 'after' | 'search'>, tx?: Tx): Promise<number>;
  /**
   * Open complaints in order of received_at ascending (oldest first), in one of three groups whose next
   * deadline grows with received_at: 'received' (status received), 'decide' (informal/formal, not
   * extended), 'extended' (informal/formal, extended). The service merges them into "due soon".
   */
  dueSoon(group: 'received' | 'decide' | 'extended', filter: Omit<ComplaintListFilter, 'after' | 'search'>, tx?: Tx): Promise<HandlingSummaryRow[]>;
  /** resolved complaints with resolved_at before `cutoff`, oldest resolution first */
  resolvedBefore(cutoff: string, tx?: Tx): Promise<(HandlingRow & { resolvedAt: string })[]>;
}

// ---------------------------------------------------------------------------------------------
// Handling (issue 14): version, assignment, outcome, intake, timeline, documents, call-back attempts

/**
 * Where it lives (migration module 'handling', both backends; reports read these columns directly):
 * - table `complaints`, columns `version` (INTEGER, 1 at filing, +1 on every change: the API's ETag),
 *   `assignee` (officer id or NULL), `department` (name from the municipality file or NULL), `handler`
 *   (klachtbehandelaar id or NULL), `category` (code from the municipality file or NULL), `outcome`
 *   (HANDLING_OUTCOMES in src/domain/handling.ts, set when resolved, NULL when reopened), `outcome_ground`
 *   (Awb 9:8 code when outcome is 'niet_in_behandeling'), `intake_channel` ('chat' for bot-filed,
 *   'phone' | 'letter' | 'email' | 'counter' for manual entry) and `received_at` (ISO instant the terms
 *   count from; equals created_at unless entered by hand with another date; never NULL).
 * - table `complaint_events` (the timeline; `history()` keeps returning only status/extension): id, complaint_id,
 *   kind (TIMELINE_KINDS), from_status, to_status, actor, note, at, data (JSON text or NULL).
 * - table `complaint_documents`: id, complaint_id, filename, content_type, size, sha256, description,
 *   created_by, created_at, content (bytes).
 * - table `callback_attempts`: id, callback_id, at, actor, outcome ('reached' | 'not_reached' |
 *   'rescheduled'), note, date, part_of_day (the new slot when rescheduled; callbacks.date/part_of_day
 *   are moved to it).
 * Resolved: complaint_handling.resolved_at, as before (cleared on reopen).
 */
export const TIMELINE_KINDS = ['status', 'extension', 'note', 'document', 'assignment', 'outcome', 'reopen', 'letter', 'callback'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const INTAKE_CHANNELS = ['chat', 'phone', 'letter', 'email', 'counter'] as const;
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number];

export const CALLBACK_OUTCOMES = ['reached', 'not_reached', 'rescheduled'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

/** The fields staff set on a complaint (null clears). */
export interface HandlingFields {
  assignee: string | null;
  department: string | null;
  handler: string | null;
  category: string | null;
  outcome: string | null;
  outcomeGround: string | null;
}

export interface HandlingState extends HandlingRow, HandlingFields {
  version: number;
  intakeChannel: IntakeChannel;
  receivedAt: string;
  updatedAt: string;
}

export interface TimelineRow {
  id: number;
  at: string;
  actor: string;
  kind: TimelineKind;
  from: Status | null;
  to: Status | null;
  note: string;
  data: Record<string, unknown> | null;
}

export interface TimelineEventInput {
  kind: TimelineKind;
  from?: Status | null;
  to?: Status | null;
  note?: string;
  data?: Record<string, unknown> | null;
}

/**
 * One change of a complaint, applied only when its version is still `expectedVersion`: sets the given
 * fields (and status: resolved sets complaint_handling.resolved_at, leaving resolved clears it), adds the
 * timeline event, sets updated_at = `at` and version = version + 1.
 */
export interface HandlingChange {
  id: number;
  expectedVersion: number;
  at: string;
  actor: string;
  status?: Status;
  set?: Partial<HandlingFields>;
  /** the timeline event of the change (absent: the caller wrote its own, e.g. StaffRepository.extend) */
  event?: TimelineEventInput;
}

export interface DocumentMeta {
  id: number;
  complaintId: number;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  description: string | null;
  createdBy: string;
  createdAt: string;
}

export interface CallbackAttemptSummary {
  callbackId: number;
  attempts: number;
  lastOutcome: CallbackOutcome | null;
  lastNote: string | null;
  lastAt: string | null;
  lastBy: string | null;
  /** the note given when it was marked done (callback_handling.note) */
  doneNote: string | null;
}

export interface HandlingRepository {
  /** The handling state; inside a tx the complaint row is locked until commit (PostgreSQL FOR UPDATE). */
  get(reference: string, tx?: Tx): Promise<HandlingState | undefined>;
  /** Applies the change; returns the new version, or undefined when the version was stale (nothing written). */
  apply(change: HandlingChange, tx?: Tx): Promise<number | undefined>;
  /** the whole timeline (status and extension events included), oldest first */
  timeline(complaintId: number, tx?: Tx): Promise<TimelineRow[]>;
  /** intake of a complaint entered by hand (right after filing, in the same tx) */
  setIntake(id: number, intake: { channel: IntakeChannel; receivedAt: string }, tx?: Tx): Promise<void>;
  addDocument(
    doc: { complaintId: number; filename: string; contentType: string; description: string | null; content: Buffer; createdBy: string; at: string },
    tx?: Tx,
  ): Promise<DocumentMeta>;
  /** metadata only, oldest first */
  documents(complaintId: number, tx?: Tx): Promise<DocumentMeta[]>;
  document(complaintId: number, id: number, tx?: Tx): Promise<(DocumentMeta & { content: Buffer }) | undefined>;
  /** records an attempt; 'rescheduled' also moves callbacks.date/part_of_day to the new slot */
  recordCallbackAttempt(
    a: { callbackId: number; at: string; actor: string; outcome: CallbackOutcome; note: string | null; date?: string; partOfDay?: string },
    tx?: Tx,
  ): Promise<void>;
  /** per call-back id asked: attempts so far and the last one (ids without attempts: attempts 0) */
  callbackAttempts(callbackIds: number[], tx?: Tx): Promise<Map<number, CallbackAttemptSummary>>;
}

// ---------------------------------------------------------------------------------------------
// Retention registry

/**
 * What one repository holds about conversations and complaints, and how it forgets it. Every
 * repository that holds such data registers one participant; src/staff/retention.ts decides WHEN
 * (the policy) and asks every participant, never reading another module's tables or keys.
 * Purges always run inside the tx given (one per complaint or conversation).
 */
export interface RetentionParticipant {
  /** for reports and logs: 'complaints', 'callbacks', 'conversationState', 'transcripts', 'dedupe', 'staff' */
  readonly name: string;
  /**
   * Conversations of which it holds something created or last touched before `cutoff` (candidates;
   * whether they go is decided with `anchors` and `activeSince` of every participant).
   */
  staleConversations(cutoff: string, tx?: Tx): Promise<ConversationRef[]>;
  /** it holds something that keeps the conversation as long as that lives (a complaint, a call-back linked to one) */
  anchors(conv: ConversationRef, tx?: Tx): Promise<boolean>;
  /** it holds something about the conversation created or touched at or after `cutoff` */
  activeSince(conv: ConversationRef, cutoff: string, tx?: Tx): Promise<boolean>;
  /** deletes what it holds about the conversation that is not anchored to a complaint; returns how many items */
  purgeConversation(conv: ConversationRef, tx: Tx): Promise<number>;
  /** deletes what it holds about this complaint; returns how many items */
  purgeComplaint(complaint: ComplaintRef, tx: Tx): Promise<number>;
  /**
   * Items past their period on their own, not through a conversation or complaint (call-back requests
   * filed without a complaint, before `cutoff`, in a conversation without complaint). Optional.
   */
  countLoose?(cutoff: string, tx?: Tx): Promise<number>;
  purgeLoose?(cutoff: string, tx: Tx): Promise<number>;
}

/**
 * The participants, asked in registration order, except that 'complaints' is always asked last (so the
 * others can still read the complaint they purge for, inside the same transaction). openStore registers
 * transcripts, conversationState, dedupe, callbacks, staff and complaints; a later module (the outbox,
 * say) registers its own participant when it starts, and is asked before complaints.
 */
export interface RetentionRegistry {
  /** throws when a participant of that name is registered already */
  register(participant: RetentionParticipant): void;
  participants(): readonly RetentionParticipant[];
}

// ---------------------------------------------------------------------------------------------
// Outbox (issue 13): deliveries of complaints, call-backs, letters and the daily digest

/** A delivery to store: one row per (subject, target). */
export interface EnqueueDelivery {
  subject: DeliverySubject;
  target: DeliveryTarget;
  /** first due (default: now, by the store's clock) */
  dueAt?: string;
}

export interface ClaimRequest {
  /** the worker's id (unique per worker and process start) */
  owner: string;
  /** the worker's clock */
  now: string;
  /** how long the claim is the owner's alone: after it a crashed worker's row is due again */
  leaseMs: number;
  /** at most this many rows */
  limit: number;
  /** only rows of these targets (the plugins this worker has) */
  targets: readonly DeliveryTarget[];
}

/**
 * The outbox: rows written in the filing transaction, sent by the worker (src/delivery/worker.ts).
 * - Status: pending (due at nextAttemptAt) -> sending (claimed under a lease) -> sent | pending (retry)
 *   | failed. A 'sending' row whose lease has run out is due again (the worker that claimed it died).
 * - `claim` takes due rows for one owner so that of several workers and instances only one gets a row:
 *   PostgreSQL `FOR UPDATE SKIP LOCKED`, SQLite one conditional UPDATE. It counts the attempt.
 * - The writes of a claimed row (`saveState`, `markSent`, `markRetry`, `markFailed`) succeed only while
 *   `owner` holds it (status 'sending', same owner): they return false when the lease was lost.
 * - `state` is merged shallowly (top-level keys of the saved object replace the stored ones).
 * - Lists are newest first (id descending).
 */
export interface OutboxRepository {
  /** Stores the rows that are not there yet (same subject and target: kept as it is); returns every asked row. */
  enqueue(rows: EnqueueDelivery[], tx?: Tx): Promise<Delivery[]>;
  get(id: number, tx?: Tx): Promise<Delivery | undefined>;
  claim(req: ClaimRequest, tx?: Tx): Promise<Delivery[]>;
  saveState(id: number, owner: string, state: Record<string, unknown>, at: string, tx?: Tx): Promise<boolean>;
  markSent(id: number, owner: string, at: string, tx?: Tx): Promise<boolean>;
  /** back to pending, due at `nextAttemptAt`, with the error (no personal data) */
  markRetry(id: number, owner: string, nextAttemptAt: string, error: string, at: string, tx?: Tx): Promise<boolean>;
  markFailed(id: number, owner: string, error: string, at: string, tx?: Tx): Promise<boolean>;
  /**
   * Rows of targets not in `enabled`: pending ones get `error` as last error (they stay pending); a
   * 'sending' one whose lease ran out becomes pending (due at `at`) with that error. Returns how many changed.
   */
  flagDisabled(enabled: readonly DeliveryTarget[], error: string, at: string, tx?: Tx): Promise<number>;
  /** rows of these subjects (any kind), newest first */
  listBySubjects(subjects: DeliverySubject[], tx?: Tx): Promise<Delivery[]>;
  /** rows whose subject carries this reference (a complaint's own rows and its letters' rows), newest first */
  listByReference(reference: string, tx?: Tx): Promise<Delivery[]>;
  listByStatus(status: DeliveryStatus, limit: number, tx?: Tx): Promise<Delivery[]>;
  /**
   * A failed or pending row becomes pending, due at `at`, with a new retry window from `at`
   * (retryFrom). A sent or sending row is returned unchanged; undefined when there is none.
   */
  retry(id: number, at: string, tx?: Tx): Promise<Delivery | undefined>;
  /** failed rows that failed at or after `since`, oldest first (digest rows excluded) */
  failedSince(since: string, tx?: Tx): Promise<Delivery[]>;
  counts(tx?: Tx): Promise<Record<DeliveryStatus, number>>;
  /** the earliest time a row of these targets is due (pending: nextAttemptAt; sending: lease end); undefined: none */
  nextDue(targets: readonly DeliveryTarget[], tx?: Tx): Promise<string | undefined>;
}

// ---------------------------------------------------------------------------------------------
// Referrals: how often the bot sent a citizen to another procedure (for the annual report, Awb 9:12a)

/** One referral as counted: the Amsterdam day, the route (objection, report, damage, care, ...), locale, channel. */
export interface ReferralKey {
  day: string;
  route: string;
  locale: string;
  channel: string;
}

/**
 * Counters, one row per (day, route, locale, channel) with how many referrals the bot gave. No
 * conversation id, no text, nothing about the citizen: anonymous aggregates. Retention: kept (they are
 * what the yearly report is made of and hold no personal data); they are not a retention participant.
 */
export interface ReferralRepository {
  /** adds one to the counter of this key (creating it at 1) */
  record(key: ReferralKey, tx?: Tx): Promise<void>;
  /** the counters of days `fromDay`..`toDay` (inclusive), by day, route, locale, channel */
  list(fromDay: string, toDay: string, tx?: Tx): Promise<(ReferralKey & { count: number })[]>;
  /** totals per route for days `fromDay`..`toDay` (inclusive), by route */
  countByRoute(fromDay: string, toDay: string, tx?: Tx): Promise<{ key: string; count: number }[]>;
}

// ---------------------------------------------------------------------------------------------
// Reports (src/staff/reports: the annual report, Awb 9:12a)

/** Complaints received in [from, before) (ISO instants, compared with complaints.received_at). */
export interface ReportPeriod {
  from: string;
  before: string;
}

/** A count per value of one column; `key` null counts the complaints without a value. Sorted by key (null last). */
export interface KeyCount {
  key: string | null;
  count: number;
}

/** Aggregates of the complaints received in a period, each one GROUP BY in SQL; identical on both backends. */
export interface ReportAggregates {
  total: number;
  byCategory: KeyCount[];
  byDepartment: KeyCount[];
  /** the intake channel (phone, letter, email, counter) or, for complaints filed in a chat, the bot's channel id */
  byChannel: KeyCount[];
  byOutcome: KeyCount[];
  byStatus: KeyCount[];
  byRoute: KeyCount[];
  /** 'formal' (formal now or ever), 'informal' (informal now or ever, never formal), null (not taken into handling yet) */
  byHandling: KeyCount[];
}

/** A closed complaint as the term and time-to-close figures need it (no content). */
export interface ClosedComplaintRow {
  receivedAt: string;
  resolvedAt: string;
  extended: boolean;
}

export interface ReportRepository {
  aggregates(period: ReportPeriod, tx?: Tx): Promise<ReportAggregates>;
  /** the complaints received in the period that are resolved, by receivedAt then resolvedAt */
  closed(period: ReportPeriod, tx?: Tx): Promise<ClosedComplaintRow[]>;
}

// ---------------------------------------------------------------------------------------------
// Letters (Awb 9:6 receipt, 9:11 extension, 9:10 hearing, 9:12 decision), written by staff

export const LETTER_KINDS = ['receipt', 'extension', 'hearing', 'decision'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

export interface NewLetter {
  complaintId: number;
  kind: LetterKind;
  locale: string;
  /** the officer who made it (Actor.id) */
  createdBy: string;
  createdAt: string;
  /** what the letter was made with (hearingAt, newDate, extensionReason, ...): JSON, shown to staff */
  details: Record<string, unknown>;
  /** the e-mail address it is sent to (null: printed / not sent by e-mail) */
  sentTo: string | null;
  /** the rendered letter (tagged PDF), kept as sent */
  pdf: Buffer;
}

export interface LetterRow extends Omit<NewLetter, 'pdf'> {
  id: number;
  reference: string;
  /** size of the PDF in bytes */
  size: number;
}

/** Letters as stored; purged with their complaint (retention participant 'letters'). */
export interface LetterRepository {
  /** returns the new letter's id */
  add(letter: NewLetter, tx?: Tx): Promise<number>;
  get(id: number, tx?: Tx): Promise<LetterRow | undefined>;
  pdf(id: number, tx?: Tx): Promise<Buffer | undefined>;
  /** oldest first */
  listByComplaint(complaintId: number, tx?: Tx): Promise<LetterRow[]>;
}

// ---------------------------------------------------------------------------------------------
// Bulk loading (benchmarks: npm run bench:staff fills 100,000+ complaints)

/** A complaint as a benchmark makes it: stored as given (no validation, no idempotency check). */
export interface SeedComplaint {
  reference: string;
  idempotencyKey: string;
  status: Status;
  route: string;
  locale: string;
  channel: string;
  conversationId: string;
  story: string;
  incidentDateText: string;
  placeKind: string | null;
  place: string;
  personKind: string | null;
  person: string | null;
  name: string;
  phone: string | null;
  street: string;
  postcode: string | null;
  city: string;
  createdAt: string;
  /** set: resolved at this instant (complaint_handling) */
  resolvedAt: string | null;
  /** handling (issue 14, optional; the annual report reads them): category code, department, outcome, intake channel */
  category?: string | null;
  department?: string | null;
  outcome?: string | null;
  /** 'chat' (default) | 'phone' | 'letter' | 'email' | 'counter' */
  intakeChannel?: string;
  /** the handling it went through ('informal' | 'formal'): stored as a status event received -> it, at createdAt */
  handledAs?: 'informal' | 'formal' | null;
  /** set: the decision term was extended at this instant (complaint_handling) */
  extendedAt?: string | null;
  /** its conversation's activities, in order */
  transcript: TranscriptEntry[];
}

export interface BulkLoader {
  /** stores the complaints with their transcripts, in one transaction per call; fast, the search index may lag */
  load(complaints: SeedComplaint[]): Promise<void>;
  /** brings every derived structure up to date (transcript registry, search index, statistics) */
  finish(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The store

export interface Store {
  readonly backend: Backend;
  readonly complaints: ComplaintRepository;
  readonly callbacks: CallbackRepository;
  readonly conversationState: ConversationStateRepository;
  readonly transcripts: TranscriptRepository;
  readonly dedupe: DedupeRepository;
  readonly directLine: DirectLineRepository;
  readonly audit: AuditRepository;
  readonly staff: StaffRepository;
  /** the officer's workflow (issue 14): version, assignment, outcome, timeline, documents, call-back attempts */
  readonly handling: HandlingRepository;
  /** deliveries after filing (issue 13) */
  readonly outbox: OutboxRepository;
  /** complaints, callbacks, conversationState, transcripts, dedupe and staff are registered by openStore */
  readonly retention: RetentionRegistry;
  /**
   * Change feed and locks across instances (src/store/coordination.ts, helper P3): LocalCoordination
   * for SQLite, PgCoordination for PostgreSQL; made by openStore, closed by close().
   */
  readonly coordination: Coordination;
  /** bulk loading for benchmarks (optional: a benchmark may fill through the repositories instead) */
  readonly bulk?: BulkLoader;
  /** the bot's referrals to other procedures, counted (annual report) */
  readonly referrals: ReferralRepository;
  /** aggregates for the annual report (Awb 9:12a) */
  readonly reports: ReportRepository;
  /** letters written by staff; registered with retention as 'letters' by openStore */
  readonly letters: LetterRepository;
  /**
   * Runs `fn` in one transaction: committed when its promise resolves, rolled back when it rejects
   * (the rejection is passed on). SQLite: BEGIN IMMEDIATE, one at a time. PostgreSQL: READ COMMITTED
   * on one pooled connection; repositories lock the rows they read-to-write (documented per method).
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /** a cheap round trip for health checks; rejects when the store is unusable */
  ping(): Promise<void>;
  /** waits for queued writes (transcripts, Direct Line appends), then closes connections */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** for created_at/updated_at and references (tests pass a fixed clock) */
  clock?: () => Date;
  /** apply pending migrations at open (default true) */
  migrate?: boolean;
  /** PostgreSQL: pool size (default 10) */
  poolSize?: number;
  /** where the store reports problems it handles itself (no personal data) */
  log?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

/**
 * `openStore(databaseUrl, opts)` (src/store/index.ts): `sqlite:<file>` / `sqlite::memory:` (the default
 * DATABASE_URL is sqlite:./data/complaints.db) opens SQLite; `postgres://` or `postgresql://` opens
 * PostgreSQL (src/store/postgres). Migrations run at open unless `migrate: false`.
 */
export type OpenStore = (databaseUrl: string, opts?: OpenStoreOptions) => Promise<Store>;
