/**
 * The turn lock middleware (src/bot/turnLock.ts) in botbuilder's pipeline: on a shared store
 * (PostgreSQL: two instances as two coordination connections) turns of one conversation never run
 * side by side, on one instance or across two; other conversations and activities it is told to skip
 * are not held up. On SQLite (not shared) it changes nothing.
 */
import { ActivityTypes, TestAdapter, type TurnContext } from 'botbuilder';
import { TurnLockMiddleware } from '../../src/bot/turnLock';
import { LocalCoordination, type Coordination } from '../../src/store/coordination';
import { PgCoordination } from '../../src/store/postgres/coordination';
import { describePg } from '../helpers/pg';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `n` turns of `conversations` at once through one adapter per coordination; reports the most turns of one conversation that ran together. */
async function overlap(coordinations: Coordination[], conversations: string[], n: number, skip?: (conv: string) => boolean): Promise<number> {
  const running = new Map<string, number>();
  let most = 0;
  const logic = async (context: TurnContext) => {
    const conv = context.activity.conversation.id;
    running.set(conv, (running.get(conv) ?? 0) + 1);
    most = Math.max(most, running.get(conv)!);
    await sleep(10);
    running.set(conv, running.get(conv)! - 1);
  };
  const adapters = coordinations.map((c) =>
    new TestAdapter(logic).use(new TurnLockMiddleware(c, { skip: skip ? (a) => skip(a.conversation!.id) : undefined })),
  );
  await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const adapter = adapters[i % adapters.length];
      const conversation = conversations[i % conversations.length];
      return adapter.processActivity({ type: ActivityTypes.Message, text: `m${i}`, conversation: { id: conversation } as never, channelId: 'test' });
    }),
  );
  return most;
}

test('SQLite (not shared): the middleware changes nothing', async () => {
  expect(await overlap([new LocalCoordination()], ['c1'], 6)).toBeGreaterThan(1);
});

describePg('the turn lock on a shared store', (pg) => {
  const opened: PgCoordination[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
  });

  test('turns of one conversation one at a time, on one instance and across two; skipped activities pass', async () => {
    const [a, b] = await Promise.all([PgCoordination.start({ connection: pg.url }), PgCoordination.start({ connection: pg.url })]);
    opened.push(a, b);
    expect(await overlap([a], ['one'], 6)).toBe(1);
    expect(await overlap([a, b], ['two'], 8)).toBe(1);
    // several conversations at once: each of them one turn at a time
    expect(await overlap([a, b], ['x', 'y', 'z'], 12)).toBe(1);
    // what the Direct Line serialises itself passes through
    expect(await overlap([a, b], ['dl'], 6, (conv) => conv === 'dl')).toBeGreaterThan(1);
  });
});
