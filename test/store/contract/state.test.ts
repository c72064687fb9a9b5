/** Contract: conversation state, transcripts, de-duplication marks. */
import { EtagConflictError, type TranscriptEntry } from '../../../src/store/types';
import { describeStores, START } from './backends';

const conv = { channelId: 'test', conversationId: 'c1' };

describeStores('conversation state', (ctx) => {
  test('reads back what was written with an eTag; only the keys asked for; JSON round trip', async () => {
    const s = ctx.store.conversationState;
    await s.write([
      { key: 'test/conversations/c1/', data: { dialog: { steps: [1, 'twee', null], nested: { ü: 'é' } } }, conversation: conv },
      { key: 'other', data: { n: 2 }, conversation: null },
    ]);
    const items = await s.read(['test/conversations/c1/', 'missing']);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ key: 'test/conversations/c1/', data: { dialog: { steps: [1, 'twee', null], nested: { ü: 'é' } } } });
    expect(typeof items[0].eTag).toBe('string');
    expect(await s.read([])).toEqual([]);
  });

  test("eTags: '*' or none overwrites; the current one succeeds and changes it; a stale one fails with EtagConflictError", async () => {
    const s = ctx.store.conversationState;
    await s.write([{ key: 'k', data: { v: 1 }, conversation: null }]);
    const [first] = await s.read(['k']);
    await s.write([{ key: 'k', data: { v: 2 }, eTag: first.eTag, conversation: null }]);
    const [second] = await s.read(['k']);
    expect(second.data).toEqual({ v: 2 });
    expect(second.eTag).not.toBe(first.eTag);
    const stale = s.write([{ key: 'k', data: { v: 3 }, eTag: first.eTag, conversation: null }]);
    await expect(stale).rejects.toBeInstanceOf(EtagConflictError);
    await expect(s.write([{ key: 'k', data: { v: 3 }, eTag: first.eTag, conversation: null }])).rejects.toThrow(/eTag conflict/);
    await s.write([{ key: 'k', data: { v: 4 }, eTag: '*', conversation: null }]);
    expect((await s.read(['k']))[0].data).toEqual({ v: 4 });
  });

  test('a conditional write to a key that does not exist creates it; a batch with one conflict writes nothing', async () => {
    const s = ctx.store.conversationState;
    await s.write([{ key: 'new', data: { v: 1 }, eTag: '17', conversation: null }]);
    expect((await s.read(['new']))[0].data).toEqual({ v: 1 });
    await s.write([
      { key: 'a', data: { v: 1 }, conversation: null },
      { key: 'b', data: { v: 1 }, conversation: null },
    ]);
    const [a] = await s.read(['a']);
    await s.write([{ key: 'a', data: { v: 2 }, conversation: null }]);
    await expect(
      s.write([
        { key: 'b', data: { v: 9 }, conversation: null },
        { key: 'a', data: { v: 9 }, eTag: a.eTag, conversation: null },
      ]),
    ).rejects.toBeInstanceOf(EtagConflictError);
    const after = Object.fromEntries((await s.read(['a', 'b'])).map((i) => [i.key, i.data.v]));
    expect(after).toEqual({ a: 2, b: 1 });
  });

  test('concurrent writers with the same eTag, on two instances: exactly one wins', async () => {
    const other = await ctx.openAnother();
    await ctx.store.conversationState.write([{ key: 'k', data: { v: 0 }, conversation: null }]);
    const [base] = await ctx.store.conversationState.read(['k']);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? other : ctx.store).conversationState.write([{ key: 'k', data: { v: i + 1 }, eTag: base.eTag, conversation: null }])),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  test('delete removes only the keys named', async () => {
    const s = ctx.store.conversationState;
    await s.write([
      { key: 'keep', data: { v: 1 }, conversation: null },
      { key: 'gone', data: { v: 2 }, conversation: null },
    ]);
    await s.delete(['gone', 'never']);
    expect((await s.read(['keep', 'gone'])).map((i) => i.key)).toEqual(['keep']);
  });
});

function entry(c: { channelId: string; conversationId: string }, n: number, role: 'user' | 'bot', loggedAt = START.toISOString()): TranscriptEntry {
  const data = JSON.stringify({ type: 'message', id: `${c.conversationId}-${n}`, channelId: c.channelId, conversation: { id: c.conversationId }, from: { id: role, role }, text: `${c.conversationId} #${n}` });
  return { ...c, activityId: `${c.conversationId}-${n}`, type: 'message', role, timestamp: new Date(START.getTime() + n * 1000).toISOString(), loggedAt, data };
}

describeStores('transcripts', (ctx) => {
  test('append keeps the order given, across batches; all() and page() return the JSON text as given', async () => {
    const t = ctx.store.transcripts;
    await t.append([entry(conv, 0, 'user'), entry(conv, 1, 'bot')]);
    await t.append([entry({ ...conv, conversationId: 'c2' }, 0, 'user')]);
    await t.append(Array.from({ length: 450 }, (_, i) => entry(conv, i + 2, i % 2 ? 'bot' : 'user')));
    const all = await t.all(conv);
    expect(all).toHaveLength(452);
    expect(all.map((d) => JSON.parse(d).text)).toEqual(Array.from({ length: 452 }, (_, n) => `c1 #${n}`));
    expect(all[0]).toBe(entry(conv, 0, 'user').data);
    const first = await t.page(conv, { afterSeq: 0, limit: 5 });
    expect(first.map((r) => JSON.parse(r.data).text)).toEqual(['c1 #0', 'c1 #1', 'c1 #2', 'c1 #3', 'c1 #4']);
    expect(first.every((r, i) => i === 0 || r.seq > first[i - 1].seq)).toBe(true);
    const next = await t.page(conv, { afterSeq: first[4].seq, limit: 2 });
    expect(next.map((r) => JSON.parse(r.data).text)).toEqual(['c1 #5', 'c1 #6']);
    const since = await t.page(conv, { afterSeq: 0, since: new Date(START.getTime() + 450_000).toISOString(), limit: 10 });
    expect(since.map((r) => JSON.parse(r.data).text)).toEqual(['c1 #450', 'c1 #451']);
    expect(await t.all({ channelId: 'test', conversationId: 'none' })).toEqual([]);
  });

  test('listConversations: per channel by first activity, then id, paged with `after`', async () => {
    const t = ctx.store.transcripts;
    for (let i = 0; i < 5; i++) {
      await t.append([entry({ channelId: 'emulator', conversationId: `conv-${4 - i}` }, 0, 'user', new Date(START.getTime() + (i < 3 ? 0 : i) * 60_000).toISOString())]);
    }
    await t.append([entry({ channelId: 'msteams', conversationId: 'elsewhere' }, 0, 'user')]);
    const page1 = await t.listConversations('emulator', { limit: 3 });
    expect(page1).toEqual([
      { conversationId: 'conv-2', createdAt: START.toISOString() },
      { conversationId: 'conv-3', createdAt: START.toISOString() },
      { conversationId: 'conv-4', createdAt: START.toISOString() },
    ]);
    const page2 = await t.listConversations('emulator', { after: page1[2], limit: 3 });
    expect(page2.map((r) => r.conversationId)).toEqual(['conv-1', 'conv-0']);
    expect((await t.listConversations('msteams', { limit: 10 })).map((r) => r.conversationId)).toEqual(['elsewhere']);
  });

  test('deleteConversation removes one conversation only, and says how many entries', async () => {
    const t = ctx.store.transcripts;
    await t.append([entry(conv, 0, 'user'), entry(conv, 1, 'bot'), entry({ ...conv, conversationId: 'c2' }, 0, 'user')]);
    expect(await t.deleteConversation(conv)).toBe(2);
    expect(await t.all(conv)).toEqual([]);
    expect(await t.all({ ...conv, conversationId: 'c2' })).toHaveLength(1);
    expect((await t.listConversations('test', { limit: 10 })).map((r) => r.conversationId)).toEqual(['c2']);
  });
});

describeStores('de-duplication marks', (ctx) => {
  const mark = { channelId: 'test', conversationId: 'c1', activityId: 'a1' };

  test('claim: new -> claimed; running -> its owner; done -> done', async () => {
    const d = ctx.store.dedupe;
    expect(await d.claim(mark, 'p1', START.toISOString())).toEqual({ state: 'claimed' });
    expect(await d.claim(mark, 'p2', START.toISOString())).toEqual({ state: 'running', owner: 'p1' });
    await d.markDone(mark, 'p2'); // not its owner: nothing
    expect(await d.claim(mark, 'p2', START.toISOString())).toEqual({ state: 'running', owner: 'p1' });
    await d.markDone(mark, 'p1');
    expect(await d.claim(mark, 'p2', START.toISOString())).toEqual({ state: 'done' });
  });

  test('of concurrent claims on two instances exactly one gets the mark', async () => {
    const other = await ctx.openAnother();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? other : ctx.store).dedupe.claim(mark, `p${i}`, START.toISOString())));
    expect(results.filter((r) => r.state === 'claimed')).toHaveLength(1);
  });

  test('takeOver: only from the owner named, only while running, one winner', async () => {
    const d = ctx.store.dedupe;
    await d.claim(mark, 'dead', START.toISOString());
    expect(await d.takeOver(mark, 'someone-else', 'p2', START.toISOString())).toBe(false);
    const wins = await Promise.all([d.takeOver(mark, 'dead', 'p2', START.toISOString()), d.takeOver(mark, 'dead', 'p3', START.toISOString())]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    const winner = wins[0] ? 'p2' : 'p3';
    expect(await d.claim(mark, 'p4', START.toISOString())).toEqual({ state: 'running', owner: winner });
    await d.markDone(mark, winner);
    expect(await d.takeOver(mark, winner, 'p5', START.toISOString())).toBe(false);
  });

  test('release removes the mark for its owner only; prune forgets old marks', async () => {
    const d = ctx.store.dedupe;
    await d.claim(mark, 'p1', START.toISOString());
    await d.release(mark, 'p2');
    expect((await d.claim(mark, 'p9', START.toISOString())).state).toBe('running');
    await d.release(mark, 'p1');
    expect(await d.claim(mark, 'p2', START.toISOString())).toEqual({ state: 'claimed' });
    await d.claim({ ...mark, activityId: 'new' }, 'p2', new Date(START.getTime() + 86_400_000).toISOString());
    expect(await d.prune(new Date(START.getTime() + 1000).toISOString())).toBe(1);
    expect((await d.claim({ ...mark, activityId: 'new' }, 'p3', START.toISOString())).state).toBe('running');
    expect((await d.claim(mark, 'p3', START.toISOString())).state).toBe('claimed');
  });
});
