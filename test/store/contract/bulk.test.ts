/** Contract: the bulk loader (benchmarks) stores what the repositories then read, searchable after finish(). */
import { searchQueryWords } from '../../../src/store/search';
import type { SeedComplaint } from '../../../src/store/types';
import { describeStores, START } from './backends';

function seed(i: number, status: SeedComplaint['status'], story: string, said: string): SeedComplaint {
  const createdAt = new Date(START.getTime() + i * 60_000).toISOString();
  const conv = { channelId: 'emulator', conversationId: `bench-${i}` };
  return {
    reference: `KL-2026-BENCH${i}`,
    idempotencyKey: `bench/${i}`,
    status,
    route: 'complaint',
    locale: 'nl',
    channel: conv.channelId,
    conversationId: conv.conversationId,
    story,
    incidentDateText: 'vorige week',
    placeKind: 'phone',
    place: 'aan de telefoon',
    personKind: null,
    person: null,
    name: `${['Anna', 'Bert', 'Carla'][i - 1]} Jansen`,
    phone: '+31612345678',
    street: 'Dorpsstraat 1',
    postcode: '1182 JR',
    city: 'Amstelveen',
    createdAt,
    resolvedAt: status === 'resolved' ? new Date(START.getTime() + 86_400_000).toISOString() : null,
    transcript: [
      { ...conv, activityId: `${i}-0`, type: 'message', role: 'bot', timestamp: createdAt, loggedAt: createdAt, data: JSON.stringify({ type: 'message', text: 'Wat is er gebeurd?', from: { role: 'bot' } }) },
      { ...conv, activityId: `${i}-1`, type: 'message', role: 'user', timestamp: createdAt, loggedAt: createdAt, data: JSON.stringify({ type: 'message', text: said, from: { role: 'user' } }) },
    ],
  };
}

describeStores('bulk loading', (ctx) => {
  test('loaded complaints are read, listed and searched like filed ones; the index follows later words', async () => {
    const bulk = ctx.store.bulk;
    expect(bulk).toBeDefined();
    await bulk!.load([seed(1, 'received', 'Het paspoort lag nog bij de balie.', 'Mijn naam is Pietersen'), seed(2, 'resolved', 'De vuilnisbak werd niet geleegd.', 'Al drie weken')]);
    await bulk!.load([seed(3, 'formal', 'Niemand nam de telefoon op over het paspoort.', 'ik belde tien keer')]);
    await bulk!.finish();
    expect(await ctx.store.complaints.count()).toBe(3);
    expect((await ctx.store.complaints.getByReference('KL-2026-BENCH1'))?.contact).toMatchObject({ name: 'Anna Jansen', postcode: '1182 JR' });
    expect((await ctx.store.staff.list({ limit: 10 })).map((r) => r.reference)).toEqual(['KL-2026-BENCH3', 'KL-2026-BENCH2', 'KL-2026-BENCH1']);
    const search = async (q: string) => (await ctx.store.staff.list({ search: searchQueryWords(q), limit: 10 })).map((r) => r.reference);
    expect(await search('paspoort')).toEqual(['KL-2026-BENCH3', 'KL-2026-BENCH1']);
    expect(await search('pietersen')).toEqual(['KL-2026-BENCH1']);
    expect(await search('gebeurd')).toEqual([]); // the bot's words
    expect((await ctx.store.staff.getHandling('KL-2026-BENCH2'))?.resolvedAt).toBe(new Date(START.getTime() + 86_400_000).toISOString());
    expect(await ctx.store.transcripts.all({ channelId: 'emulator', conversationId: 'bench-2' })).toHaveLength(2);
    expect((await ctx.store.transcripts.listConversations('emulator', { limit: 10 })).map((r) => r.conversationId)).toEqual(['bench-1', 'bench-2', 'bench-3']);
    // afterwards, filing and saying more keep the index current as usual
    await ctx.store.transcripts.append([
      { channelId: 'emulator', conversationId: 'bench-2', activityId: 'x', type: 'message', role: 'user', timestamp: START.toISOString(), loggedAt: START.toISOString(), data: JSON.stringify({ type: 'message', text: 'ook de glasbak' }) },
    ]);
    expect(await search('glasbak')).toEqual(['KL-2026-BENCH2']);
  });
});
