/**
 * The delivery contract (issue 13): what happens to a complaint, call-back or letter after it is stored.
 *
 * The way it travels: filing stores the complaint AND one outbox row per delivery target in one store
 * transaction (src/store: OutboxRepository). A worker in the same process (src/delivery/worker.ts)
 * claims due rows, hands each to the plugin named by its `target`, and records the result: `sent`, or a
 * retry with back-off (every DELIVERY_RETRY_MINUTES for DELIVERY_RETRY_HOURS), then `failed`. Staff see
 * every row with its status and last error and can retry one.
 *
 * Plugins are small and idempotent, like Open Formulieren's registration backends
 * (open-formulieren/open-forms src/openforms/registrations/base.py): a plugin keeps what each step made
 * (a created zaak URL, a sent Message-ID) in `ctx.state` and saves it with `ctx.save` right after the
 * step, so a retry after a failure or a crash continues where it stopped instead of doing a step twice.
 *
 * This file imports no botbuilder and no SQL. Plugins read what they deliver through `DeliveryDeps`.
 */
import type { Complaint, StoredCallback } from '../domain/complaint';
import type { Municipality } from '../municipality';

/** What a delivery is about. `reference` is the complaint's KL-… or the call-back's TB-… reference. */
export type DeliverySubject =
  | { kind: 'complaint'; reference: string }
  | { kind: 'callback'; reference: string; id: number }
  /** a letter written by staff (issue 14); `letterId` is the stored letter's id */
  | { kind: 'letter'; reference: string; letterId: number }
  /** the daily summary of failed deliveries, one per day (`day` YYYY-MM-DD, Europe/Amsterdam) */
  | { kind: 'digest'; day: string };

export type DeliverySubjectKind = DeliverySubject['kind'];

/** Delivery targets: the plugin names. One outbox row per (subject, target). */
export const DELIVERY_TARGETS = [
  /** confirmation of receipt to the citizen (complaint with an e-mail address) */
  'mail.citizen',
  /** alert to the officers' mailbox (complaint or call-back) */
  'mail.officers',
  /** a letter to the citizen by e-mail (issue 14) */
  'mail.letter',
  /** the daily summary of failed deliveries to the officers' mailbox */
  'mail.digest',
  /** a zaak in the zaaksysteem (ZGW APIs: Zaken, Documenten, Catalogi) */
  'zgw',
  /** a klantcontact (complaint) or interne taak (call-back) in Klantinteracties (Open Klant 2) */
  'klantinteracties',
] as const;
export type DeliveryTarget = (typeof DELIVERY_TARGETS)[number];

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** An outbox row as staff and the worker see it. Instants are ISO strings (UTC). */
export interface Delivery {
  id: number;
  subject: DeliverySubject;
  target: DeliveryTarget;
  status: DeliveryStatus;
  /** attempts made so far */
  attempts: number;
  /** when it is due next (pending) */
  nextAttemptAt: string | null;
  /** the last error, without personal data (an HTTP status, an SMTP code, 'timeout') */
  lastError: string | null;
  /** what the plugin stored (created URLs, Message-ID); shown to staff as links where they are URLs */
  state: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  /** when it was sent (status 'sent') */
  sentAt: string | null;
  /**
   * Start of the retry window (DELIVERY_RETRY_HOURS from here, then 'failed'): when it was stored, or
   * when staff last retried it. Always set by the store.
   */
  retryFrom?: string;
}

/** What a plugin may read. Every read goes through the store; nothing here is cached across attempts. */
export interface DeliveryDeps {
  municipality: Municipality;
  /** the complaint as stored (undefined once retention purged it: the delivery is then dropped) */
  complaint(reference: string): Promise<Complaint | undefined>;
  /** the call-back request as stored */
  callback(id: number): Promise<StoredCallback | undefined>;
  /** the conversation's activities as JSON texts, in order (for the transcript document) */
  transcript(channelId: string, conversationId: string): Promise<string[]>;
  /** the link to a complaint on the staff page (STAFF_PUBLIC_URL + /staff/#/complaints/KL-…) */
  staffLink(reference: string): string;
  /** failed deliveries (for the digest) */
  failedSince(since: string): Promise<Delivery[]>;
  /**
   * Another target's row for the same subject (status and stored state), e.g. the klantinteracties
   * plugin reads the zaak URL the zgw plugin stored; undefined when there is no such row.
   * Optional until the worker provides it: without it the klantinteracties plugin links no zaak.
   */
  deliveryState?(subject: DeliverySubject, target: DeliveryTarget): Promise<Pick<Delivery, 'status' | 'state'> | undefined>;
  now(): Date;
}

export interface DeliveryContext {
  /** the row being delivered (attempts counts earlier attempts) */
  delivery: Delivery;
  /** what earlier attempts stored; a plugin reads it to skip steps that are done */
  state: Record<string, unknown>;
  /** stores `state` now (merged into the row), so a crash after a step does not repeat that step */
  save(state: Record<string, unknown>): Promise<void>;
  /** aborted when the attempt times out (DELIVERY_TIMEOUT_MS) or the process stops */
  signal: AbortSignal;
  deps: DeliveryDeps;
}

/**
 * A delivery that must not be retried (a 4xx that the same request will get again, a subject that no
 * longer exists): the row becomes 'failed' at once. Any other error is retried with back-off.
 */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * A delivery target. `deliver` resolves when the whole delivery is done (the row becomes 'sent') and
 * rejects to have it retried (or failed, with PermanentDeliveryError). Error messages are stored and
 * shown to staff: never put personal data in them.
 */
export interface DeliveryPlugin {
  readonly target: DeliveryTarget;
  /**
   * Which rows to enqueue for a newly filed subject (called inside the filing transaction, so it must
   * not do I/O): for example mail.citizen only for a complaint with an e-mail address.
   */
  wants(subject: DeliverySubject, facts: { email: string | null }): boolean;
  deliver(ctx: DeliveryContext): Promise<void>;
}
