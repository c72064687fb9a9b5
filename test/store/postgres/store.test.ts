/**
 * The PostgreSQL store with two stores (two instances) on one fresh database: what must hold when
 * instances race — one complaint per idempotency key, eTag conflicts across instances, one claim per
 * activity, group-committed Direct Line appends, migrations at a concurrent start — and the staff search
 * giving the same results as the words of src/store/search.ts say. (The behaviour of each repository on
 * its own is checked on both backends by the contract suite, test/store/contract.)
 */
import type { ComplaintInput } from '../../../src/domain/complaint';
import { EtagConflictError, openStore, searchQueryWords, type Store } from '../../../src/store';
import { postgresDbOf } from '../../../src/store/postgres';
import { describePg } from '../../helpers/pg';

const NOW = new Date('2026-11-20T10:00:00.000Z');

const input = (story: string): ComplaintInput => ({
  route: 'complaint',
  story,
  incidentDate: '2026-11-17',
  incidentDateText: 'vorige week dinsdag',
  placeKind: 'phone',
  place: 'Aan de telefoon',
  personKind: null,
  person: null,
  solution: null,
  contact: { name: 'Jan Jansen', phone: '0612345678', street: 'Dorpsstraat 12', postcode: '1182jr', city: 'Amstelveen', email: null },
  callback: null,
});
const origin = (conversationId: string) => ({ locale: 'nl' as const, channel: 'test', conversationId });

describePg('PostgreSQL store, two instances on one database', (pg) => {
  let a: Store;
  let b: Store;

  beforeAll(async () => {
    // both start at once: migrations run once, under the advisory lock
    [a, b] = await Promise.all([openStore(pg.url, { clock: () => NOW }), openStore(pg.url, { clock: () => NOW })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  test('one complaint per idempotency key when two instances file it at the same moment', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).complaints.file({ input: input('De stoep is al maanden kapot.'), origin: origin('race-1'), idempotencyKey: 'race-key' })),
    );
    expect(new Set(results.map((r) => r.reference)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await a.complaints.listByConversation({ channelId: 'test', conversationId: 'race-1' })).toHaveLength(1);
    const c = await b.complaints.getByReference(results[0].reference);
    expect(c).toMatchObject({ id: expect.any(Number), status: 'received', contact: { phone: '+31612345678', postcode: '1182 JR' }, createdAt: NOW.toISOString() });
  });

  test('a stale eTag from another instance is refused and writes nothing of the batch', async () => {
    const conv = { channelId: 'test', conversationId: 'state-1' };
    await a.conversationState.write([{ key: 'k1', data: { n: 1 }, conversation: conv }]);
    const [read] = await b.conversationState.read(['k1']);
    await a.conversationState.write([{ key: 'k1', data: { n: 2 }, eTag: read.eTag, conversation: conv }]);
    await expect(
      b.conversationState.write([
        { key: 'k2', data: { x: true }, conversation: conv },
        { key: 'k1', data: { n: 3 }, eTag: read.eTag, conversation: conv },
      ]),
    ).rejects.toBeInstanceOf(EtagConflictError);
    expect((await b.conversationState.read(['k1', 'k2'])).map((i) => [i.key, i.data])).toEqual([['k1', { n: 2 }]]);
    // of two instances writing with the same current eTag, exactly one wins
    const [current] = await a.conversationState.read(['k1']);
    const outcomes = await Promise.allSettled([a, b].map((s, i) => s.conversationState.write([{ key: 'k1', data: { n: 10 + i }, eTag: current.eTag, conversation: conv }])));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(EtagConflictError);
  });

  test('an activity is claimed by exactly one instance; a dead owner\'s mark is taken over once', async () => {
    const mark = { channelId: 'test', conversationId: 'dedupe-1', activityId: 'act-1' };
    const at = NOW.toISOString();
    const claims = await Promise.all([a.dedupe.claim(mark, 'owner-a', at), b.dedupe.claim(mark, 'owner-b', at), a.dedupe.claim(mark, 'owner-c', at)]);
    expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(1);
    const winner = ['owner-a', 'owner-b', 'owner-c'][claims.findIndex((c) => c.state === 'claimed')];
    expect(claims.filter((c) => c.state === 'running')).toEqual([
      { state: 'running', owner: winner },
      { state: 'running', owner: winner },
    ]);
    const takeovers = await Promise.all([a.dedupe.takeOver(mark, winner, 'owner-x', at), b.dedupe.takeOver(mark, winner, 'owner-y', at)]);
    expect(takeovers.filter(Boolean)).toHaveLength(1);
    const newOwner = takeovers[0] ? 'owner-x' : 'owner-y';
    await a.dedupe.markDone(mark, winner); // the old owner no longer holds it: no effect
    expect(await b.dedupe.claim(mark, 'owner-z', at)).toEqual({ state: 'running', owner: newOwner });
    await b.dedupe.markDone(mark, newOwner);
    expect(await a.dedupe.claim(mark, 'owner-z', at)).toEqual({ state: 'done' });
  });

  test('Direct Line: the signing key is the same on every instance; a sequence number stored by another instance rejects only that append', async () => {
    const [ka, kb] = await Promise.all([a.directLine.signingKey(), b.directLine.signingKey()]);
    expect(ka.equals(kb)).toBe(true);
    expect(ka).toHaveLength(32);
    expect(await a.directLine.createConversation({ id: 'dl-1', userId: 'u1', locale: 'nl', now: 1000 })).toBe(true);
    expect(await b.directLine.createConversation({ id: 'dl-1', userId: 'u2', locale: null, now: 2000 })).toBe(false);
    await a.directLine.append('dl-1', 1, '{"n":1}');
    const results = await Promise.allSettled([b.directLine.append('dl-1', 1, '{"n":"again"}'), b.directLine.append('dl-1', 2, '{"n":2}'), b.directLine.append('dl-2', 1, '{"other":1}')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(await a.directLine.activitiesAfter('dl-1', 0, 10)).toEqual([
      { seq: 1, json: '{"n":1}' },
      { seq: 2, json: '{"n":2}' },
    ]);
    expect(await b.directLine.lastSeq('dl-1')).toBe(2);
    await b.directLine.touch('dl-1', 5000);
    await a.directLine.touch('dl-1', 3000); // never back in time
    expect(await a.directLine.getConversation('dl-1')).toEqual({ id: 'dl-1', userId: 'u1', locale: 'nl', createdAt: 1000, lastActiveAt: 5000, endedAt: null });
  });

  test('staff search: whole words (the last also as a prefix), case and accents folded, no stemming or stop words; what the citizen says later is found', async () => {
    const conv = { channelId: 'test', conversationId: 'search-1' };
    const { reference } = await a.complaints.file({ input: input('De Café-eigenaar kreeg geen antwoord over de vergunning.'), origin: origin('search-1'), idempotencyKey: 'search-1' });
    const other = await a.complaints.file({ input: input('Klachten over het afval in de straat, al weken.'), origin: origin('search-2'), idempotencyKey: 'search-2' });
    const found = async (q: string) => (await b.staff.list({ search: searchQueryWords(q), limit: 20 })).map((r) => r.reference);
    expect(await found('cafe')).toEqual([reference]);
    expect(await found('CAFÉ eigenaar')).toEqual([reference]);
    expect(await found('vergun')).toEqual([reference]); // the last word also as a prefix
    expect(await found('vergun eigenaar')).toEqual([]); // a word before the last is whole
    expect(await found('klacht')).toEqual([other.reference]); // 'klachten' by prefix
    expect(await found('klachtje')).toEqual([]); // no stemming
    expect(await found('klachten')).toEqual([other.reference]);
    expect(await found('over')).toEqual([other.reference, reference]); // no stop words ('over' is one in Dutch); newest first
    expect(await found('café parkeren')).toEqual([]); // every word required
    // the citizen says more in the conversation after filing (another instance logs it)
    await b.transcripts.append([
      { channelId: 'test', conversationId: 'search-1', activityId: 'm1', type: 'message', role: 'user', timestamp: NOW.toISOString(), loggedAt: NOW.toISOString(), data: JSON.stringify({ type: 'message', text: 'Ook het parkeren was een probleem' }) },
      { channelId: 'test', conversationId: 'search-1', activityId: 'm2', type: 'message', role: 'bot', timestamp: NOW.toISOString(), loggedAt: NOW.toISOString(), data: JSON.stringify({ type: 'message', text: 'Dank u, fietsen' }) },
    ]);
    expect(await found('café parkeren')).toEqual([reference]);
    expect(await found('fietsen')).toEqual([]); // the bot's own words are not indexed
    expect(await a.transcripts.all(conv)).toHaveLength(2);
    // a SQL-looking or tsquery-looking query is just words
    expect(await found("'; DROP TABLE complaints; -- & | ! :* \\")).toEqual([]);
    expect(await a.complaints.count()).toBeGreaterThanOrEqual(3);
  });

  test('search pages newest first, alone and with filters', async () => {
    const refs: string[] = [];
    for (let i = 0; i < 5; i++) {
      refs.push((await a.complaints.file({ input: input(`Paginering ${i}: de lantaarnpaal brandt niet.`), origin: origin(`page-${i}`), idempotencyKey: `page-${i}` })).reference);
    }
    const words = searchQueryWords('lantaarnpaal');
    const page1 = await b.staff.list({ search: words, limit: 2 });
    expect(page1.map((r) => r.reference)).toEqual([refs[4], refs[3]]);
    const last = page1[1];
    const page2 = await b.staff.list({ search: words, limit: 2, after: { createdAt: last.createdAt, id: last.id } });
    expect(page2.map((r) => r.reference)).toEqual([refs[2], refs[1]]);
    // with a filter (the other query shape): the same order and paging
    const h = await a.staff.getHandling(refs[3]);
    await a.staff.changeStatus({ id: h!.id, from: 'received', to: 'informal', actor: 'x', note: '', at: NOW.toISOString() });
    expect((await b.staff.list({ search: words, status: 'received', limit: 2 })).map((r) => r.reference)).toEqual([refs[4], refs[2]]);
    expect((await b.staff.list({ search: words, status: 'received', limit: 5, after: { createdAt: last.createdAt, id: page1[0].id } })).map((r) => r.reference)).toEqual([refs[2], refs[1], refs[0]]);
    expect((await b.staff.list({ search: words, reference: refs[1], limit: 5 })).map((r) => r.reference)).toEqual([refs[1]]);
    expect(page1[0]).toMatchObject({ status: 'received', route: 'complaint', locale: 'nl', channel: 'test', name: 'Jan Jansen', excerpt: 'Paginering 4: de lantaarnpaal brandt niet.', extendedAt: null, resolvedAt: null });
  });

  test('the search of a complaint filed after the conversation includes what the citizen typed before', async () => {
    await a.transcripts.append([
      { channelId: 'test', conversationId: 'search-3', activityId: 'x1', type: 'message', role: 'user', timestamp: NOW.toISOString(), loggedAt: NOW.toISOString(), data: JSON.stringify({ type: 'message', text: 'Mijn container is niet geleegd (Zonnebloemlaan)' }) },
    ]);
    const { reference } = await b.complaints.file({ input: input('Het afval werd niet opgehaald, twee keer.'), origin: origin('search-3'), idempotencyKey: 'search-3' });
    expect((await a.staff.list({ search: searchQueryWords('zonnebloemlaan container'), limit: 5 })).map((r) => r.reference)).toEqual([reference]);
    // deleting the complaint removes its search document
    await a.transaction(async (tx) => {
      const h = await a.staff.getHandling(reference, tx);
      for (const p of a.retention.participants()) await p.purgeComplaint({ id: h!.id, reference }, tx);
    });
    expect(await a.staff.list({ search: searchQueryWords('zonnebloemlaan'), limit: 5 })).toEqual([]);
    expect((await postgresDbOf(a).one<{ n: number }>('SELECT count(*) AS n FROM complaint_search s LEFT JOIN complaints c ON c.id = s.complaint_id WHERE c.id IS NULL'))!.n).toBe(0);
  });

  test('a NUL character (which PostgreSQL text cannot hold) neither breaks filing nor the search', async () => {
    const conv = { channelId: 'test', conversationId: 'nul-1' };
    await a.transcripts.append([
      { ...conv, activityId: 'n1', type: 'message', role: 'user', timestamp: NOW.toISOString(), loggedAt: NOW.toISOString(), data: JSON.stringify({ type: 'message', text: 'plak\u0000werk Boomgaard' }) },
    ]);
    const { reference } = await a.complaints.file({ input: input('Ik plakte dit: iets\u0000raars in het formulier.'), origin: origin('nul-1'), idempotencyKey: 'nul-1' });
    const c = await b.complaints.getByReference(reference);
    expect(c!.story).not.toContain('\u0000');
    expect(c!.story).toMatch(/^Ik plakte dit: iets.raars in het formulier\.$/);
    expect(JSON.parse((await b.transcripts.all(conv))[0]).text).toBe('plak\u0000werk Boomgaard'); // JSON keeps it, escaped
    expect((await b.staff.list({ search: searchQueryWords('boomgaard raars'), limit: 5 })).map((r) => r.reference)).toEqual([reference]);
    await a.conversationState.write([{ key: 'nul\u0000key', data: { t: 'a\u0000b' }, conversation: conv }]);
    expect((await b.conversationState.read(['nul\u0000key']))[0].data).toEqual({ t: 'a\u0000b' });
  });

  test('status changes of one complaint from two instances are serialised by the row lock', async () => {
    const { reference } = await a.complaints.file({ input: input('Niemand belde terug na mijn melding.'), origin: origin('lock-1'), idempotencyKey: 'lock-1' });
    const change = (s: Store, to: 'informal' | 'formal') =>
      s.transaction(async (tx) => {
        const h = await s.staff.getHandling(reference, tx);
        if (h!.status !== 'received') return false; // only from received, as the staff service checks
        await new Promise((r) => setTimeout(r, 50)); // hold the lock a while
        await s.staff.changeStatus({ id: h!.id, from: h!.status, to, actor: 'x', note: '', at: NOW.toISOString() }, tx);
        return true;
      });
    const done = await Promise.all([change(a, 'informal'), change(b, 'formal')]);
    expect(done.filter(Boolean)).toHaveLength(1);
    const h = await a.staff.getHandling(reference);
    expect(await b.staff.history(h!.id)).toHaveLength(1);
  });
});
