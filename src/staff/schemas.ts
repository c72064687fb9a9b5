/**
 * What the staff API and `npm run staff -- ... --json` return. Built on the one declaration of a
 * complaint (src/domain/complaint.ts) with `.pick`/`.extend`; nothing is declared twice. These shapes
 * are the stable, documented contract (src/staff/README.md); change them only additively.
 */
import { z } from 'zod';
import { ComplaintSchema, ContactFieldsSchema, IsoDate, STATUSES, StoredCallbackSchema } from '../domain/complaint';
import { ROUTES } from '../domain/routes';
import { AUDIT_VIAS } from '../store/types';

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

export const ComplaintDetailSchema = ComplaintSchema.extend({
  history: z.array(HistoryEventSchema),
  deadlines: DeadlinesSchema,
  resolvedAt: z.string().nullable(),
  /** the whole conversation in order, in and out */
  transcript: z.array(TranscriptActivitySchema),
});
export type ComplaintDetail = z.infer<typeof ComplaintDetailSchema>;

export const CallbackItemSchema = StoredCallbackSchema.extend({
  doneBy: z.string().nullable(),
  doneAt: z.string().nullable(),
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
});
export type ListQuery = z.input<typeof ListQuerySchema>;

export const StatusChangeSchema = z.object({
  status: z.enum(STATUSES),
  note: z.string().trim().min(1, 'required').max(2000),
});

export const ExtensionSchema = z.object({ note: z.string().trim().min(1, 'required').max(2000) });
export const CallbackDoneSchema = z.object({ note: z.string().trim().max(2000).optional() });
