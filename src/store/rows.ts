/**
 * Shared by both backends (no SQL): references, and domain objects from rows whose columns carry the
 * names of the migrations (snake_case, the same in SQLite and PostgreSQL).
 */
import { randomInt } from 'crypto';
import { ComplaintSchema, StoredCallbackSchema, type Complaint, type StoredCallback } from '../domain/complaint';

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
