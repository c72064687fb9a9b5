/**
 * Staff API: deliveries (issue 13, /tmp/team/staff-api.md "Deliveries").
 *   GET  /staff/api/complaints/:reference/deliveries -> { items: Delivery[] }  (also in GET /complaints/:ref)
 *   GET  /staff/api/deliveries?status=failed|pending|sent|sending&limit -> { items }
 *   POST /staff/api/deliveries/:id/retry -> the row (pending, due now); 409 when it is sent or being sent
 * Reads are audited like other staff reads (references only). A delivery holds no personal data: its
 * error texts and stored state are what plugins keep (URLs, Message-IDs). Only the complaint officer
 * role ('staff') may list all deliveries or retry one.
 */
import type restify from 'restify';
import type { Delivery } from '../delivery/types';
import { DELIVERY_STATUSES } from '../delivery/types';
import type { Logger } from '../logger';
import { announceOutbox } from '../store/complaintStore';
import type { Store } from '../store/types';
import { staffApiHandler } from './api';
import type { Principal } from './auth';
import type { Staff } from './index';
import { isReference, StaffError } from './service';

/** A complaint's deliveries: its own rows, its letters' and its call-back request's; newest first. */
export async function complaintDeliveries(store: Store, reference: string): Promise<Delivery[]> {
  const [own, handling] = await Promise.all([store.outbox.listByReference(reference), store.staff.getHandling(reference)]);
  const callbackId = handling?.callbackId ?? null;
  if (callbackId === null) return own;
  const callback = await store.callbacks.get(callbackId);
  const cbRows = callback ? await store.outbox.listBySubjects([{ kind: 'callback', reference: callback.reference, id: callbackId }]) : [];
  return [...own, ...cbRows].sort((a, b) => b.id - a.id);
}

/** a complaint officer (role 'staff'), or anyone when roles are not in use */
function isOfficer(who: Principal): boolean {
  const roles = who.roles ?? [];
  return !(roles.includes('handler') && !roles.includes('staff'));
}

/** 403 unless the principal is a complaint officer (a handler sees only their complaints, elsewhere). */
function requireOfficer(who: Principal): void {
  if (!isOfficer(who)) {
    throw Object.assign(new StaffError(409, 'forbidden', 'Alleen klachtenfunctionarissen mogen dit.'), { status: 403 });
  }
}

export function registerDeliveryRoutes(
  server: restify.Server,
  staff: Staff,
  log: Logger,
  deps: { store: Store; clock?: () => Date },
): void {
  const api = staffApiHandler(staff, log);
  const { store } = deps;
  const clock = deps.clock ?? (() => new Date());

  server.get(
    '/staff/api/complaints/:reference/deliveries',
    api(async (req, who) => {
      const ref = String(req.params?.reference ?? '').toUpperCase();
      if (!isReference(ref) || !(await store.complaints.getByReference(ref))) {
        throw new StaffError(404, 'not_found', 'Er is geen klacht met dit kenmerk.');
      }
      if (!isOfficer(who)) {
        // a klachtbehandelaar: only as part of a complaint they may read (the service checks, and audits)
        const detail = (await staff.service.get(who, ref)) as { deliveries?: Delivery[] };
        return { body: { items: detail.deliveries ?? [] } };
      }
      const items = await complaintDeliveries(store, ref);
      await staff.audit.record(who, { action: 'deliveries.read', references: [ref], detail: { count: items.length } });
      return { body: { items } };
    }),
  );

  server.get(
    '/staff/api/deliveries',
    api(async (req, who) => {
      requireOfficer(who);
      const q = (req.query ?? {}) as Record<string, unknown>;
      const status = typeof q.status === 'string' && q.status !== '' ? q.status : 'failed';
      if (!(DELIVERY_STATUSES as readonly string[]).includes(status)) {
        throw new StaffError(400, 'invalid_query', 'Kies een status: failed, pending, sending of sent.');
      }
      const limit = typeof q.limit === 'string' && q.limit !== '' ? Number(q.limit) : 200;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new StaffError(400, 'invalid_query', 'Het aantal (limit) moet tussen 1 en 1000 liggen.');
      }
      const items = await store.outbox.listByStatus(status as Delivery['status'], limit);
      const references = [...new Set(items.flatMap((d) => (d.subject.kind === 'complaint' || d.subject.kind === 'letter' ? [d.subject.reference] : [])))];
      await staff.audit.record(who, { action: 'deliveries.list', references, detail: { status, count: items.length } });
      return { body: { items } };
    }),
  );

  server.post(
    '/staff/api/deliveries/:id/retry',
    api(async (req, who) => {
      requireOfficer(who);
      const id = Number(req.params?.id);
      if (!Number.isSafeInteger(id) || id < 1) throw new StaffError(404, 'not_found', 'Deze verzending bestaat niet.');
      const row = await store.transaction(async (tx) => {
        const before = await store.outbox.get(id, tx);
        if (!before) throw new StaffError(404, 'not_found', 'Deze verzending bestaat niet.');
        if (before.status === 'sent' || before.status === 'sending') {
          throw new StaffError(409, 'not_retryable', before.status === 'sent' ? 'Deze verzending is al verstuurd.' : 'Deze verzending wordt nu verstuurd.');
        }
        const after = (await store.outbox.retry(id, clock().toISOString(), tx))!;
        const references = before.subject.kind === 'complaint' || before.subject.kind === 'letter' ? [before.subject.reference] : [];
        await staff.audit.record(who, { action: 'delivery.retry', references, detail: { id, target: before.target, from: before.status } }, tx);
        return after;
      });
      announceOutbox(store.coordination, [row.target]);
      return { body: row };
    }),
  );
}
