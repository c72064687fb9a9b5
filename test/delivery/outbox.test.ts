/**
 * Filing writes the complaint AND its outbox rows in one transaction (src/store/complaintStore.ts with
 * the DeliveryRegistry of src/delivery/index.ts), on both backends; the daily digest row is enqueued
 * once per day, from DIGEST_HOUR in Amsterdam, only when something failed.
 */
import { DigestScheduler, amsterdamDayHour } from '../../src/delivery/digest';
import { DeliveryRegistry } from '../../src/delivery/index';
import type { DeliveryPlugin, DeliverySubject, DeliveryTarget } from '../../src/delivery/types';
import { ComplaintStore } from '../../src/store/complaintStore';
import { complaintDeliveries } from '../../src/staff/deliveriesApi';
import { describeStores, START } from '../store/contract/backends';
import { input, origin } from '../store/contract/fixtures';

const quiet = { info: () => undefined, warn: () => undefined };

function plugin(target: DeliveryTarget, wants: (s: DeliverySubject, f: { email: string | null }) => boolean): DeliveryPlugin {
  return { target, wants, deliver: async () => undefined };
}

const registry = () =>
  new DeliveryRegistry([
    plugin('mail.citizen', (s, f) => s.kind === 'complaint' && f.email !== null),
    plugin('mail.officers', (s) => s.kind === 'complaint' || s.kind === 'callback'),
    plugin('zgw', (s) => s.kind === 'complaint'),
  ]);

describeStores('filing with its deliveries', (ctx) => {
  test('a complaint and its rows commit together; a call-back gets its own; a repeated filing adds nothing', async () => {
    const s = ctx.store;
    const filer = new ComplaintStore(s, registry());
    const heard: string[] = [];
    s.coordination.subscribe('outbox', (m) => heard.push(m));

    const plain = await filer.file(input, origin, 'k1');
    expect((await s.outbox.listByReference(plain.reference)).map((d) => [d.target, d.status])).toEqual([
      ['zgw', 'pending'],
      ['mail.officers', 'pending'],
    ]);
    const withMail = await filer.file({ ...input, contact: { ...input.contact, email: 'jan@example.nl' } }, { ...origin, conversationId: 'c2' }, 'k2');
    expect((await s.outbox.listByReference(withMail.reference)).map((d) => d.target).sort()).toEqual(['mail.citizen', 'mail.officers', 'zgw']);

    const cb = await filer.fileCallback({ name: 'Kees Koster', phone: '0612345678', date: '2026-11-26', partOfDay: 'morning' }, { ...origin, conversationId: 'c3' }, 'cb1');
    const cbRows = await s.outbox.listBySubjects([{ kind: 'callback', reference: cb.reference, id: cb.id }]);
    expect(cbRows.map((d) => d.target)).toEqual(['mail.officers']);
    // filed with the complaint of the same intake: the complaint's deliveries show the call-back's too
    const linked = await filer.file(input, { ...origin, conversationId: 'c3' }, 'k3', cb.id);
    expect((await complaintDeliveries(s, linked.reference)).map((d) => `${d.subject.kind}:${d.target}`)).toEqual([
      'complaint:zgw',
      'complaint:mail.officers',
      'callback:mail.officers',
    ]);

    // the same idempotency keys again: same references, no new rows
    expect((await filer.file(input, origin, 'k1')).created).toBe(false);
    expect((await filer.fileCallback({ name: 'Kees Koster', phone: '0612345678', date: '2026-11-26', partOfDay: 'morning' }, { ...origin, conversationId: 'c3' }, 'cb1')).id).toBe(cb.id);
    expect(await s.outbox.counts()).toEqual({ pending: 8, sending: 0, sent: 0, failed: 0 });
    // the worker was told after each commit
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.length).toBeGreaterThanOrEqual(4);
  });

  test('when the outbox cannot be written the complaint is not stored either (one transaction)', async () => {
    const s = ctx.store;
    const filer = new ComplaintStore(s, registry());
    const enqueue = jest.spyOn(s.outbox, 'enqueue').mockRejectedValueOnce(new Error('disk full'));
    await expect(filer.file(input, origin, 'k1')).rejects.toThrow('disk full');
    expect(await s.complaints.count()).toBe(0);
    expect(await s.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0 });
    enqueue.mockRestore();
    // the key is still free: the next attempt files it with its rows
    const again = await filer.file(input, origin, 'k1');
    expect(again.created).toBe(true);
    expect(await s.outbox.listByReference(again.reference)).toHaveLength(2);
  });

  test('a call-back whose rows cannot be written is not stored either', async () => {
    const s = ctx.store;
    const filer = new ComplaintStore(s, registry());
    jest.spyOn(s.outbox, 'enqueue').mockRejectedValueOnce(new Error('disk full'));
    await expect(filer.fileCallback({ name: 'Kees Koster', phone: '0612345678', date: '2026-11-26', partOfDay: 'morning' }, origin, 'cb')).rejects.toThrow('disk full');
    expect(await s.callbacks.listByConversation({ channelId: origin.channel, conversationId: origin.conversationId })).toEqual([]);
  });

  test('the digest: once a day from DIGEST_HOUR (Amsterdam), only when deliveries failed, once across instances', async () => {
    const s = ctx.store;
    const other = await ctx.openAnother();
    const at = (iso: string) => () => new Date(iso);
    // 2026-11-24 07:30 UTC = 08:30 in Amsterdam (winter time)
    expect(amsterdamDayHour(new Date('2026-11-24T06:59:00Z'))).toEqual({ day: '2026-11-24', hour: 7 });
    expect(amsterdamDayHour(new Date('2026-11-24T07:30:00Z'))).toEqual({ day: '2026-11-24', hour: 8 });
    const digest = (store = s, clock = at('2026-11-24T07:30:00Z')) => new DigestScheduler({ store, hour: 8, enabled: true, log: quiet, clock });
    expect(await digest().check()).toBeUndefined(); // nothing failed
    // one failure
    const [row] = await s.outbox.enqueue([{ subject: { kind: 'complaint', reference: 'KL-2026-FFFFFF' }, target: 'zgw' }]);
    await s.outbox.claim({ owner: 'w', now: START.toISOString(), leaseMs: 60_000, limit: 1, targets: ['zgw'] });
    await s.outbox.markFailed(row.id, 'w', 'HTTP 400', START.toISOString());
    expect(await digest(s, at('2026-11-24T06:59:00Z')).check()).toBeUndefined(); // 07:59 in Amsterdam: too early
    const results = await Promise.all([digest(s).check(), digest(other).check()]);
    expect(results).toContain('2026-11-24');
    expect(await digest().check()).toBeUndefined(); // once that day
    expect((await s.outbox.listBySubjects([{ kind: 'digest', day: '2026-11-24' }])).map((d) => [d.target, d.status])).toEqual([['mail.digest', 'pending']]);
    // disabled without a mail.digest plugin
    expect(await new DigestScheduler({ store: s, hour: 8, enabled: false, log: quiet, clock: at('2026-11-25T07:30:00Z') }).check()).toBeUndefined();
  });
});
