/**
 * What the staff API and `npm run staff -- ... --json` return. Built on the one declaration of a
 * complaint (src/domain/complaint.ts) with `.pick`/`.extend`; nothing is declared twice. These shapes
 * are the stable, documented contract (src/staff/README.md); change them only additively.
 */
import { z } from 'zod';
import {
  CallbackSchema,
  ComplaintInputSchema,
  ComplaintSchema,
  ContactFieldsSchema,
  Fields,
  IsoDate,
  PARTS_OF_DAY,
  STATUSES,
  StoredCallbackSchema,
} from '../domain/complaint';
import { MANUAL_CHANNELS, OUTCOME_GROUNDS, OUTCOMES } from '../domain/handling';
import { LOCALES, ROUTES } from '../domain/routes';
import { AUDIT_VIAS, CALLBACK_OUTCOMES, INTAKE_CHANNELS, TIMELINE_KINDS } from '../store/types';

export const DeadlinesSchema = z.object({
  contactBy: IsoDate,
  decideBy: IsoDate,
  decideByExtended: IsoDate,
  decisionDue: IsoDate,
  extended: z.boolean(),
  contactOverdue: z.boolean(),
  decisionOverdue: z.boolean(),
  overdue: z.boolean(),
});

export const HISTORY_KINDS = ['status', 'extension'] as const;

export const HistoryEventSchema = z.object({
  at: z.string(),
  actor: z.string(),
  kind: z.enum(HISTORY_KINDS),
  from: z.enum(STATUSES).nullable(),
  to: z.enum(STATUSES).nullable(),
  note: z.string(),
});
export type HistoryEvent = z.infer<typeof HistoryEventSchema>;

/** One row of a list: enough to recognise the complaint, not the whole of it. */
export const ComplaintSummarySchema = ComplaintSchema.pick({
  reference: true,
  status: true,
  route: true,
  locale: true,
  channel: true,
  createdAt: true,
  updatedAt: true,
}).extend({
  contact: ContactFieldsSchema.pick({ name: true }),
  /** the first 160 characters of the story */
  excerpt: z.string(),
  deadlines: DeadlinesSchema,
  resolvedAt: z.string().nullable(),
  /** handling (issue 14) */
  version: z.number().int().positive(),
  assignee: z.string().nullable(),
  department: z.string().nullable(),
  handler: z.string().nullable(),
  category: z.string().nullable(),
  outcome: z.enum(OUTCOMES).nullable(),
  intakeChannel: z.enum(INTAKE_CHANNELS),
  receivedAt: z.string(),
  /** the next deadline (YYYY-MM-DD): contactBy while received, then the decision term; null when resolved */
  deadline: IsoDate.nullable(),
});
export type ComplaintSummary = z.infer<typeof ComplaintSummarySchema>;

export const ComplaintListSchema = z.object({
  items: z.array(ComplaintSummarySchema),
  /** pass as `cursor` for the next page; null on the last page */
  nextCursor: z.string().nullable(),
});
export type ComplaintList = z.infer<typeof ComplaintListSchema>;

/** An activity as stored and as the Emulator's .transcript holds it. */
export const TranscriptActivitySchema = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  timestamp: z.string(),
  channelId: z.string(),
  conversation: z.looseObject({ id: z.string() }),
  from: z.looseObject({ id: z.string(), role: z.string().optional() }).optional(),
  recipient: z.looseObject({ id: z.string(), role: z.string().optional() }).optional(),
  text: z.string().optional(),
});

export const TimelineEventSchema = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  kind: z.enum(TIMELINE_KINDS),
  from: z.enum(STATUSES).nullable(),
  to: z.enum(STATUSES).nullable(),
  note: z.string(),
  /**
   * per kind: status {outcome?, outcomeGround?, category?, department?} (the outcome is recorded with the
   * change to resolved), assignment {assignee?, department?, handler?, previous}, reopen {previousOutcome},
   * note {proposedOutcome?}, document {documentId, filename, contentType, size}, callback {callbackId,
   * outcome, date, partOfDay}, letter (letters module); null when there is nothing more
   */
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;

export const DocumentSchema = z.object({
  id: z.number().int().positive(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  description: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const ComplaintDetailSchema = ComplaintSchema.extend({
  history: z.array(HistoryEventSchema),
  deadlines: DeadlinesSchema,
  resolvedAt: z.string().nullable(),
  /** the whole conversation in order, in and out */
  transcript: z.array(TranscriptActivitySchema),
  /** handling (issue 14); `version` is also the ETag */
  version: z.number().int().positive(),
  assignee: z.string().nullable(),
  department: z.string().nullable(),
  handler: z.string().nullable(),
  category: z.string().nullable(),
  outcome: z.enum(OUTCOMES).nullable(),
  outcomeGround: z.enum(OUTCOME_GROUNDS).nullable(),
  intakeChannel: z.enum(INTAKE_CHANNELS),
  receivedAt: z.string(),
  timeline: z.array(TimelineEventSchema),
  documents: z.array(DocumentSchema),
});
export type ComplaintDetail = z.infer<typeof ComplaintDetailSchema>;

export const CallbackItemSchema = StoredCallbackSchema.extend({
  doneBy: z.string().nullable(),
  doneAt: z.string().nullable(),
  /** the note given when it was done (or of the last attempt) */
  note: z.string().nullable(),
  /** open and its preferred date and part of day have passed (Amsterdam) */
  missed: z.boolean(),
  attempts: z.number().int().nonnegative(),
  lastOutcome: z.enum(CALLBACK_OUTCOMES).nullable(),
  lastAttemptAt: z.string().nullable(),
});
export type CallbackItem = z.infer<typeof CallbackItemSchema>;

export { AUDIT_VIAS };

export const AuditEntrySchema = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  via: z.enum(AUDIT_VIAS),
  action: z.string(),
  references: z.array(z.string()),
  /** counts, filters, status changes: never complaint content */
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const PurgeReportSchema = z.object({
  dryRun: z.boolean(),
  /** complaints (with transcript and state) past retention */
  complaints: z.array(z.object({ reference: z.string(), resolvedAt: z.string() })),
  /** conversations that never became a complaint, idle past retention */
  conversations: z.number().int().nonnegative(),
  /** call-back requests without a complaint, from those conversations or older than the same period */
  callbacks: z.number().int().nonnegative(),
});
export type PurgeReport = z.infer<typeof PurgeReportSchema>;

/** Query of the list: what the API's query string and the CLI's options accept. */
export const ListQuerySchema = z.object({
  status: z.enum(STATUSES).optional(),
  route: z.enum(ROUTES).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  overdue: z.boolean().optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  /** an officer id, or 'me' */
  assignee: z.string().trim().min(1).max(200).optional(),
  department: z.string().trim().min(1).max(200).optional(),
  channel: z.enum(INTAKE_CHANNELS).optional(),
  /** 'deadline': open complaints by next deadline, soonest first (no paging) */
  sort: z.enum(['created', 'deadline']).default('created'),
  dueWithinDays: z.number().int().min(0).max(400).optional(),
});
export type ListQuery = z.input<typeof ListQuerySchema>;

const Note = z.string({ error: 'required' }).trim().min(1, 'required').max(2000, 'tooLong');
const Name = z.string().trim().min(1, 'required').max(200, 'tooLong');

export const StatusChangeSchema = z.strictObject({
  status: z.enum(STATUSES, { error: 'choice' }),
  note: Note,
  outcome: z.enum(OUTCOMES, { error: 'choice' }).optional(),
  outcomeGround: z.enum(OUTCOME_GROUNDS, { error: 'choice' }).optional(),
  category: Name.optional(),
  department: Name.optional(),
});

export const ReopenSchema = z.strictObject({ reason: Note });

export const AssignmentSchema = z
  .strictObject({ assignee: Name.nullable().optional(), department: Name.nullable().optional(), handler: Name.nullable().optional() })
  .refine((a) => a.assignee !== undefined || a.department !== undefined || a.handler !== undefined, { message: 'required', path: ['assignee'] });

export const NoteSchema = z.strictObject({
  text: z.string({ error: 'required' }).trim().min(1, 'required').max(5000, 'tooLong'),
  /** a handler's proposal for the outcome (the officer decides) */
  proposedOutcome: z.enum(OUTCOMES, { error: 'choice' }).optional(),
});

export const DocumentUploadSchema = z.strictObject({
  filename: z.string({ error: 'required' }).trim().min(1, 'required').max(200, 'tooLong').regex(/^[^/\\\u0000-\u001f]+$/, 'format'),
  contentType: z.string({ error: 'required' }).trim().min(1, 'required').max(200, 'tooLong'),
  description: z.string().trim().max(500, 'tooLong').optional(),
  dataBase64: z.string({ error: 'required' }).min(1, 'required'),
});

export const CallbackOutcomeSchema = z.strictObject({
  outcome: z.enum(CALLBACK_OUTCOMES, { error: 'choice' }),
  note: z.string().trim().max(2000, 'tooLong').optional(),
  date: IsoDate.optional(),
  partOfDay: z.enum(PARTS_OF_DAY, { error: 'choice' }).optional(),
});

/**
 * A complaint entered by hand (phone, letter, e-mail, counter): the complaint's own fields as GET returns
 * them (the one declaration in src/domain/complaint.ts, the same checks), with defaults for what may be
 * unknown, plus the channel and when it was received.
 */
export const ManualComplaintSchema = ComplaintInputSchema.extend({
  incidentDate: Fields.incidentDate.default(null),
  incidentDateText: Fields.incidentDateText.default(''),
  placeKind: Fields.placeKind.default(null),
  personKind: Fields.personKind.default(null),
  person: Fields.person.default(null),
  solution: Fields.solution.default(null),
  callback: CallbackSchema.nullable().default(null),
  channel: z.enum(MANUAL_CHANNELS, { error: 'choice' }),
  /** the citizen's language (letters and mails follow it) */
  locale: z.enum(LOCALES, { error: 'choice' }).default('nl'),
  receivedAt: z.iso.datetime({ offset: true, error: 'format' }).optional(),
});
export type ManualComplaint = z.infer<typeof ManualComplaintSchema>;

export const ExtensionSchema = z.strictObject({ note: Note });
export const CallbackDoneSchema = z.strictObject({ note: z.string().trim().max(2000, 'tooLong').optional() });
