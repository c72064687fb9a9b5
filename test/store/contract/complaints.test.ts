/** Contract: complaints, call-backs and transactions, the same on every backend. */
import type { CallbackRequest } from '../../../src/domain/complaint';
import { describeStores, START } from './backends';
import { input, origin } from './fixtures';

const cb: CallbackRequest = { name: 'Jan Jansen', phone: '0612345678', date: '2026-11-25', partOfDay: 'morning' };

describeStores('complaints', (ctx) => {
  test('file stores the normalised complaint under a readable reference; reads give the domain object', async () => {
    const r = await ctx.store.complaints.file({ input, origin, idempotencyKey: 'k1' });
    expect(r.created).toBe(true);
    expect(r.reference).toMatch(/^KL-2026-[2-9A-HJKMNP-Z]{6}$/);
    const c = await ctx.store.complaints.getByReference(r.reference);
    expect(c).toMatchObject({
      reference: r.reference,
      status: 'received',
      route: 'complaint',
      locale: 'nl',
      channel: 'test',
      conversationId: 'c1',
      story: input.story,
      incidentDate: '2026-11-17',
      incidentDateFrom: '2026-11-17',
      incidentDateTo: '2026-11-17',
      incidentDateText: 'vorige week dinsdag',
      placeKind: 'phone',
      contact: { name: 'Jan Jansen', phone: '+31612345678', street: 'Dorpsstraat 12', postcode: '1182 JR', city: 'Amstelveen', email: null },
      callback: null,
      createdAt: START.toISOString(),
      updatedAt: START.toISOString(),
    });
    expect(typeof c!.id).toBe('number');
    expect(await ctx.store.complaints.getByReference('KL-2026-AAAAAA')).toBeUndefined();
  });

  test('one complaint per idempotency key, also when filed concurrently', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => ctx.store.complaints.file({ input, origin, idempotencyKey: 'same' })));
    expect(new Set(results.map((r) => r.reference)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await ctx.store.complaints.count()).toBe(1);
  });

  test('one complaint per key across two store instances on the same database', async () => {
    const other = await ctx.openAnother();
    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => ctx.store.complaints.file({ input, origin, idempotencyKey: 'twice' })),
      ...Array.from({ length: 4 }, () => other.complaints.file({ input, origin, idempotencyKey: 'twice' })),
    ]);
    expect(new Set(results.map((r) => r.reference)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await other.complaints.count()).toBe(1);
  });

  test('a period, no phone, an address abroad: stored and read back as given', async () => {
    const abroad = { name: 'Anna Müller', phone: null, street: 'Hauptstraße 5', postcode: null, city: 'Berlin', country: 'Duitsland', email: 'anna@example.de' };
    const r = await ctx.store.complaints.file({
      input: { ...input, incidentDate: null, incidentDateFrom: '2026-10-20', incidentDateTo: '2026-10-31', incidentDateText: 'eind oktober', contact: abroad },
      origin,
      idempotencyKey: 'period',
    });
    const c = await ctx.store.complaints.getByReference(r.reference);
    expect(c).toMatchObject({ incidentDate: null, incidentDateFrom: '2026-10-20', incidentDateTo: '2026-10-31', incidentDateText: 'eind oktober' });
    expect(c!.contact).toEqual({ name: 'Anna Müller', phone: null, street: 'Hauptstraße 5', postcode: null, city: 'Berlin', country: 'Duitsland', email: 'anna@example.de' });
  });

  test('invalid input is refused and nothing is stored', async () => {
    await expect(ctx.store.complaints.file({ input: { ...input, story: 'kort' }, origin, idempotencyKey: 'bad' })).rejects.toThrow();
    expect(await ctx.store.complaints.count()).toBe(0);
  });

  test('listByConversation: that conversation only, oldest first', async () => {
    const a = await ctx.store.complaints.file({ input, origin, idempotencyKey: 'a' });
    ctx.now = new Date(START.getTime() + 1000);
    const b = await ctx.store.complaints.file({ input: { ...input, route: 'care' }, origin, idempotencyKey: 'b' });
    await ctx.store.complaints.file({ input, origin: { ...origin, conversationId: 'c2' }, idempotencyKey: 'c' });
    await ctx.store.complaints.file({ input, origin: { ...origin, channel: 'msteams' }, idempotencyKey: 'd' });
    const list = await ctx.store.complaints.listByConversation({ channelId: 'test', conversationId: 'c1' });
    expect(list.map((c) => c.reference)).toEqual([a.reference, b.reference]);
    expect(await ctx.store.complaints.count()).toBe(4);
  });
});

describeStores('call-backs', (ctx) => {
  test('file once per key with a TB reference; get and listByConversation', async () => {
    const first = await ctx.store.callbacks.file({ request: { ...cb, topic: 'Paspoort' }, origin, idempotencyKey: 'cb1' });
    expect(first.reference).toMatch(/^TB-2026-[2-9A-HJKMNP-Z]{6}$/);
    expect(await ctx.store.callbacks.file({ request: cb, origin, idempotencyKey: 'cb1' })).toEqual(first);
    const got = await ctx.store.callbacks.get(first.id);
    expect(got).toEqual({
      id: first.id,
      reference: first.reference,
      topic: 'Paspoort',
      name: 'Jan Jansen',
      phone: '+31612345678',
      date: '2026-11-25',
      partOfDay: 'morning',
      locale: 'nl',
      channel: 'test',
      conversationId: 'c1',
      complaintReference: null,
      status: 'open',
      createdAt: START.toISOString(),
    });
    const second = await ctx.store.callbacks.file({ request: cb, origin, idempotencyKey: 'cb2' });
    await ctx.store.callbacks.file({ request: cb, origin: { ...origin, conversationId: 'other' }, idempotencyKey: 'cb3' });
    expect((await ctx.store.callbacks.listByConversation({ channelId: 'test', conversationId: 'c1' })).map((c) => c.id)).toEqual([first.id, second.id]);
    expect(await ctx.store.callbacks.get(999999)).toBeUndefined();
  });

  test('a complaint filed with its call-back in one transaction: linked both ways', async () => {
    const { id } = await ctx.store.callbacks.file({ request: cb, origin, idempotencyKey: 'cb' });
    const reference = await ctx.store.transaction(async (tx) => {
      const r = await ctx.store.complaints.file({ input: { ...input, callback: cb }, origin, idempotencyKey: 'with-cb', callbackId: id }, tx);
      await ctx.store.callbacks.linkComplaint(id, r.reference, tx);
      return r.reference;
    });
    expect((await ctx.store.callbacks.get(id))?.complaintReference).toBe(reference);
    expect((await ctx.store.complaints.getByReference(reference))?.callback).toEqual({ ...cb, phone: '+31612345678' });
  });

  test('the queue: open by preferred time (date, morning first), done newest date first; markDone records who and when', async () => {
    const mk = (date: string, partOfDay: 'morning' | 'afternoon', key: string) =>
      ctx.store.callbacks.file({ request: { ...cb, date, partOfDay }, origin, idempotencyKey: key });
    const late = await mk('2026-11-27', 'morning', 'a');
    const pm = await mk('2026-11-25', 'afternoon', 'b');
    const am = await mk('2026-11-25', 'morning', 'c');
    const early = await mk('2026-11-24', 'afternoon', 'd');
    expect((await ctx.store.callbacks.queue('open', 10)).map((c) => c.id)).toEqual([early.id, am.id, pm.id, late.id]);
    expect((await ctx.store.callbacks.queue('open', 2)).map((c) => c.id)).toEqual([early.id, am.id]);
    await ctx.store.transaction(async (tx) => {
      const locked = await ctx.store.callbacks.lockForHandling(am.id, tx);
      expect(locked?.status).toBe('open');
      await ctx.store.callbacks.markDone(am.id, 'officer', '2026-11-25T10:00:00.000Z', 'gebeld', tx);
    });
    await ctx.store.callbacks.markDone(late.id, 'officer2', '2026-11-26T10:00:00.000Z', null);
    const done = await ctx.store.callbacks.queue('done', 10);
    expect(done.map((c) => [c.id, c.status, c.doneBy, c.doneAt])).toEqual([
      [late.id, 'done', 'officer2', '2026-11-26T10:00:00.000Z'],
      [am.id, 'done', 'officer', '2026-11-25T10:00:00.000Z'],
    ]);
    expect((await ctx.store.callbacks.queue('open', 10)).map((c) => [c.id, c.doneBy])).toEqual([[early.id, null], [pm.id, null]]);
    await ctx.store.transaction(async (tx) => expect(await ctx.store.callbacks.lockForHandling(424242, tx)).toBeUndefined());
  });
});

describeStores('transactions', (ctx) => {
  test('a rejected transaction leaves nothing of any repository behind, and its error comes out', async () => {
    const boom = new Error('boom');
    await expect(
      ctx.store.transaction(async (tx) => {
        await ctx.store.complaints.file({ input, origin, idempotencyKey: 'rolled-back' }, tx);
        await ctx.store.callbacks.file({ request: cb, origin, idempotencyKey: 'rolled-back' }, tx);
        await ctx.store.audit.record({ at: START.toISOString(), actor: 'x', via: 'system', action: 'a', references: [], detail: {} }, tx);
        await ctx.store.conversationState.write([{ key: 'k', data: { v: 1 }, conversation: null }], tx);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await ctx.store.complaints.count()).toBe(0);
    expect(await ctx.store.callbacks.listByConversation({ channelId: 'test', conversationId: 'c1' })).toEqual([]);
    expect(await ctx.store.audit.count()).toBe(0);
    expect(await ctx.store.conversationState.read(['k'])).toEqual([]);
  });

  test('a committed transaction keeps every write and returns its value; inside, it sees its own writes', async () => {
    const ref = await ctx.store.transaction(async (tx) => {
      const r = await ctx.store.complaints.file({ input, origin, idempotencyKey: 'kept' }, tx);
      expect((await ctx.store.complaints.getByReference(r.reference, tx))?.reference).toBe(r.reference);
      return r.reference;
    });
    expect((await ctx.store.complaints.getByReference(ref))?.status).toBe('received');
  });

  test('a transaction object cannot be used after its transaction ended', async () => {
    let kept: unknown;
    await ctx.store.transaction(async (tx) => {
      kept = tx;
    });
    await expect(ctx.store.complaints.count(kept as never)).rejects.toThrow();
  });

  test('concurrent transactions on the same rows: both complete, each sees a consistent state', async () => {
    await ctx.store.conversationState.write([{ key: 'counter', data: { n: 0 }, conversation: null }]);
    const bump = () =>
      ctx.store.transaction(
        async (tx) => {
          const [item] = await ctx.store.conversationState.read(['counter'], tx);
          await ctx.store.conversationState.write([{ key: 'counter', data: { n: (item.data.n as number) + 1 }, eTag: item.eTag, conversation: null }], tx);
        },
        { retries: 20 },
      );
    const results = await Promise.allSettled(Array.from({ length: 5 }, bump));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const [after] = await ctx.store.conversationState.read(['counter']);
    // an eTag conflict may refuse a bump, but never loses one that succeeded
    expect(after.data.n).toBe(ok);
    expect(ok).toBeGreaterThanOrEqual(1);
  });
});
