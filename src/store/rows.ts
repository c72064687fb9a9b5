/**
 * Shared by both backends (no SQL): references, and domain objects from rows whose columns carry the
 * names of the migrations (snake_case, the same in SQLite and PostgreSQL).
 */
import { randomInt } from 'crypto';
import { ComplaintSchema, StoredCallbackSchema, type Complaint, type Status, type StoredCallback } from '../domain/complaint';
import type { AuditRow, ComplaintSummaryRow, DirectLineConversation, HandlingRow, HistoryRow, QueuedCallback, StateChange, StateItem } from './types';

/** Reference alphabet without look-alikes (0/O, 1/I/L), so it can be read out on the phone. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** KL-2026-7QK4MX for a complaint; TB-2026-... (terugbellen) for a call-back request. */
export function newReference(now: Date = new Date(), prefix: 'KL' | 'TB' = 'KL'): string {
  let code = '';
  for (let i = 0; i < 6; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}-${now.getUTCFullYear()}-${code}`;
}

export type DbRow = Record<string, string | number | null>;

/** Columns of a complaint joined with its call-back as cb_name, cb_phone, cb_date, cb_part, cb_topic. */
export function rowToComplaint(row: DbRow): Complaint {
  return ComplaintSchema.parse({
    id: Number(row.id),
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

export function rowToCallback(row: DbRow): StoredCallback {
  return StoredCallbackSchema.parse({
    id: Number(row.id),
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

/** A row of the staff list (SUMMARY_COLUMNS of either backend's staff.ts). */
export interface SummaryDbRow {
  id: number;
  reference: string;
  status: Status;
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

export function toSummary(r: SummaryDbRow): ComplaintSummaryRow {
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    route: r.route,
    locale: r.locale,
    channel: r.channel,
    name: r.name,
    excerpt: r.excerpt,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    extendedAt: r.extended_at,
    resolvedAt: r.resolved_at,
  };
}

/** A complaint with its handling (HANDLING of either backend's staff.ts). */
export interface HandlingDbRow {
  id: number;
  reference: string;
  status: Status;
  channel: string;
  conversation_id: string;
  callback_id: number | null;
  created_at: string;
  extended_at: string | null;
  resolved_at: string | null;
}

export function toHandling(r: HandlingDbRow): HandlingRow {
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    channelId: r.channel,
    conversationId: r.conversation_id,
    callbackId: r.callback_id,
    createdAt: r.created_at,
    extendedAt: r.extended_at,
    resolvedAt: r.resolved_at,
  };
}

/** A row of complaint_events. */
export interface HistoryDbRow {
  at: string;
  actor: string;
  kind: HistoryRow['kind'];
  from_status: Status | null;
  to_status: Status | null;
  note: string;
}

export function toHistory(e: HistoryDbRow): HistoryRow {
  return { at: e.at, actor: e.actor, kind: e.kind, from: e.from_status, to: e.to_status, note: e.note };
}

/** A row of directline_conversations. */
export interface DirectLineConversationDbRow {
  id: string;
  user_id: string;
  locale: string | null;
  created_at: number;
  last_active_at: number;
  ended_at: number | null;
}

export function toDirectLineConversation(row: DirectLineConversationDbRow): DirectLineConversation {
  return {
    id: row.id,
    userId: row.user_id,
    locale: row.locale,
    createdAt: row.created_at,
    lastActiveAt: row.last_active_at,
    endedAt: row.ended_at,
  };
}

/** botbuilder's eTag rules: no eTag or '*' overwrites. */
export const unconditionalEtag = (e: unknown) => e === undefined || e === null || e === '*';

/** The values of a bot_state row for a change: key, data (JSON text), updated_at, channel_id, conversation_id. */
export function stateParams(c: StateChange, now: string): (string | null)[] {
  return [c.key, JSON.stringify(c.data), now, c.conversation?.channelId ?? null, c.conversation?.conversationId ?? null];
}

export function toStateItem(r: { key: string; etag: number; data: string }): StateItem {
  return { key: r.key, eTag: String(r.etag), data: JSON.parse(r.data) as Record<string, unknown> };
}

/** A call-back joined with its handling (done_by, done_at), as the staff queue shows it. */
export function rowToQueuedCallback(r: DbRow): QueuedCallback {
  return { ...rowToCallback(r), doneBy: (r.done_by as string | null) ?? null, doneAt: (r.done_at as string | null) ?? null };
}

/** An audit_log row with the references it is about (sorted as JavaScript sorts: code units). */
export function toAuditRow(r: { id: number; at: string; actor: string; via: string; action: string; detail: string }, references: string[]): AuditRow {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    via: r.via as AuditRow['via'],
    action: r.action,
    references: [...references].sort(),
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  };
}
