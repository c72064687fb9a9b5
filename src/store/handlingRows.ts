/**
 * Row mapping of the handling module (issue 14), shared by both backends (no SQL): list rows with their
 * handling, the handling state, timeline events, document metadata and call-back attempts.
 */
import type { Status } from '../domain/complaint';
import type {
  CallbackOutcome,
  DocumentMeta,
  HandlingState,
  HandlingSummaryRow,
  IntakeChannel,
  TimelineKind,
  TimelineRow,
} from './types';

/** The list's columns with handling (c = complaints, h = complaint_handling). */
export const HANDLING_SUMMARY_COLUMNS = `c.id, c.reference, c.status, c.route, c.locale, c.channel, c.name, substr(c.story, 1, 160) AS excerpt,
  c.created_at, c.updated_at, h.extended_at, h.resolved_at, c.version, c.assignee, c.department, c.handler, c.category, c.outcome,
  c.intake_channel, c.received_at`;

/** The handling state's columns (c = complaints, h = complaint_handling). */
export const HANDLING_STATE_COLUMNS = `c.id, c.reference, c.status, c.channel, c.conversation_id, c.callback_id, c.created_at, c.updated_at,
  h.extended_at, h.resolved_at, c.version, c.assignee, c.department, c.handler, c.category, c.outcome, c.outcome_ground,
  c.intake_channel, c.received_at`;

type R = Record<string, unknown>;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toHandlingSummary(r: R): HandlingSummaryRow {
  return {
    id: Number(r.id),
    reference: String(r.reference),
    status: r.status as Status,
    route: String(r.route),
    locale: String(r.locale),
    channel: String(r.channel),
    name: String(r.name),
    excerpt: String(r.excerpt),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    extendedAt: str(r.extended_at),
    resolvedAt: str(r.resolved_at),
    version: Number(r.version),
    assignee: str(r.assignee),
    department: str(r.department),
    handler: str(r.handler),
    category: str(r.category),
    outcome: str(r.outcome),
    intakeChannel: String(r.intake_channel),
    receivedAt: String(r.received_at ?? r.created_at),
  };
}

export function toHandlingState(r: R): HandlingState {
  return {
    id: Number(r.id),
    reference: String(r.reference),
    status: r.status as Status,
    channelId: String(r.channel),
    conversationId: String(r.conversation_id),
    callbackId: r.callback_id === null || r.callback_id === undefined ? null : Number(r.callback_id),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    extendedAt: str(r.extended_at),
    resolvedAt: str(r.resolved_at),
    version: Number(r.version),
    assignee: str(r.assignee),
    department: str(r.department),
    handler: str(r.handler),
    category: str(r.category),
    outcome: str(r.outcome),
    outcomeGround: str(r.outcome_ground),
    intakeChannel: String(r.intake_channel) as IntakeChannel,
    receivedAt: String(r.received_at ?? r.created_at),
  };
}

export function toTimeline(r: R): TimelineRow {
  return {
    id: Number(r.id),
    at: String(r.at),
    actor: String(r.actor),
    kind: r.kind as TimelineKind,
    from: (str(r.from_status) as Status | null) ?? null,
    to: (str(r.to_status) as Status | null) ?? null,
    note: String(r.note ?? ''),
    data: r.data === null || r.data === undefined ? null : (JSON.parse(String(r.data)) as Record<string, unknown>),
  };
}

export const DOCUMENT_COLUMNS = 'id, complaint_id, filename, content_type, size, sha256, description, created_by, created_at';

export function toDocumentMeta(r: R): DocumentMeta {
  return {
    id: Number(r.id),
    complaintId: Number(r.complaint_id),
    filename: String(r.filename),
    contentType: String(r.content_type),
    size: Number(r.size),
    sha256: String(r.sha256),
    description: str(r.description),
    createdBy: String(r.created_by),
    createdAt: String(r.created_at),
  };
}

/** handling columns as set by a change: [column, value] pairs */
export function handlingAssignments(set: Partial<Record<'assignee' | 'department' | 'handler' | 'category' | 'outcome' | 'outcomeGround', string | null>>): [string, string | null][] {
  const columns: Record<string, string> = {
    assignee: 'assignee',
    department: 'department',
    handler: 'handler',
    category: 'category',
    outcome: 'outcome',
    outcomeGround: 'outcome_ground',
  };
  return Object.entries(set)
    .filter(([k, v]) => k in columns && v !== undefined)
    .map(([k, v]) => [columns[k], v as string | null]);
}

export function toAttempt(r: R): { callbackId: number; outcome: CallbackOutcome; note: string | null; at: string; actor: string } {
  return { callbackId: Number(r.callback_id), outcome: r.outcome as CallbackOutcome, note: str(r.note), at: String(r.at), actor: String(r.actor) };
}
