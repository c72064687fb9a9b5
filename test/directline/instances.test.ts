/**
 * The Direct Line service as two instances on one PostgreSQL database, in one test process: two
 * stores (two pools, two coordination connections), two services, two adapters, one slow echo bot
 * that notes how many of its turns run at once. What the real processes test end to end
 * (test/multi/directline.test.ts), here with the numbers checked exactly:
 * - both instances made the same signing key at the same first start; a token of one verifies on
 *   the other;
 * - messages posted on both instances at once to one conversation: its turns never overlap, every
 *   activity gets its own sequence number (1..n, no gap, no repeat), and a stream on either instance
 *   gets all of them in order, each once;
 * - a stream on an instance whose notification connection dropped misses nothing (read again after);
 * - a message sent again to the other instance after it was answered (same clientActivityID) runs once;
 * - ending idle conversations runs on one instance at a time, and the other closes its streams.
 */
import { ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { createLogger } from '../../src/logger';
import { DirectLineService, type StreamSink } from '../../src/directline/service';
import { LocalChannelAdapter } from '../../src/directline/localChannelAdapter';
import { TokenService } from '../../src/directline/tokens';
import { openStore, type Store } from '../../src/store';
import type { PgCoordination } from '../../src/store/postgres/coordination';
import { describePg } from '../helpers/pg';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Sink implements StreamSink {
  readonly frames: { activities: { id: string; type: string; text?: string; from: { role?: string } }[]; watermark: string }[] = [];
  closed?: { code: number; reason: string };
  send(frame: string): void {
    this.frames.push(JSON.parse(frame));
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  get activities() {
    return this.frames.flatMap((f) => f.activities);
  }
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describePg('the Direct Line service on two instances of one database', (pg) => {
  const log = createLogger('silent');
  let stores: Store[] = [];
  let services: DirectLineService[] = [];
  let tokens: TokenService[] = [];
  /** turns of the echo bot running now, and the most at once, per conversation */
  const running = new Map<string, number>();
  const most = new Map<string, number>();

  const logic = async (context: TurnContext) => {
    const conv = context.activity.conversation.id;
    running.set(conv, (running.get(conv) ?? 0) + 1);
    most.set(conv, Math.max(most.get(conv) ?? 0, running.get(conv)!));
    try {
      await sleep(15);
      if (context.activity.type === 'message') await context.sendActivity(`echo ${context.activity.text}`);
    } finally {
      running.set(conv, running.get(conv)! - 1);
    }
  };

  beforeAll(async () => {
    // both at once on the empty database: migrations and the signing key made by two at the same time
    stores = await Promise.all([openStore(pg.url, { log }), openStore(pg.url, { log })]);
    const keys = await Promise.all(stores.map((s) => s.directLine.signingKey()));
    expect(keys[0].equals(keys[1])).toBe(true);
    tokens = keys.map((k) => new TokenService(k, 3600));
    services = stores.map(
      (store, i) =>
        new DirectLineService({
          store: store.directLine,
          coordination: store.coordination,
          tokens: tokens[i],
          adapter: new LocalChannelAdapter(new ConfigurationBotFrameworkAuthentication({})),
          logic,
          bot: { id: 'bot', name: 'Bot', role: 'bot' } as never,
          log,
          limits: { maxActivitiesPerMinute: 1000 },
        }),
    );
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
    await Promise.all(stores.map((s) => s.close()));
  });

  test('a token made on one instance verifies on the other', () => {
    const t = services[0].generateToken(undefined, {}, '10.0.0.1');
    const principal = services[1].authenticate(`Bearer ${t.token}`);
    expect(principal).toMatchObject({ kind: 'token', claims: { conv: t.conversationId } });
  });

  test('posts on both instances at once: turns one at a time, sequence numbers 1..n, every stream gets each activity once, in order', async () => {
    const [a, b] = services;
    const t = a.generateToken(undefined, {}, '10.0.0.2');
    const principal = a.authenticate(`Bearer ${t.token}`);
    const { info } = await a.startConversation(principal, {}, '10.0.0.2');
    const conv = info.conversationId;
    const claims = tokens[1].verify(info.streamToken);
    if (!claims.ok) throw new Error('stream token');
    const sinkB = new Sink();
    const sinkA = new Sink();
    await b.subscribe(claims.claims, '', sinkB, '10.0.0.2');
    await a.subscribe(claims.claims, '', sinkA, '10.0.0.2');
    const n = 12;
    const posts = await Promise.all(
      Array.from({ length: n }, (_, i) => services[i % 2].postActivity(principal, conv, { type: 'message', text: `m${i}`, from: { id: 'x' } })),
    );
    // the welcome's conversationUpdate turn, and n message turns, never two at a time
    expect(most.get(conv)).toBe(1);
    // each post: its echo and the bot's echo reply; stored with seq 1..2n
    const stored = await stores[1].directLine.activitiesAfter(conv, 0, 1000);
    expect(stored.map((r) => r.seq)).toEqual(Array.from({ length: 2 * n }, (_, i) => i + 1));
    const ids = stored.map((r) => (JSON.parse(r.json) as { id: string }).id);
    for (const p of posts) expect(ids).toContain(p.id);
    // each echo is followed by the bot's answer to it: turns did not interleave
    const texts = stored.map((r) => JSON.parse(r.json) as { text: string; from: { role?: string } });
    for (let i = 0; i < texts.length; i += 2) expect(texts[i + 1].text).toBe(`echo ${texts[i].text}`);
    for (const sink of [sinkA, sinkB]) {
      await until(() => sink.activities.length === 2 * n);
      await sleep(100);
      expect(sink.activities.map((x) => x.id)).toEqual(ids);
      const marks = sink.frames.map((f) => Number(f.watermark));
      expect(marks).toEqual([...marks].sort((x, y) => x - y));
      expect(marks[marks.length - 1]).toBe(2 * n);
    }
    // a poll on either instance gives the same
    for (const s of services) {
      const set = JSON.parse(await s.getActivities(principal, conv, '')) as { activities: { id: string }[] };
      expect(set.activities.map((x) => x.id)).toEqual(ids);
    }
  }, 60_000);

  test('an instance whose notification connection dropped reads the store again when it is back: its stream misses nothing', async () => {
    const [a, b] = services;
    const t = a.generateToken(undefined, {}, '10.0.0.4');
    const principal = a.authenticate(`Bearer ${t.token}`);
    const { info } = await a.startConversation(principal, {}, '10.0.0.4');
    const claims = tokens[1].verify(info.streamToken);
    if (!claims.ok) throw new Error('stream token');
    const sinkB = new Sink();
    await b.subscribe(claims.claims, '', sinkB, '10.0.0.4');
    await a.postActivity(principal, info.conversationId, { type: 'message', text: 'voor', from: { id: 'x' } });
    await until(() => sinkB.activities.length === 2);
    // B's listening connection drops; what A writes meanwhile is announced to nobody on B
    (stores[1].coordination as PgCoordination).simulateConnectionLoss();
    for (const text of ['tijdens 1', 'tijdens 2']) await a.postActivity(principal, info.conversationId, { type: 'message', text, from: { id: 'x' } });
    await until(() => sinkB.activities.length === 6);
    expect(sinkB.activities.map((x) => x.text)).toEqual(['voor', 'echo voor', 'tijdens 1', 'echo tijdens 1', 'tijdens 2', 'echo tijdens 2']);
  }, 60_000);

  test('a message sent again (same clientActivityID) to the other instance after it was answered: the same id, no second turn', async () => {
    const [a, b] = services;
    const t = a.generateToken(undefined, {}, '10.0.0.5');
    const principal = a.authenticate(`Bearer ${t.token}`);
    const { info } = await a.startConversation(principal, {}, '10.0.0.5');
    const conv = info.conversationId;
    const message = { type: 'message', text: 'eens', from: { id: 'x' }, channelData: { clientActivityID: 'web-1' } };
    const first = await a.postActivity(principal, conv, message);
    const again = await b.postActivity(principal, conv, message);
    expect(again.id).toBe(first.id);
    const stored = await stores[0].directLine.activitiesAfter(conv, 0, 100);
    expect(stored.map((r) => (JSON.parse(r.json) as { text: string }).text)).toEqual(['eens', 'echo eens']);
    // another message is a new turn
    await b.postActivity(principal, conv, { ...message, text: 'twee', channelData: { clientActivityID: 'web-2' } });
    expect(await stores[0].directLine.lastSeq(conv)).toBe(4);
  }, 60_000);

  test('the idle sweep runs on one instance at a time; the other closes its streams for what ended', async () => {
    const [a, b] = services;
    const t = a.generateToken(undefined, {}, '10.0.0.3');
    const principal = a.authenticate(`Bearer ${t.token}`);
    const { info } = await a.startConversation(principal, {}, '10.0.0.3');
    await a.postActivity(principal, info.conversationId, { type: 'message', text: 'hallo', from: { id: 'x' } });
    const claims = tokens[1].verify(info.streamToken);
    if (!claims.ok) throw new Error('stream token');
    const sinkB = new Sink();
    await b.subscribe(claims.claims, '', sinkB, '10.0.0.3');
    // far in the future: every conversation is idle; both instances sweep at the same moment
    const later = Date.now() + 24 * 3600_000;
    const [ra, rb] = await Promise.all([a.sweep(later), b.sweep(later)]);
    expect(ra.ended + rb.ended).toBeGreaterThanOrEqual(2); // this one and the one of the test before
    expect(Math.min(ra.ended, rb.ended)).toBe(0); // one instance did it
    await until(() => sinkB.closed !== undefined);
    expect(sinkB.closed).toEqual({ code: 1000, reason: 'conversation ended' });
    await expect(b.postActivity(principal, info.conversationId, { type: 'message', text: 'nog iets', from: { id: 'x' } })).rejects.toMatchObject({ status: 404 });
  }, 60_000);
});
