/** Contract: the built-in Direct Line's conversations and activities, and the audit log. */
import { DuplicateActivityError } from '../../../src/store/types';
import { describeStores, START } from './backends';

describeStores('Direct Line', (ctx) => {
  test('the signing key is made once and is the same on every instance', async () => {
    const other = await ctx.openAnother();
    const [a, b] = await Promise.all([ctx.store.directLine.signingKey(), other.directLine.signingKey()]);
    expect(a.length).toBe(32);
    expect(b.equals(a)).toBe(true);
    expect((await ctx.store.directLine.signingKey()).equals(a)).toBe(true);
  });

  test('conversations: created once, read back; touch only moves forward', async () => {
    const dl = ctx.store.directLine;
    expect(await dl.createConversation({ id: 'c1', userId: 'u1', locale: 'nl-NL', now: 1000 })).toBe(true);
    expect(await dl.createConversation({ id: 'c1', userId: 'u2', locale: null, now: 2000 })).toBe(false);
    expect(await dl.getConversation('c1')).toEqual({ id: 'c1', userId: 'u1', locale: 'nl-NL', createdAt: 1000, lastActiveAt: 1000, endedAt: null });
    await dl.touch('c1', 5000);
    await dl.touch('c1', 3000);
    expect((await dl.getConversation('c1'))?.lastActiveAt).toBe(5000);
    expect(await dl.getConversation('none')).toBeUndefined();
  });

  test('activities: appended (group commit), read after a watermark in order; lastSeq; a taken seq rejects', async () => {
    const dl = ctx.store.directLine;
    await dl.createConversation({ id: 'c1', userId: 'u1', locale: null, now: 1000 });
    await dl.createConversation({ id: 'c2', userId: 'u2', locale: null, now: 1000 });
    await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => dl.append('c1', i + 1, JSON.stringify({ n: i + 1, text: 'é "quoted"' }))),
      dl.append('c2', 1, '{"n":1}'),
    ]);
    await dl.drain();
    const after = await dl.activitiesAfter('c1', 10, 5);
    expect(after.map((r) => r.seq)).toEqual([11, 12, 13, 14, 15]);
    expect(JSON.parse(after[0].json)).toEqual({ n: 11, text: 'é "quoted"' });
    expect(await dl.lastSeq('c1')).toBe(30);
    expect(await dl.lastSeq('c2')).toBe(1);
    expect(await dl.lastSeq('none')).toBe(0);
    // a taken (conversation, seq) rejects that append only; the others of its group are stored
    const [again, fresh] = await Promise.allSettled([dl.append('c1', 5, '{"again":true}'), dl.append('c1', 31, '{"n":31}')]);
    expect(again.status === 'rejected' && again.reason).toBeInstanceOf(DuplicateActivityError);
    expect(fresh.status).toBe('fulfilled');
    expect(JSON.parse((await dl.activitiesAfter('c1', 4, 1))[0].json)).toEqual({ n: 5, text: 'é "quoted"' });
    expect(await dl.lastSeq('c1')).toBe(31);
  });

  test('endIdle ends idle conversations except those kept (activities go, a tombstone stays); purgeEnded forgets tombstones', async () => {
    const dl = ctx.store.directLine;
    for (const [id, at] of [['idle', 1000], ['kept', 1000], ['busy', 9000]] as const) {
      await dl.createConversation({ id, userId: 'u', locale: null, now: at });
      await dl.append(id, 1, '{}');
    }
    const ended = await dl.endIdle(5000, 10_000, (id) => id === 'kept');
    expect(ended).toEqual(['idle']);
    expect(await dl.getConversation('idle')).toMatchObject({ endedAt: 10_000 });
    expect(await dl.activitiesAfter('idle', 0, 10)).toEqual([]);
    expect(await dl.activitiesAfter('kept', 0, 10)).toHaveLength(1);
    expect(await dl.counts()).toEqual({ conversations: 3, ended: 1, activities: 2 });
    expect(await dl.endIdle(5000, 11_000, () => false)).toEqual(['kept']);
    expect(await dl.purgeEnded(10_500)).toBe(1);
    expect(await dl.getConversation('idle')).toBeUndefined();
    expect(await dl.getConversation('kept')).toMatchObject({ endedAt: 11_000 });
    expect(await dl.counts()).toEqual({ conversations: 2, ended: 1, activities: 1 });
  });
});

describeStores('audit log', (ctx) => {
  const rec = (action: string, actor: string, references: string[], detail: Record<string, unknown> = {}) => ({
    at: START.toISOString(),
    actor,
    via: 'token' as const,
    action,
    references,
    detail,
  });

  test('record gives growing ids; list is newest first with sorted, distinct references and the detail as stored', async () => {
    const a = ctx.store.audit;
    const id1 = await a.record(rec('complaint.read', 'alice', ['KL-2026-BBBBBB', 'KL-2026-AAAAAA', 'KL-2026-BBBBBB'], { count: 2, filters: { q: null } }));
    const id2 = await a.record(rec('complaint.list', 'bob', []));
    expect(id2).toBeGreaterThan(id1);
    const rows = await a.list({ limit: 10 });
    expect(rows.map((r) => r.id)).toEqual([id2, id1]);
    expect(rows[1]).toEqual({ id: id1, ...rec('complaint.read', 'alice', ['KL-2026-AAAAAA', 'KL-2026-BBBBBB'], { count: 2, filters: { q: null } }) });
    expect(rows[0].references).toEqual([]);
  });

  test('filters (reference, actor, action), paging with beforeId, counts', async () => {
    const a = ctx.store.audit;
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await a.record(rec(i % 2 ? 'complaint.read' : 'complaint.list', i < 3 ? 'alice' : 'bob', i % 3 === 0 ? ['KL-2026-AAAAAA'] : [])));
    expect((await a.list({ reference: 'KL-2026-AAAAAA', limit: 10 })).map((r) => r.id)).toEqual([ids[3], ids[0]]);
    expect((await a.list({ actor: 'alice', limit: 10 })).map((r) => r.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect((await a.list({ action: 'complaint.read', actor: 'bob', limit: 10 })).map((r) => r.id)).toEqual([ids[5], ids[3]]);
    expect((await a.list({ beforeId: ids[4], limit: 2 })).map((r) => r.id)).toEqual([ids[3], ids[2]]);
    expect(await a.count()).toBe(6);
    expect(await a.count({ action: 'complaint.read' })).toBe(3);
  });
});
