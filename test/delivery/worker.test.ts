/**
 * The delivery worker (src/delivery/worker.ts) on both backends, with a plugin of the test's own (the
 * worker's collaborator, not a fake of an external system): sent, back-off times, failure after the
 * retry window, PermanentDeliveryError, time-out, a target without plugin, exactly once across a crash
 * mid-delivery (lease expiry + saved state), and two workers on one PostgreSQL database.
 */
import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { createDeliveryDeps } from '../../src/delivery/deps';
import { PermanentDeliveryError, type DeliveryContext, type DeliveryPlugin, type DeliveryTarget } from '../../src/delivery/types';
import { DeliveryWorker, NOT_ENABLED } from '../../src/delivery/worker';
import { loadMunicipality } from '../../src/municipality';
import { openStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import { createTestDatabase, describePg, pgStatus, reportPgMissing } from '../helpers/pg';

const START = new Date('2026-11-24T09:00:00.000Z');
const MIN = 60_000;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Clock {
  now: Date;
}

/** A plugin whose behaviour each test sets; it records every call. */
class TestPlugin implements DeliveryPlugin {
  calls: { id: number; attempts: number; state: Record<string, unknown> }[] = [];
  behave: (ctx: DeliveryContext) => Promise<void> = async () => undefined;
  constructor(readonly target: DeliveryTarget = 'zgw') {}
  wants(): boolean {
    return true;
  }
  async deliver(ctx: DeliveryContext): Promise<void> {
    this.calls.push({ id: ctx.delivery.id, attempts: ctx.delivery.attempts, state: { ...ctx.state } });
    await this.behave(ctx);
  }
}

function worker(store: Store, clock: Clock, plugins: DeliveryPlugin[], extra: Partial<ConstructorParameters<typeof DeliveryWorker>[0]> = {}) {
  return new DeliveryWorker({
    store,
    plugins,
    deps: createDeliveryDeps(store, loadMunicipality(), { clock: () => clock.now }),
    log: quiet,
    clock: () => clock.now,
    timeoutMs: 2000,
    retryMinutes: 5,
    retryHours: 48,
    ...extra,
  });
}

const subject = (n: number) => ({ kind: 'complaint' as const, reference: `KL-2026-T${String(n).padStart(5, '0')}` });

type Backend = { name: string; available: () => boolean; open: () => Promise<{ url: string; cleanup: () => Promise<void> }> };
const BACKENDS: Backend[] = [
  {
    name: 'sqlite',
    available: () => true,
    open: async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'klachtbot-worker-'));
      return { url: `sqlite:${path.join(dir, 'w.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    available: () => pgStatus().available,
    open: async () => {
      const db = await createTestDatabase();
      return { url: db.url, cleanup: () => db.drop() };
    },
  },
];

for (const backend of BACKENDS) {
  describe(`delivery worker [${backend.name}]`, () => {
    if (!backend.available()) {
      reportPgMissing(`delivery worker [${backend.name}]`);
      return;
    }
    let target: { url: string; cleanup: () => Promise<void> };
    let store: Store;
    const clock: Clock = { now: START };
    const opened: Store[] = [];
    beforeEach(async () => {
      clock.now = START;
      target = await backend.open();
      store = await openStore(target.url, { clock: () => clock.now });
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await store.close();
      await target.cleanup();
    });

    test('a delivery is sent; errors are retried every DELIVERY_RETRY_MINUTES, then failed after DELIVERY_RETRY_HOURS', async () => {
      const plugin = new TestPlugin();
      const lines: object[] = [];
      const log = { info: (o: object) => lines.push(o), warn: (o: object) => lines.push(o), error: (o: object) => lines.push(o) };
      const w = worker(store, clock, [plugin], { retryMinutes: 30, retryHours: 1, log });
      const [ok, flaky] = await store.outbox.enqueue([
        { subject: subject(1), target: 'zgw' },
        { subject: subject(2), target: 'zgw' },
      ]);
      plugin.behave = async (ctx) => {
        if (ctx.delivery.id === flaky.id) throw new Error('HTTP 503 from Zaken API');
      };
      expect(await w.runOnce()).toBe(2);
      expect(await store.outbox.get(ok.id)).toMatchObject({ status: 'sent', sentAt: START.toISOString(), attempts: 1 });
      expect(await store.outbox.get(flaky.id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastError: 'HTTP 503 from Zaken API',
        nextAttemptAt: new Date(START.getTime() + 30 * MIN).toISOString(),
      });
      // not due before its time
      clock.now = new Date(START.getTime() + 29 * MIN);
      expect(await w.runOnce()).toBe(0);
      clock.now = new Date(START.getTime() + 30 * MIN);
      expect(await w.runOnce()).toBe(1);
      expect(await store.outbox.get(flaky.id)).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: new Date(START.getTime() + 60 * MIN).toISOString() });
      clock.now = new Date(START.getTime() + 60 * MIN);
      expect(await w.runOnce()).toBe(1);
      // a next try would be after the window (1 hour): failed
      expect(await store.outbox.get(flaky.id)).toMatchObject({ status: 'failed', attempts: 3, nextAttemptAt: null, lastError: 'HTTP 503 from Zaken API' });
      expect(plugin.calls.filter((c) => c.id === flaky.id).map((c) => c.attempts)).toEqual([0, 1, 2]);
      expect((await store.outbox.failedSince(START.toISOString())).map((d) => d.id)).toEqual([flaky.id]);
      // one log line per attempt, by delivery id: no reference
      expect(lines.map((l) => (l as { outcome: string }).outcome).sort()).toEqual(['failed', 'retry', 'retry', 'sent']);
      expect(lines.find((l) => (l as { deliveryId: number }).deliveryId === ok.id)).toEqual({ event: 'delivery.attempt', deliveryId: ok.id, target: 'zgw', subject: 'complaint', attempt: 1, outcome: 'sent', ms: expect.any(Number) });
      expect(JSON.stringify(lines)).not.toMatch(/KL-2026/);
    });

    test('PermanentDeliveryError fails at once; a time-out is retried; a target without plugin stays pending', async () => {
      const plugin = new TestPlugin();
      const w = worker(store, clock, [plugin], { timeoutMs: 1000 });
      const [bad, slow, other] = await store.outbox.enqueue([
        { subject: subject(1), target: 'zgw' },
        { subject: subject(2), target: 'zgw' },
        { subject: subject(3), target: 'klantinteracties' },
      ]);
      plugin.behave = async (ctx) => {
        if (ctx.delivery.id === bad.id) throw new PermanentDeliveryError('HTTP 400: zaaktype unknown');
        await new Promise(() => undefined); // hangs, ignoring the signal
      };
      const t0 = Date.now();
      expect(await w.runOnce()).toBe(2);
      expect(Date.now() - t0).toBeLessThan(2500);
      expect(await store.outbox.get(bad.id)).toMatchObject({ status: 'failed', lastError: 'HTTP 400: zaaktype unknown' });
      expect(await store.outbox.get(slow.id)).toMatchObject({ status: 'pending', lastError: 'timeout', nextAttemptAt: new Date(START.getTime() + 5 * MIN).toISOString() });
      expect(await store.outbox.get(other.id)).toMatchObject({ status: 'pending', attempts: 0, lastError: NOT_ENABLED });
    });

    test('exactly once across a crash mid-delivery: the lease runs out, the next worker continues from the saved state', async () => {
      const sends = new Map<string, number>();
      const crashing = new TestPlugin();
      // step 1 (the mail) is done and saved; then the process dies before step 2 (it hangs for ever)
      crashing.behave = async (ctx) => {
        if (!ctx.state.messageId) {
          sends.set(String(ctx.delivery.id), (sends.get(String(ctx.delivery.id)) ?? 0) + 1);
          await ctx.save({ messageId: '<m1@test>' });
        }
        await new Promise(() => undefined);
      };
      const a = worker(store, clock, [crashing], { timeoutMs: 600_000, leaseMs: 10 * MIN });
      const [row] = await store.outbox.enqueue([{ subject: subject(1), target: 'zgw' }]);
      void a.runOnce(); // never settles: worker A "crashed" holding the row
      for (let i = 0; i < 100 && !(await store.outbox.get(row.id))?.state.messageId; i++) await new Promise((r) => setTimeout(r, 20));

      const other = await openStore(target.url, { clock: () => clock.now });
      opened.push(other);
      const resumed = new TestPlugin();
      resumed.behave = async (ctx) => {
        if (!ctx.state.messageId) sends.set(String(ctx.delivery.id), (sends.get(String(ctx.delivery.id)) ?? 0) + 1);
        await ctx.save({ done: true });
      };
      const b = worker(other, clock, [resumed]);
      expect(await b.runOnce()).toBe(0); // leased to A
      clock.now = new Date(START.getTime() + 10 * MIN);
      expect(await b.runOnce()).toBe(1);
      expect(resumed.calls).toEqual([{ id: row.id, attempts: 1, state: { messageId: '<m1@test>' } }]);
      expect(await store.outbox.get(row.id)).toMatchObject({ status: 'sent', attempts: 2, state: { messageId: '<m1@test>', done: true } });
      expect(sends.get(String(row.id))).toBe(1);
      await a.stop(); // A's late result is not recorded: the row is B's
      expect((await store.outbox.get(row.id))?.status).toBe('sent');
    });

    test('a backend that hangs holds up only its own rows: each target has its own slots', async () => {
      const zgw = new TestPlugin('zgw');
      zgw.behave = (ctx) => new Promise<void>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      const mail = new TestPlugin('mail.officers');
      const w = worker(store, clock, [zgw, mail], { pollMs: 60_000, timeoutMs: 60_000, concurrency: 2 }).start();
      await store.outbox.enqueue(Array.from({ length: 5 }, (_, i) => ({ subject: subject(i), target: 'zgw' as const })));
      const [alert] = await store.outbox.enqueue([{ subject: subject(9), target: 'mail.officers' }]);
      store.coordination.publish('outbox', '6');
      for (let i = 0; i < 300 && (await store.outbox.get(alert.id))?.status !== 'sent'; i++) await new Promise((r) => setTimeout(r, 10));
      expect((await store.outbox.get(alert.id))?.status).toBe('sent');
      expect(zgw.calls).toHaveLength(2); // two slots, both hanging; the other three wait
      expect((await store.outbox.counts()).pending).toBe(3);
      await w.stop();
    });

    test('a row whose lease runs out while its attempt still runs here is not attempted twice by this worker', async () => {
      const plugin = new TestPlugin();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      plugin.behave = () => gate;
      const w = worker(store, clock, [plugin], { pollMs: 50, leaseMs: MIN }).start();
      const [row] = await store.outbox.enqueue([{ subject: subject(1), target: 'zgw' }]);
      store.coordination.publish('outbox', '1');
      for (let i = 0; i < 200 && plugin.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      clock.now = new Date(START.getTime() + 60 * MIN); // the clock jumps past the lease
      await new Promise((r) => setTimeout(r, 300)); // several polls
      expect(plugin.calls).toHaveLength(1);
      release();
      for (let i = 0; i < 200 && (await store.outbox.get(row.id))?.status !== 'sent'; i++) await new Promise((r) => setTimeout(r, 10));
      expect((await store.outbox.get(row.id))?.status).toBe('sent');
      await w.stop();
    });

    test('the worker loop wakes on enqueue and stops cleanly, retrying what was in flight', async () => {
      const plugin = new TestPlugin();
      let release!: () => void;
      const blocked = new Promise<void>((r) => (release = r));
      const started: number[] = [];
      plugin.behave = async (ctx) => {
        started.push(ctx.delivery.id);
        if (started.length === 1) return; // the first is sent
        await Promise.race([blocked, new Promise((_, rej) => ctx.signal.addEventListener('abort', () => rej(ctx.signal.reason)))]);
      };
      const w = worker(store, clock, [plugin], { pollMs: 60_000, timeoutMs: 60_000 }).start();
      const [first] = await store.outbox.enqueue([{ subject: subject(1), target: 'zgw' }]);
      store.coordination.publish('outbox', '1');
      for (let i = 0; i < 200 && (await store.outbox.get(first.id))?.status !== 'sent'; i++) await new Promise((r) => setTimeout(r, 10));
      expect((await store.outbox.get(first.id))?.status).toBe('sent');
      const [second] = await store.outbox.enqueue([{ subject: subject(2), target: 'zgw' }]);
      store.coordination.publish('outbox', '1');
      for (let i = 0; i < 200 && started.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(started).toEqual([first.id, second.id]);
      await w.stop();
      release();
      expect(await store.outbox.get(second.id)).toMatchObject({ status: 'pending', nextAttemptAt: START.toISOString(), lastError: 'stopping' });
    });

    test('a wake naming targets claims only those; a wake without targets, or the timer, claims every target; a row is never missed', async () => {
      const plugins = [new TestPlugin('zgw'), new TestPlugin('mail.citizen'), new TestPlugin('mail.officers'), new TestPlugin('klantinteracties')];
      const claimed: string[][] = [];
      const claim = store.outbox.claim.bind(store.outbox);
      store.outbox.claim = (opts) => {
        claimed.push([...opts.targets]);
        return claim(opts);
      };
      const w = worker(store, clock, plugins, { pollMs: 60_000 }).start();
      const sent = async (id: number) => {
        for (let i = 0; i < 300 && (await store.outbox.get(id))?.status !== 'sent'; i++) await new Promise((r) => setTimeout(r, 10));
        return (await store.outbox.get(id))?.status;
      };
      const settle = () => new Promise((r) => setTimeout(r, 100));
      try {
        await settle(); // the start looks at every target once (rows from before the start)
        expect(claimed.flat().sort()).toEqual(['klantinteracties', 'mail.citizen', 'mail.officers', 'zgw']);
        claimed.length = 0;
        // what filing a complaint publishes: the targets it enqueued
        const [a, b] = await store.outbox.enqueue([
          { subject: subject(1), target: 'mail.citizen' },
          { subject: subject(1), target: 'mail.officers' },
        ]);
        store.coordination.publish('outbox', 'mail.citizen,mail.officers');
        expect([await sent(a.id), await sent(b.id)]).toEqual(['sent', 'sent']);
        await settle();
        expect(claimed.flat().sort()).toEqual(['mail.citizen', 'mail.officers']);
        claimed.length = 0;
        // a notification without targets (a retry from the staff page, an older instance): every target
        const [c] = await store.outbox.enqueue([{ subject: subject(2), target: 'zgw' }]);
        store.coordination.publish('outbox', '1');
        expect(await sent(c.id)).toBe('sent');
        await settle();
        expect(claimed.flat().sort()).toEqual(['klantinteracties', 'mail.citizen', 'mail.officers', 'zgw']);
        // a row with no notification at all is found by the due-time check, not left until the poll
        const [d] = await store.outbox.enqueue([{ subject: subject(3), target: 'klantinteracties' }]);
        w.wake(['mail.citizen']); // names another target; the loop then looks for the next due row
        expect(await sent(d.id)).toBe('sent');
      } finally {
        await w.stop();
      }
      expect(plugins.map((p) => p.calls.length)).toEqual([1, 1, 1, 1]);
    });
  });
}

describePg('two delivery workers on one PostgreSQL database', (pg) => {
  test('every row is sent exactly once', async () => {
    const clock = { now: START };
    const a = await openStore(pg.url, { clock: () => new Date() });
    const b = await openStore(pg.url, { clock: () => new Date() });
    try {
      const sent = new Map<number, number>();
      const plugin = (): TestPlugin => {
        const p = new TestPlugin();
        p.behave = async (ctx) => {
          await new Promise((r) => setTimeout(r, Math.random() * 15));
          sent.set(ctx.delivery.id, (sent.get(ctx.delivery.id) ?? 0) + 1);
        };
        return p;
      };
      clock.now = new Date();
      const wa = worker(a, { now: new Date() }, [plugin()], { clock: () => new Date(), pollMs: 200 } as never).start();
      const wb = worker(b, { now: new Date() }, [plugin()], { clock: () => new Date(), pollMs: 200 } as never).start();
      const rows = await a.outbox.enqueue(Array.from({ length: 60 }, (_, i) => ({ subject: subject(i), target: 'zgw' as const })));
      a.coordination.publish('outbox', '60');
      for (let i = 0; i < 500 && (await a.outbox.counts()).sent < 60; i++) await new Promise((r) => setTimeout(r, 20));
      await wa.stop();
      await wb.stop();
      expect(await a.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 60, failed: 0 });
      expect(rows.every((r) => sent.get(r.id) === 1)).toBe(true);
      expect(sent.size).toBe(60);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
