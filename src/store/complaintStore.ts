/**
 * Filing, as the dialogs see it (dialogs/services.ts ComplaintFiler), over the store's complaint and
 * call-back repositories. No SQL: a complaint filed with the call-back request of its intake is one
 * transaction (the complaint, and the call-back's link to it).
 */
import type { CallbackRequest, Complaint, ComplaintInput, Origin, StoredCallback } from '../domain/complaint';
import type { CallbackResult, FileResult, Store } from './types';

export { newReference } from './rows';
export type { CallbackResult, FileResult } from './types';

export class ComplaintStore {
  constructor(private readonly store: Store) {}

  /**
   * Stores the complaint once per idempotency key: a repeated confirmation or a re-delivered activity
   * returns the first reference and stores nothing new.
   */
  file(input: ComplaintInput, origin: Origin, idempotencyKey: string, callbackId?: number): Promise<FileResult> {
    return this.store.transaction(async (tx) => {
      const result = await this.store.complaints.file({ input, origin, idempotencyKey, callbackId }, tx);
      if (result.created && callbackId !== undefined) await this.store.callbacks.linkComplaint(callbackId, result.reference, tx);
      return result;
    });
  }

  /** Stores a call-back request once per idempotency key and returns its id. */
  async requestCallback(request: CallbackRequest, origin: Origin, idempotencyKey: string): Promise<number> {
    return (await this.fileCallback(request, origin, idempotencyKey)).id;
  }

  /** Stores a call-back request once per idempotency key; returns its id and the reference the citizen is told. */
  fileCallback(request: CallbackRequest, origin: Origin, idempotencyKey: string): Promise<CallbackResult> {
    return this.store.callbacks.file({ request, origin, idempotencyKey });
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
