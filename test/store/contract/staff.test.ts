/** Contract: staff handling (list, search, status changes, history) and the retention registry. */
import { searchQueryWords } from '../../../src/store/search';
import type { ConversationRef, Store, TranscriptEntry } from '../../../src/store/types';
import { describeStores, START, type Ctx } from './backends';
import { input, origin } from './fixtures';

function said(conv: ConversationRef, n: number, role: 'user' | 'bot', text: string, type = 'message'): TranscriptEntry {
  const data = JSON.stringify({ type, id: `${conv.conversationId}-${n}`, channelId: conv.channelId, conversation: { id: conv.conversationId }, from: { id: role, role }, text });
  return { ...conv, activityId: `${conv.conversationId}-${n}`, type, role, timestamp: START.toISOString(), loggedAt: START.toISOString(), data };
}

async function file(ctx: Ctx, conversationId: string, story: string, extra: Partial<typeof input> = {}, at?: Date): Promise<{ reference: string; id: number }> {
  if (at) ctx.now = at;
  const { reference } = await ctx.store.complaints.file({ input: { ...input, ...extra, story }, origin: { ...origin, conversationId }, idempotencyKey: conversationId });
  const c = await ctx.store.complaints.getByReference(reference);
  return { reference, id: c!.id };
}

const refs = async (store: Store, search: string, limit = 20) => (await store.staff.list({ search: searchQueryWords(search), limit })).map((r) => r.reference);

describeStores('staff search', (ctx) => {
  test('whole words of story and citizen text; case and diacritics folded; the last word also as a prefix, no stemming, no stop words; all words required; newest first', async () => {
    const conv = { channelId: 'test', conversationId: 'a' };
    await ctx.store.transcripts.append([
      said(conv, 0, 'bot', 'Waar gaat uw klacht over? Bedankt voor uw geduld.'),
      said(conv, 1, 'user', 'Mijn naam is PIETERSEN, ik woon aan de Rembrandtweg'),
      said(conv, 2, 'user', 'onzichtbaar', 'event'),
    ]);
    const a = await file(ctx, 'a', 'Het paspoort was kwijt bij de balie van het Café-loket, nummer 12345.');
    const b = await file(ctx, 'b', 'Klachten over de vuilnisophaal: de container bleef staan.', {}, new Date(START.getTime() + 60_000));
    expect(await refs(ctx.store, 'paspoort')).toEqual([a.reference]);
    expect(await refs(ctx.store, 'Pietersen rembrandtweg')).toEqual([a.reference]); // the citizen's words, any case
    expect(await refs(ctx.store, 'cafe')).toEqual([a.reference]); // diacritics folded
    expect(await refs(ctx.store, 'CAFÉ loket')).toEqual([a.reference]);
    expect(await refs(ctx.store, '12345')).toEqual([a.reference]);
    expect(await refs(ctx.store, 'geduld')).toEqual([]); // the bot's words are not searched
    expect(await refs(ctx.store, 'onzichtbaar')).toEqual([]); // only messages
    expect(await refs(ctx.store, 'pasp')).toEqual([a.reference]); // the last word is also a prefix
    expect(await refs(ctx.store, 'pasp loket')).toEqual([]); // ... only the last one
    expect(await refs(ctx.store, 'klacht de')).toEqual([]); // no stemming
    expect(await refs(ctx.store, 'klacht')).toEqual([b.reference]); // 'klachten', by prefix
    expect(await refs(ctx.store, 'klachten')).toEqual([b.reference]);
    expect(await refs(ctx.store, 'de')).toEqual([b.reference, a.reference]); // stop words count; newest first
    expect(await refs(ctx.store, 'paspoort container')).toEqual([]); // every word required
    expect(await refs(ctx.store, 'de', 1)).toEqual([b.reference]);
    const page2 = await ctx.store.staff.list({ search: ['de'], after: { createdAt: 'x', id: b.id }, limit: 5 });
    expect(page2.map((r) => r.reference)).toEqual([a.reference]);
  });

  test('what the citizen says after filing becomes searchable; a complaint purged is no longer found', async () => {
    const conv = { channelId: 'test', conversationId: 'later' };
    const c = await file(ctx, 'later', 'Ik kreeg geen antwoord op mijn brief over de parkeervergunning.');
    expect(await refs(ctx.store, 'bezwaarschrift')).toEqual([]);
    await ctx.store.transcripts.append([said(conv, 0, 'user', 'Ik stuurde ook een bezwaarschrift')]);
    expect(await refs(ctx.store, 'bezwaarschrift')).toEqual([c.reference]);
    expect(await refs(ctx.store, 'parkeervergunning')).toEqual([c.reference]);
    await ctx.store.transaction(async (tx) => {
      for (const p of ctx.store.retention.participants()) await p.purgeComplaint(c, tx);
    });
    expect(await refs(ctx.store, 'parkeervergunning')).toEqual([]);
    expect(await refs(ctx.store, 'bezwaarschrift')).toEqual([]);
  });
});

describeStores('staff list and handling', (ctx) => {
  test('list: newest first with summary fields, filters, reference, paging', async () => {
    const long = `${'Een heel lang verhaal over de balie. '.repeat(10)}Einde.`;
    const a = await file(ctx, 'a', long, { route: 'care' }, new Date('2026-01-10T10:00:00.000Z'));
    const b = await file(ctx, 'b', 'Tweede klacht over de telefoon en het wachten.', {}, new Date('2026-02-10T10:00:00.000Z'));
    const c = await file(ctx, 'c', 'Derde klacht over de website die niet werkte.', {}, new Date('2026-02-10T10:00:00.000Z'));
    const all = await ctx.store.staff.list({ limit: 10 });
    expect(all.map((r) => r.reference)).toEqual([c.reference, b.reference, a.reference]);
    expect(all[2]).toEqual({
      id: a.id,
      reference: a.reference,
      status: 'received',
      route: 'care',
      locale: 'nl',
      channel: 'test',
      name: 'Jan Jansen',
      excerpt: long.slice(0, 160),
      createdAt: '2026-01-10T10:00:00.000Z',
      updatedAt: '2026-01-10T10:00:00.000Z',
      extendedAt: null,
      resolvedAt: null,
      version: 1,
      assignee: null,
      department: null,
      handler: null,
      category: null,
      outcome: null,
      intakeChannel: 'chat',
      receivedAt: '2026-01-10T10:00:00.000Z',
    });
    expect((await ctx.store.staff.list({ route: 'care', limit: 10 })).map((r) => r.reference)).toEqual([a.reference]);
    expect((await ctx.store.staff.list({ createdFrom: '2026-02-01T00:00:00.000Z', limit: 10 })).map((r) => r.id)).toEqual([c.id, b.id]);
    expect((await ctx.store.staff.list({ createdBefore: '2026-02-10T10:00:00.000Z', limit: 10 })).map((r) => r.id)).toEqual([a.id]);
    expect((await ctx.store.staff.list({ reference: b.reference, limit: 10 })).map((r) => r.id)).toEqual([b.id]);
    expect(await ctx.store.staff.list({ reference: b.reference, route: 'care', limit: 10 })).toEqual([]);
    const page1 = await ctx.store.staff.list({ limit: 2 });
    const page2 = await ctx.store.staff.list({ limit: 2, after: { createdAt: page1[1].createdAt, id: page1[1].id } });
    expect([...page1, ...page2].map((r) => r.id)).toEqual([c.id, b.id, a.id]);
  });

  test('status changes and extensions: handling, history, resolvedAt, updated_at; overdue and status filters; resolvedBefore', async () => {
    const old = await file(ctx, 'old', 'Een oude klacht over de balie van het stadhuis.', {}, new Date('2026-01-05T10:00:00.000Z'));
    const fresh = await file(ctx, 'fresh', 'Een nieuwe klacht over de balie van het stadhuis.', {}, new Date('2026-11-20T10:00:00.000Z'));
    const h = await ctx.store.staff.getHandling(old.reference);
    expect(h).toEqual({
      id: old.id,
      reference: old.reference,
      status: 'received',
      channelId: 'test',
      conversationId: 'old',
      callbackId: null,
      createdAt: '2026-01-05T10:00:00.000Z',
      extendedAt: null,
      resolvedAt: null,
    });
    await ctx.store.transaction(async (tx) => {
      const locked = await ctx.store.staff.getHandling(old.reference, tx);
      await ctx.store.staff.changeStatus({ id: locked!.id, from: 'received', to: 'formal', actor: 'alice', note: 'formeel', at: '2026-01-06T10:00:00.000Z' }, tx);
    });
    await ctx.store.staff.extend({ id: old.id, actor: 'alice', note: 'meer tijd', at: '2026-01-07T10:00:00.000Z' });
    const cut = { contact: '2026-11-18T23:00:00.000Z', decide: '2026-10-01T22:00:00.000Z', decideExtended: '2026-09-01T22:00:00.000Z' };
    expect((await ctx.store.staff.list({ overdue: { overdue: true, ...cut }, limit: 10 })).map((r) => r.id)).toEqual([old.id]);
    expect((await ctx.store.staff.list({ overdue: { overdue: false, ...cut }, limit: 10 })).map((r) => r.id)).toEqual([fresh.id]);
    await ctx.store.staff.changeStatus({ id: old.id, from: 'formal', to: 'resolved', actor: 'bob', note: 'klaar', at: '2026-02-01T10:00:00.000Z' });
    expect(await ctx.store.staff.history(old.id)).toEqual([
      { at: '2026-01-06T10:00:00.000Z', actor: 'alice', kind: 'status', from: 'received', to: 'formal', note: 'formeel' },
      { at: '2026-01-07T10:00:00.000Z', actor: 'alice', kind: 'extension', from: null, to: null, note: 'meer tijd' },
      { at: '2026-02-01T10:00:00.000Z', actor: 'bob', kind: 'status', from: 'formal', to: 'resolved', note: 'klaar' },
    ]);
    expect(await ctx.store.staff.getHandling(old.reference)).toMatchObject({ status: 'resolved', extendedAt: '2026-01-07T10:00:00.000Z', resolvedAt: '2026-02-01T10:00:00.000Z' });
    expect((await ctx.store.complaints.getByReference(old.reference))?.updatedAt).toBe('2026-02-01T10:00:00.000Z');
    expect((await ctx.store.staff.list({ overdue: { overdue: true, ...cut }, limit: 10 })).map((r) => r.id)).toEqual([]);
    expect((await ctx.store.staff.list({ status: 'resolved', limit: 10 })).map((r) => r.id)).toEqual([old.id]);
    expect((await ctx.store.staff.resolvedBefore('2026-03-01T00:00:00.000Z')).map((r) => [r.reference, r.resolvedAt])).toEqual([
      [old.reference, '2026-02-01T10:00:00.000Z'],
    ]);
    expect(await ctx.store.staff.resolvedBefore('2026-02-01T10:00:00.000Z')).toEqual([]);
    expect(await ctx.store.staff.getHandling('KL-2026-AAAAAA')).toBeUndefined();
  });

  test('getHandling inside a transaction serialises concurrent changes of one complaint across instances', async () => {
    const c = await file(ctx, 'race', 'Een klacht waarvan twee medewerkers tegelijk de status willen wijzigen.');
    const other = await ctx.openAnother();
    const attempt = (store: Store, actor: string) =>
      store
        .transaction(async (tx) => {
          const h = await store.staff.getHandling(c.reference, tx);
          if (h!.status !== 'received') throw new Error('already changed');
          await new Promise((r) => setTimeout(r, 50));
          await store.staff.changeStatus({ id: h!.id, from: 'received', to: 'informal', actor, note: '', at: START.toISOString() }, tx);
        })
        .then(() => 'ok', () => 'refused');
    const results = await Promise.all([attempt(ctx.store, 'alice'), attempt(other, 'bob')]);
    expect(results.sort()).toEqual(['ok', 'refused']);
    expect(await ctx.store.staff.history(c.id)).toHaveLength(1);
  });
});

describeStores('retention registry', (ctx) => {
  const conv = { channelId: 'test', conversationId: 'abandoned' };
  const day = (d: number) => new Date(START.getTime() + d * 86_400_000).toISOString();
  const ask = async (fn: (p: ReturnType<Store['retention']['participants']>[number]) => Promise<unknown>) =>
    Object.fromEntries(await Promise.all(ctx.store.retention.participants().map(async (p) => [p.name, await fn(p)])));

  test('every repository that holds conversation or complaint data is registered, complaints last', () => {
    const names = ctx.store.retention.participants().map((p) => p.name);
    // openStore's own participants; later modules (outbox, letters, ...) register theirs before complaints
    expect(names).toEqual(expect.arrayContaining(['callbacks', 'complaints', 'conversationState', 'dedupe', 'handling', 'staff', 'transcripts']));
    expect(names.indexOf('handling')).toBeLessThan(names.indexOf('callbacks')); // it reads the call-back requests it purges for
    expect(names[names.length - 1]).toBe('complaints');
  });

  test('a conversation without complaint: found stale by what holds it, active while anything is fresh, purged by each', async () => {
    await ctx.store.transcripts.append([{ ...said(conv, 0, 'user', 'hallo'), loggedAt: day(0) }]);
    ctx.now = new Date(day(0));
    await ctx.store.conversationState.write([
      { key: 'test/conversations/abandoned/', data: { x: 1 }, conversation: conv },
      { key: 'test/users/u1/', data: { y: 1 }, conversation: null },
    ]);
    await ctx.store.dedupe.claim({ ...conv, activityId: 'a1' }, 'p1', day(0));
    await ctx.store.callbacks.file({ request: { name: 'Jan Jansen', phone: '0612345678', date: '2026-11-25', partOfDay: 'morning' }, origin: { ...origin, conversationId: 'abandoned' }, idempotencyKey: 'cb' });
    const stale = await ask((p) => p.staleConversations(day(10)));
    expect(stale).toMatchObject({ transcripts: [conv], conversationState: [conv], dedupe: [conv], callbacks: [], staff: [], handling: [], complaints: [] });
    expect(await ask((p) => p.staleConversations(day(-1)))).toMatchObject({ transcripts: [], conversationState: [], dedupe: [], callbacks: [], staff: [], handling: [], complaints: [] });
    expect(await ask((p) => p.anchors(conv))).toMatchObject({ transcripts: false, conversationState: false, dedupe: false, callbacks: false, staff: false, handling: false, complaints: false });
    expect(await ask((p) => p.activeSince(conv, day(0)))).toMatchObject({ transcripts: true, conversationState: true, dedupe: true, callbacks: true, staff: false, handling: false, complaints: false });
    expect(await ask((p) => p.activeSince(conv, day(1)))).toMatchObject({ transcripts: false, conversationState: false, dedupe: false, callbacks: false, staff: false, handling: false, complaints: false });
    const loose = ctx.store.retention.participants().find((p) => p.name === 'callbacks')!;
    expect(await loose.countLoose!(day(1))).toBe(1);
    const purged = await ctx.store.transaction(async (tx) => ask((p) => p.purgeConversation(conv, tx)));
    expect(purged).toMatchObject({ transcripts: 1, conversationState: 1, dedupe: 1, callbacks: 1, staff: 0, handling: 0, complaints: 0 });
    expect(await ctx.store.transcripts.all(conv)).toEqual([]);
    expect((await ctx.store.conversationState.read(['test/conversations/abandoned/', 'test/users/u1/'])).map((i) => i.key)).toEqual(['test/users/u1/']);
    expect(await ctx.store.dedupe.claim({ ...conv, activityId: 'a1' }, 'p2', day(20))).toEqual({ state: 'claimed' });
    expect(await ctx.store.callbacks.listByConversation(conv)).toEqual([]);
  });

  test('a complaint anchors its conversation; purgeComplaint removes it with its handling, history and call-back', async () => {
    const c = { channelId: 'test', conversationId: 'filed' };
    const cb = await ctx.store.callbacks.file({ request: { name: 'Jan Jansen', phone: '0612345678', date: '2026-11-25', partOfDay: 'morning' }, origin: { ...origin, conversationId: 'filed' }, idempotencyKey: 'cb' });
    const { reference } = await ctx.store.complaints.file({ input, origin: { ...origin, conversationId: 'filed' }, idempotencyKey: 'filed', callbackId: cb.id });
    await ctx.store.callbacks.linkComplaint(cb.id, reference);
    const other = await ctx.store.callbacks.file({ request: { name: 'Jan Jansen', phone: '0612345678', date: '2026-11-26', partOfDay: 'morning' }, origin: { ...origin, conversationId: 'filed' }, idempotencyKey: 'cb2' });
    const h = (await ctx.store.staff.getHandling(reference))!;
    await ctx.store.staff.changeStatus({ id: h.id, from: 'received', to: 'resolved', actor: 'a', note: '', at: day(1) });
    expect(await ask((p) => p.anchors(c))).toMatchObject({ complaints: true, callbacks: true });
    await ctx.store.transaction(async (tx) => {
      for (const p of ctx.store.retention.participants()) await p.purgeComplaint({ id: h.id, reference }, tx);
    });
    expect(await ctx.store.complaints.getByReference(reference)).toBeUndefined();
    expect(await ctx.store.staff.history(h.id)).toEqual([]);
    expect(await ctx.store.staff.resolvedBefore(day(10))).toEqual([]);
    expect(await ctx.store.callbacks.get(cb.id)).toBeUndefined();
    expect((await ctx.store.callbacks.get(other.id))?.status).toBe('open'); // not the complaint's: goes with the conversation
    expect(await ask((p) => p.anchors(c))).toMatchObject({ complaints: false, callbacks: false });
  });
});
