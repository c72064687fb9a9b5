/**
 * The built-in Direct Line over two server processes on one PostgreSQL database, as behind a load
 * balancer without sticky sessions:
 * - a conversation started on instance A (A's page token) is streamed on instance B (a streamUrl from
 *   B: A's token verifies on B): B's WebSocket gets the welcome A's turn wrote, the bot's replies to
 *   activities posted on B, and those to activities posted on A; A's stream gets B's as well;
 * - after A is killed with kill -9 the conversation goes on through B: posts, stream and polls, until
 *   the complaint is filed, exactly once;
 * - the stream and the polls hold the same activities in the same order, each once, with watermarks
 *   that only go up.
 */
import type { ServerProcess } from '../helpers/serverProcess';
import { describePg } from '../helpers/pg';
import { DirectLineClient, fileComplaint, query, startInstances, type BotReply, type Stream } from './helpers';

describePg('two instances on one PostgreSQL database: the built-in Direct Line', (pg) => {
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    servers = await startInstances(2, pg.url);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  test('started on A, streamed on B, posted on both; after A is killed (kill -9) it goes on through B until the complaint is filed once', async () => {
    const [a, b] = servers;
    const citizen = new DirectLineClient('127.0.0.20');
    await citizen.start(a.url);
    const onB = await citizen.stream(b.url);
    const onA = await citizen.stream(a.url);
    const streams: Stream[] = [onB, onA];
    let killed = false;
    const posted: { on: 'A' | 'B'; id: string }[] = [];

    /** the bot's messages after the activity `id` on stream `s`, once it has been quiet for 300 ms */
    const repliesAfter = async (s: Stream, id: string | undefined): Promise<BotReply[]> => {
      const after = () => {
        const at = id === undefined ? -1 : s.activities.findIndex((x) => x.id === id);
        if (id !== undefined && at < 0) return [];
        return s.activities.slice(at + 1).filter((x) => x.type === 'message' && x.from.role === 'bot');
      };
      await s.until(() => after().length > 0);
      let n = -1;
      while (n !== s.activities.length) {
        n = s.activities.length;
        await new Promise((r) => setTimeout(r, 300));
      }
      return after();
    };

    const { reference } = await fileComplaint(async (i, text) => {
      if (text === undefined) return repliesAfter(onB, undefined); // the welcome, written by A's turn, on B's stream
      if (i === 4) {
        // A dies between two turns, its stream with it
        a.kill('SIGKILL');
        expect(await a.exited).toEqual({ code: null, signal: 'SIGKILL' });
        killed = true;
        await onA.until(() => true).catch(() => undefined);
      }
      const on = !killed && i % 2 === 1 ? 'A' : 'B';
      const id = await citizen.say((on === 'A' ? a : b).url, text);
      posted.push({ on, id });
      const replies = await repliesAfter(onB, id);
      // while A lives, its stream gets the same
      if (!killed) expect((await repliesAfter(onA, id)).map((r) => r.text)).toEqual(replies.map((r) => r.text));
      return replies;
    });
    expect(posted.filter((p) => p.on === 'A').length).toBeGreaterThanOrEqual(1);
    expect(posted.filter((p) => p.on === 'B').length).toBeGreaterThan(3);
    expect(killed).toBe(true);
    expect(onA.closed).toBeDefined();

    // exactly one complaint, the one the citizen was told
    const rows = await query<{ reference: string }>(pg.url, "SELECT reference FROM complaints WHERE channel = 'directline'");
    expect(rows.map((r) => r.reference)).toEqual([reference]);

    // B's stream and a poll of B: the same activities, same order, each once; watermarks go up
    const polled = [];
    for (;;) {
      const page = await citizen.poll(b.url);
      if (page.length === 0) break;
      polled.push(...page);
    }
    const ids = onB.activities.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(polled.map((x) => x.id));
    expect(onB.watermarks).toEqual([...onB.watermarks].sort((x, y) => x - y));
    // every message the citizen posted is there, on whichever instance it was posted
    for (const p of posted) expect(ids).toContain(p.id);
    for (const s of streams) s.close();
  }, 300_000);
});
