/**
 * DeliveryDeps over the store: what plugins read while delivering. Every read goes to the store at the
 * time of the attempt (nothing cached), so a complaint purged meanwhile reads as undefined.
 */
import type { Municipality } from '../municipality';
import type { Store } from '../store/types';
import type { Delivery, DeliveryDeps, DeliverySubject, DeliveryTarget } from './types';

/** The staff page's link to a complaint: STAFF_PUBLIC_URL + /staff/#/complaints/KL-… (relative without it). */
export function staffLinkFor(publicUrl: string | undefined, reference: string): string {
  const base = (publicUrl ?? '').replace(/\/+$/, '');
  return `${base}/staff/#/complaints/${encodeURIComponent(reference)}`;
}

export function createDeliveryDeps(
  store: Store,
  municipality: Municipality,
  opts: { staffPublicUrl?: string; clock?: () => Date } = {},
): DeliveryDeps {
  const clock = opts.clock ?? (() => new Date());
  return {
    municipality,
    complaint: (reference) => store.complaints.getByReference(reference),
    callback: (id) => store.callbacks.get(id),
    transcript: (channelId, conversationId) => store.transcripts.all({ channelId, conversationId }),
    staffLink: (reference) => staffLinkFor(opts.staffPublicUrl, reference),
    failedSince: (since) => store.outbox.failedSince(since),
    now: clock,
    deliveryState: async (subject: DeliverySubject, target: DeliveryTarget): Promise<Pick<Delivery, 'status' | 'state'> | undefined> => {
      const row = (await store.outbox.listBySubjects([subject])).find((d) => d.target === target);
      return row && { status: row.status, state: row.state };
    },
  } as DeliveryDeps;
}
