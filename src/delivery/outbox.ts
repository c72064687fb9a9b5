/**
 * The outbox row as both store backends keep it (no SQL, no I/O): how a subject is spelled in the
 * columns (subject_kind, subject_ref, subject_id, subject_key) and how a row becomes a `Delivery`.
 * src/store/sqlite/outbox.ts and src/store/postgres/outbox.ts use these, so both answer the same.
 */
import type { Delivery, DeliveryStatus, DeliverySubject, DeliveryTarget } from './types';

export interface SubjectColumns {
  kind: DeliverySubject['kind'];
  /** KL-/TB- reference, or the digest's day */
  ref: string;
  /** call-back id or letter id */
  id: number | null;
  /** unique per subject: with the target, the row's identity */
  key: string;
}

export function subjectColumns(s: DeliverySubject): SubjectColumns {
  switch (s.kind) {
    case 'complaint':
      return { kind: s.kind, ref: s.reference, id: null, key: `complaint:${s.reference}` };
    case 'callback':
      return { kind: s.kind, ref: s.reference, id: s.id, key: `callback:${s.id}` };
    case 'letter':
      return { kind: s.kind, ref: s.reference, id: s.letterId, key: `letter:${s.letterId}` };
    case 'digest':
      return { kind: s.kind, ref: s.day, id: null, key: `digest:${s.day}` };
  }
}

export function subjectOf(kind: string, ref: string, id: number | null): DeliverySubject {
  switch (kind) {
    case 'complaint':
      return { kind, reference: ref };
    case 'callback':
      return { kind, reference: ref, id: Number(id) };
    case 'letter':
      return { kind, reference: ref, letterId: Number(id) };
    case 'digest':
      return { kind, day: ref };
    default:
      throw new Error(`outbox: unknown subject kind ${kind}`);
  }
}

/** An outbox row as both backends select it (column aliases in SELECT_COLUMNS). */
export interface OutboxRow {
  id: number;
  subject_kind: string;
  subject_ref: string;
  subject_id: number | null;
  target: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  /** JSON text (SQLite) or an object (PostgreSQL jsonb) */
  state: string | Record<string, unknown> | null;
  retry_from: string;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export const SELECT_COLUMNS =
  'id, subject_kind, subject_ref, subject_id, target, status, attempts, next_attempt_at, last_error, state, retry_from, created_at, updated_at, sent_at';

export function toDelivery(r: OutboxRow): Delivery {
  const state = typeof r.state === 'string' ? (JSON.parse(r.state) as Record<string, unknown>) : (r.state ?? {});
  return {
    id: Number(r.id),
    subject: subjectOf(r.subject_kind, r.subject_ref, r.subject_id === null ? null : Number(r.subject_id)),
    target: r.target as DeliveryTarget,
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    lastError: r.last_error,
    state,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
    retryFrom: r.retry_from,
  };
}

export function zeroCounts(): Record<DeliveryStatus, number> {
  return { pending: 0, sending: 0, sent: 0, failed: 0 };
}

/** The error text stored for staff: one line, at most 500 characters. */
export function errorText(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 497)}...` : line || 'error';
}
