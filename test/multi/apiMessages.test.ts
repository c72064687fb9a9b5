/**
 * Two server processes on one PostgreSQL database, driven over /api/messages by channel-style
 * listeners on loopback (as the Emulator or a Bot Framework channel delivers):
 * - a citizen whose turns alternate between the two instances files exactly one complaint;
 * - 100 concurrent conversations spread over the two instances, every activity delivered twice at
 *   the same time (once to each instance, same activity id, as a channel retrying through a load
 *   balancer would): each turn is answered once, every conversation files exactly one complaint, none
 *   is lost or doubled, and every de-duplication mark ends 'done'.
 */
import { randomUUID } from 'crypto';
import type { ServerProcess } from '../helpers/serverProcess';
import { describePg } from '../helpers/pg';
import { Channel, type ChannelActivity } from '../../src/tools/channel';
import { fileComplaint, query, REFERENCE, startInstances } from './helpers';

/**
 * Delivers one activity (its id fixed) as a channel does: when the connection fails before an answer
 * (a keep-alive connection closed by the server just as it was reused: "socket hang up"), the same
 * activity is delivered again, which de-duplication makes safe.
 */
async function deliver(channel: Channel, conv: string, activity: Partial<ChannelActivity> & { id: string }) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await channel.send(conv, activity);
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

describePg('two instances on one PostgreSQL database: /api/messages', (pg) => {
  let servers: ServerProcess[] = [];
  let channels: Channel[] = [];

  beforeAll(async () => {
    // started at the same time on the empty database: both migrate and make the signing key at once
    servers = await startInstances(2, pg.url);
    channels = await Promise.all(servers.map((s) => new Channel(s.url).start()));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(channels.map((c) => c.stop()));
    await Promise.all(servers.map((s) => s.stop()));
  });

  test('a citizen whose turns alternate between the instances files exactly one complaint', async () => {
    const conv = `alternating-${randomUUID()}`;
    const served: number[] = [];
    const { reference, turns } = await fileComplaint(async (i, text) => {
      const k = i % 2;
      served.push(k);
      const activity =
        text === undefined
          ? ({ id: randomUUID(), type: 'conversationUpdate', membersAdded: [{ id: `user-${conv}` }] } as Partial<ChannelActivity> & { id: string })
          : { id: randomUUID(), type: 'message', text };
      const r = await deliver(channels[k], conv, activity);
      expect(r.status).toBe(200);
      // the instance that took the turn answered it, with the state the other instance saved
      expect(r.replies.length).toBeGreaterThan(0);
      return r.replies;
    });
    expect(turns).toBeGreaterThan(5);
    expect(served).toContain(0);
    expect(served).toContain(1);
    const rows = await query<{ reference: string }>(pg.url, 'SELECT reference FROM complaints WHERE conversation_id = $1', [conv]);
    expect(rows.map((r) => r.reference)).toEqual([reference]);
    // the same citizen sees the same reference on either instance when asking again
    expect(REFERENCE.test(reference)).toBe(true);
  }, 180_000);

  test('100 concurrent conversations over both instances, every activity delivered to both at once: no complaint lost or doubled', async () => {
    const N = Number(process.env.MULTI_CONVERSATIONS ?? 100);
    const run = `load-${randomUUID().slice(0, 8)}`;
    let doubleAnswers = 0;
    let turnsTotal = 0;
    /** delivers one activity (one id) to both instances at once; returns the replies of whichever ran it */
    const deliverTwice = async (conv: string, first: number, activity: Partial<ChannelActivity>) => {
      const a = { id: randomUUID(), ...activity };
      const [x, y] = await Promise.all([deliver(channels[first], conv, a), deliver(channels[1 - first], conv, a)]);
      expect([x.status, y.status]).toEqual([200, 200]);
      if (x.replies.length > 0 && y.replies.length > 0) doubleAnswers++;
      turnsTotal++;
      return x.replies.length > 0 ? x.replies : y.replies;
    };
    const results = await Promise.all(
      Array.from({ length: N }, (_, c) => {
        const conv = `${run}-${c}`;
        return fileComplaint((i, text) =>
          deliverTwice(conv, (c + i) % 2, text === undefined ? { type: 'conversationUpdate', membersAdded: [{ id: `user-${conv}` }] } as Partial<ChannelActivity> : { type: 'message', text }),
        ).then((r) => ({ conv, ...r }));
      }),
    );
    expect(doubleAnswers).toBe(0);
    expect(turnsTotal).toBeGreaterThan(N * 5);
    const rows = await query<{ conversation_id: string; reference: string }>(
      pg.url,
      'SELECT conversation_id, reference FROM complaints WHERE conversation_id LIKE $1',
      [`${run}-%`],
    );
    // exactly one complaint per conversation, the one whose reference the citizen got
    expect(rows).toHaveLength(N);
    const byConv = new Map(rows.map((r) => [r.conversation_id, r.reference]));
    expect(results.filter((r) => byConv.get(r.conv) !== r.reference)).toEqual([]);
    const open = await query<{ n: string }>(pg.url, "SELECT count(*) AS n FROM processed_activities WHERE conversation_id LIKE $1 AND state <> 'done'", [`${run}-%`]);
    expect(Number(open[0].n)).toBe(0);
  }, 600_000);
});
