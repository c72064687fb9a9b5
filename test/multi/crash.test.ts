/**
 * An instance killed with kill -9 in the middle of a turn, on one PostgreSQL database with a second
 * instance: the channel delivers the same activity again, to the other instance (a load balancer
 * sends it wherever), and it is answered at once: the dead instance's session ended, so its turn lock
 * is free, and its de-duplication mark, 'running' under it, is taken over. The turn that died was the
 * confirmation: the complaint was filed, its reference was on its way to the citizen; the delivery on
 * the other instance answers with the same reference, and the database holds one complaint.
 */
import { randomUUID } from 'crypto';
import type { ServerProcess } from '../helpers/serverProcess';
import { describePg } from '../helpers/pg';
import { move } from '../security/intakeDriver';
import { HoldingChannel, postActivity, query, REFERENCE, startInstances } from './helpers';

describePg('an instance killed during a turn: the other instance answers the delivery again', (pg) => {
  let servers: ServerProcess[] = [];
  let channel: HoldingChannel;

  beforeAll(async () => {
    servers = await startInstances(2, pg.url);
    channel = await new HoldingChannel().start();
  }, 180_000);

  afterAll(async () => {
    await channel?.stop();
    await Promise.all(servers.map((s) => s.stop()));
  });

  test('kill -9 during the confirmation on A; the same activity on B: same reference, one complaint, mark done', async () => {
    const [a, b] = servers;
    const conv = `crash-${randomUUID()}`;
    const activity = (fields: Record<string, unknown>) => ({
      id: randomUUID(),
      channelId: 'emulator',
      serviceUrl: channel.serviceUrl,
      conversation: { id: conv },
      from: { id: 'citizen-1', name: 'Citizen', role: 'user' },
      recipient: { id: 'bot', name: 'Klachtbot', role: 'bot' },
      locale: 'nl-NL',
      timestamp: new Date().toISOString(),
      ...fields,
    });
    const turn = async (base: string, fields: Record<string, unknown>) => {
      const before = channel.replies.length;
      expect(await postActivity(base, activity(fields))).toBe(200);
      return channel.replies.slice(before);
    };
    // the intake up to the summary, its turns alternating between the instances
    let replies = await turn(a.url, { type: 'conversationUpdate', membersAdded: [{ id: 'citizen-1' }] });
    let confirmText: string | undefined;
    for (let i = 1; i < 40 && !confirmText; i++) {
      const buttons = [...replies].reverse().find((r) => r.suggestedActions)?.suggestedActions?.actions.map((x) => x.title) ?? [];
      const next = move(replies.map((r) => r.text ?? ''), buttons);
      if (!next || 'done' in next) throw new Error(`unexpected turn: ${JSON.stringify(replies.map((r) => r.text))}`);
      if ('summary' in next) confirmText = next.send;
      else replies = await turn(i % 2 ? b.url : a.url, { type: 'message', text: next.send });
    }
    expect(confirmText).toBeDefined();

    // the confirmation on A, held at its first reply: filed, not yet answered, state not saved
    const confirm = activity({ type: 'message', text: confirmText });
    channel.holding = true;
    const held = channel.nextHeld();
    const delivery = postActivity(a.url, confirm);
    const inFlight = await held;
    a.kill('SIGKILL');
    expect(await a.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await delivery).toBe(0);
    channel.holding = false;
    const firstReference = REFERENCE.exec(inFlight.text ?? '')?.[0];
    expect(firstReference).toBeDefined();

    // the channel delivers it again, to B: answered at once, with the same reference
    const before = channel.replies.length;
    const t0 = Date.now();
    expect(await postActivity(b.url, confirm)).toBe(200);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const again = channel.replies.slice(before).map((r) => r.text ?? '').join('\n');
    expect(REFERENCE.exec(again)?.[0]).toBe(firstReference);

    // once more to B: done, no answer; one complaint; no mark left running
    const after = channel.replies.length;
    expect(await postActivity(b.url, confirm)).toBe(200);
    expect(channel.replies.length).toBe(after);
    const rows = await query<{ reference: string }>(pg.url, 'SELECT reference FROM complaints WHERE conversation_id = $1', [conv]);
    expect(rows.map((r) => r.reference)).toEqual([firstReference]);
    const running = await query<{ n: string }>(pg.url, "SELECT count(*) AS n FROM processed_activities WHERE conversation_id = $1 AND state <> 'done'", [conv]);
    expect(Number(running[0].n)).toBe(0);
  }, 300_000);
});
