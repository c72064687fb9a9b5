/**
 * Coordination of instances (src/store/coordination.ts): the in-process one (SQLite) and the
 * PostgreSQL one, two instances as two PgCoordination objects (two connections, as two processes
 * would have) on a fresh database of the real server.
 */
import { LocalCoordination, type Coordination } from '../../src/store/coordination';
import { PgCoordination } from '../../src/store/postgres/coordination';
import { describePg } from '../helpers/pg';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** Holds `key` on `c` until the returned release is called. */
function hold(c: Coordination, key: string): { taken: Promise<void>; release: () => void; done: Promise<unknown> } {
  let release!: () => void;
  let taken!: () => void;
  const takenP = new Promise<void>((r) => (taken = r));
  const done = c.withLock(key, async () => {
    taken();
    await new Promise<void>((r) => (release = r));
  });
  return { taken: takenP, release: () => release(), done };
}

describe('LocalCoordination (SQLite: one process)', () => {
  test('holders of one key run one at a time, in order; other keys do not wait', async () => {
    const c = new LocalCoordination();
    const log: string[] = [];
    const a = hold(c, 'k');
    await a.taken;
    const b = c.withLock('k', async () => log.push('b'));
    const other = await c.withLock('other', async () => 'other ran');
    expect(other).toBe('other ran');
    expect(await c.tryLock('k', async () => 1)).toEqual({ ran: false });
    await sleep(20);
    expect(log).toEqual([]);
    a.release();
    await b;
    expect(log).toEqual(['b']);
    expect(await c.tryLock('k', async () => 1)).toEqual({ ran: true, value: 1 });
  });

  test('a message reaches every listener of its topic once, after the publisher\'s own code', async () => {
    const c = new LocalCoordination();
    const got: string[] = [];
    const off = c.subscribe('directline', (m) => got.push(m));
    c.subscribe('other', (m) => got.push(`other:${m}`));
    c.publish('directline', 'abc 1');
    expect(got).toEqual([]);
    await sleep(5);
    expect(got).toEqual(['abc 1']);
    off();
    c.publish('directline', 'abc 2');
    await sleep(5);
    expect(got).toEqual(['abc 1']);
    expect(await c.isAlive(c.owner)).toBe(true);
    expect(await c.isAlive('123.ffffff')).toBe(false);
  });
});

describePg('PgCoordination (PostgreSQL: instances on one database)', (pg) => {
  const opened: PgCoordination[] = [];
  const start = async () => {
    const c = await PgCoordination.start({ connection: pg.url, reconnectMs: 50 });
    opened.push(c);
    return c;
  };

  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
  });

  test('a message published on one instance reaches the other\'s listeners, and its own once', async () => {
    const a = await start();
    const b = await start();
    const onA: string[] = [];
    const onB: string[] = [];
    a.subscribe('directline', (m) => onA.push(m));
    b.subscribe('directline', (m) => onB.push(m));
    b.subscribe('other', (m) => onB.push(`other:${m}`));
    for (let i = 1; i <= 5; i++) a.publish('directline', `conv-x ${i}`);
    b.publish('other', 'y');
    await until(() => onB.length === 6 && onA.length === 5);
    await sleep(100); // PostgreSQL's echo of a's own messages must not arrive as a second copy
    expect(onA).toEqual(['conv-x 1', 'conv-x 2', 'conv-x 3', 'conv-x 4', 'conv-x 5']);
    expect(onB.filter((m) => !m.startsWith('other:'))).toEqual(onA);
    expect(onB).toContain('other:y');
    // a payload that is not a topic and a message is not delivered
    a.publish('bad topic!', 'x');
    await sleep(100);
    expect(onB).toHaveLength(6);
  });

  test('a lock held on one instance makes the other wait, and tryLock on it does not run', async () => {
    const a = await start();
    const b = await start();
    const order: string[] = [];
    const held = hold(a, 'turn:directline:c1');
    await held.taken;
    const waiting = b.withLock('turn:directline:c1', async () => order.push('b ran'));
    expect(await b.tryLock('turn:directline:c1', async () => 'no')).toEqual({ ran: false });
    // a different key is free
    expect(await b.tryLock('turn:directline:c2', async () => 'yes')).toEqual({ ran: true, value: 'yes' });
    await sleep(150);
    expect(order).toEqual([]);
    order.push('a released');
    held.release();
    await waiting;
    expect(order).toEqual(['a released', 'b ran']);
    // and free again afterwards, on both
    expect(await a.tryLock('turn:directline:c1', async () => 1)).toEqual({ ran: true, value: 1 });
    expect(await b.tryLock('turn:directline:c1', async () => 2)).toEqual({ ran: true, value: 2 });
  });

  test('two holders in one instance do not share the session lock', async () => {
    const a = await start();
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        a.withLock('shared-key', async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(10);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
  });

  test('many holders at once (their lock operations share statements): per key one at a time, all run', async () => {
    const a = await start();
    const b = await start();
    const held = hold(b, 'key-3');
    await held.taken;
    const inside = new Map<string, number>();
    let overlap = 0;
    let ran = 0;
    const all = Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const key = `key-${i % 20}`;
        return a.withLock(key, async () => {
          inside.set(key, (inside.get(key) ?? 0) + 1);
          if (inside.get(key)! > 1) overlap++;
          await sleep(2);
          inside.set(key, inside.get(key)! - 1);
          ran++;
        });
      }),
    );
    await until(() => ran === 95); // every key but the one b holds
    await sleep(100);
    expect(ran).toBe(95);
    held.release();
    await all;
    expect(ran).toBe(100);
    expect(overlap).toBe(0);
  });

  test('withLock gives up after its time-out', async () => {
    const a = await start();
    const b = await start();
    const held = hold(a, 'slow');
    await held.taken;
    await expect(b.withLock('slow', async () => 1, { timeoutMs: 200 })).rejects.toThrow('lock not acquired in time');
    held.release();
    await held.done;
  });

  test('an instance is alive while its connection lives; its locks go with it', async () => {
    const a = await start();
    const b = await start();
    expect(await b.isAlive(a.owner)).toBe(true);
    expect(await a.isAlive(b.owner)).toBe(true);
    expect(await b.isAlive('999.000000000000')).toBe(false);
    const held = hold(a, 'dies-with-a');
    await held.taken;
    expect(await b.tryLock('dies-with-a', async () => 1)).toEqual({ ran: false });
    await a.close(); // as a crash would: the session ends
    expect(await b.isAlive(a.owner)).toBe(false);
    expect(await b.tryLock('dies-with-a', async () => 1)).toEqual({ ran: true, value: 1 });
    held.release();
    await held.done;
  });

  test('scheduled work runs once across instances: not while another runs it, not again within its period', async () => {
    const a = await start();
    const b = await start();
    let runs = 0;
    let release!: () => void;
    const slow = a.runScheduled('purge', 60_000, async () => {
      runs++;
      await new Promise<void>((r) => (release = r));
      return 'a';
    });
    await until(() => runs === 1);
    expect(await b.runScheduled('purge', 60_000, async () => ++runs)).toEqual({ ran: false, reason: 'busy' });
    release();
    expect(await slow).toEqual({ ran: true, value: 'a' });
    // both instances' next timers within the period: neither runs it again
    expect(await b.runScheduled('purge', 60_000, async () => ++runs)).toEqual({ ran: false, reason: 'recent' });
    expect(await a.runScheduled('purge', 60_000, async () => ++runs)).toEqual({ ran: false, reason: 'recent' });
    // a run that fails is not counted: the next timer of any instance tries again
    await expect(b.runScheduled('flaky', 60_000, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await a.runScheduled('flaky', 60_000, async () => 'second try')).toEqual({ ran: true, value: 'second try' });
    // a short period has passed: it runs again
    expect(await a.runScheduled('often', 50, async () => 1)).toEqual({ ran: true, value: 1 });
    await sleep(60);
    expect(await b.runScheduled('often', 50, async () => 2)).toEqual({ ran: true, value: 2 });
    expect(runs).toBe(1);
  });

  test('after the connection drops it comes back: listeners are told to resync, messages and locks work again', async () => {
    const a = await start();
    const b = await start();
    let resyncs = 0;
    a.onResync(() => resyncs++);
    const onA: string[] = [];
    a.subscribe('directline', (m) => onA.push(m));
    a.simulateConnectionLoss();
    await until(() => resyncs === 1);
    expect(await b.isAlive(a.owner)).toBe(true); // the instance lock is taken again
    b.publish('directline', 'after 1');
    await until(() => onA.includes('after 1'));
    expect(await a.tryLock('after-reconnect', async () => 'ok')).toEqual({ ran: true, value: 'ok' });
  });
});
