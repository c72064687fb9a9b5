/**
 * Filing, as the dialogs see it (dialogs/services.ts ComplaintFiler), over the store's complaint and
 * call-back repositories. No SQL: a complaint filed with the call-back request of its intake is one
 * transaction (the complaint, the call-back's link to it, and its outbox rows: issue 13). After the
 * commit the delivery worker is woken through the change feed; the citizen never waits for a delivery.
 */
import { DELIVERY_TARGETS, type DeliverySubject, type DeliveryTarget } from '../delivery/types';
import type { CallbackRequest, Complaint, ComplaintInput, Origin, StoredCallback } from '../domain/complaint';
import type { Coordination } from './coordination';
import type { CallbackResult, EnqueueDelivery, FileResult, Store, Tx } from './types';

/** The change-feed topic the delivery worker listens on (message: the targets that got rows, see announceOutbox). */
export const OUTBOX_TOPIC = 'outbox';

/** Tells the delivery workers (every instance on PostgreSQL) that rows of these targets are due, after the commit that stored them. */
export function announceOutbox(coordination: Coordination, targets: readonly DeliveryTarget[]): void {
  coordination.publish(OUTBOX_TOPIC, [...new Set(targets)].join(','));
}

/**
 * The targets an outbox notification names ("mail.citizen,zgw"), or undefined when it names none or
 * one this version does not know: then every target may have due rows.
 */
export function outboxWakeTargets(message: string): DeliveryTarget[] | undefined {
  const targets = message.split(',');
  return targets.every((t) => (DELIVERY_TARGETS as readonly string[]).includes(t)) ? (targets as DeliveryTarget[]) : undefined;
}

/**
 * Which outbox rows a newly filed subject gets (src/delivery/index.ts DeliveryRegistry asks the
 * enabled plugins' `wants`). Runs inside the filing transaction: no I/O.
 */
export interface DeliveryPlanner {
  plan(subject: DeliverySubject, facts: { email: string | null }): EnqueueDelivery[];
}

export { newReference } from './rows';
export type { CallbackResult, FileResult } from './types';

export class ComplaintStore {
  constructor(
    private readonly store: Store,
    /** without one nothing is enqueued (tests of filing alone) */
    private readonly deliveries?: DeliveryPlanner,
  ) {}

  /**
   * Enqueues the planned rows inside `tx` (but those of `skip`); returns the targets of the rows asked
   * for. Also used for a complaint entered by staff (src/staff/service.ts).
   */
  async enqueue(subject: DeliverySubject, facts: { email: string | null }, tx: Tx, skip: readonly DeliveryTarget[] = []): Promise<DeliveryTarget[]> {
    const rows = (this.deliveries?.plan(subject, facts) ?? []).filter((r) => !skip.includes(r.target));
    if (rows.length > 0) await this.store.outbox.enqueue(rows, tx);
    return rows.map((r) => r.target);
  }

  /**
   * After the commit: wakes the delivery worker (every instance hears it on PostgreSQL), naming the
   * targets that got rows, so that it looks for due rows of those targets only (outboxWakeTargets).
   */
  wake(targets: readonly DeliveryTarget[]): void {
    if (targets.length > 0) announceOutbox(this.store.coordination, targets);
  }

  /**
   * Stores the complaint once per idempotency key: a repeated confirmation or a re-delivered activity
   * returns the first reference and stores nothing new.
   */
  async file(input: ComplaintInput, origin: Origin, idempotencyKey: string, callbackId?: number): Promise<FileResult> {
    const { result, enqueued } = await this.store.transaction(async (tx) => {
      const result = await this.store.complaints.file({ input, origin, idempotencyKey, callbackId }, tx);
      if (!result.created) return { result, enqueued: [] as DeliveryTarget[] };
      if (callbackId !== undefined) await this.store.callbacks.linkComplaint(callbackId, result.reference, tx);
      const enqueued = await this.enqueue({ kind: 'complaint', reference: result.reference }, { email: input.contact.email ?? null }, tx);
      return { result, enqueued };
    });
    this.wake(enqueued);
    return result;
  }

  /** Stores a call-back request once per idempotency key and returns its id. */
  async requestCallback(request: CallbackRequest, origin: Origin, idempotencyKey: string): Promise<number> {
    return (await this.fileCallback(request, origin, idempotencyKey)).id;
  }

  /** Stores a call-back request once per idempotency key; returns its id and the reference the citizen is told. */
  async fileCallback(request: CallbackRequest, origin: Origin, idempotencyKey: string): Promise<CallbackResult> {
    const { result, enqueued } = await this.store.transaction(async (tx) => {
      const result = await this.store.callbacks.file({ request, origin, idempotencyKey }, tx);
      // a repeated filing finds its rows there already: enqueue keeps them as they are
      const enqueued = await this.enqueue({ kind: 'callback', reference: result.reference, id: result.id }, { email: null }, tx);
      return { result, enqueued };
    });
    this.wake(enqueued);
    return result;
  }

  getByReference(reference: string): Promise<Complaint | undefined> {
    return this.store.complaints.getByReference(reference);
  }

  listByConversation(channelId: string, conversationId: string): Promise<Complaint[]> {
    return this.store.complaints.listByConversation({ channelId, conversationId });
  }

  countComplaints(): Promise<number> {
    return this.store.complaints.count();
  }

  getCallback(id: number): Promise<StoredCallback | undefined> {
    return this.store.callbacks.get(id);
  }

  listCallbacksByConversation(channelId: string, conversationId: string): Promise<StoredCallback[]> {
    return this.store.callbacks.listByConversation({ channelId, conversationId });
  }
}
