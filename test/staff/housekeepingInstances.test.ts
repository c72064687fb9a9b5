/**
 * The scheduled retention purge on several instances of one PostgreSQL database: when every
 * instance's timer fires at once, one instance purges; the next timers within the period do nothing;
 * a purge that failed is tried again by the next timer of any instance. (Two PgCoordination
 * connections, as two processes have; the purge itself is counted, not run: the retention rules are
 * tested in retention.test.ts.)
 */
import { Client } from 'pg';
import { createLogger } from '../../src/logger';
import { Housekeeping } from '../../src/staff/housekeeping';
import type { Retention } from '../../src/staff/retention';
import { PgCoordination } from '../../src/store/postgres/coordination';
import { describePg } from '../helpers/pg';

describePg('scheduled retention purge on three instances', (pg) => {
  const opened: PgCoordination[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
  });

  test('all timers at once: one purge; again within the period: none; after a failure: the next timer purges', async () => {
    let purges = 0;
    let fail = false;
    const retention = {
      purge: async () => {
        purges++;
        await new Promise((r) => setTimeout(r, 50));
        if (fail) throw new Error('store down');
        return { complaints: [], conversations: 0, callbacks: 0 };
      },
    } as unknown as Retention;
    const dedupe = { prune: async () => 0 };
    const log = createLogger('silent');
    const coordinations = await Promise.all([0, 1, 2].map(() => PgCoordination.start({ connection: pg.url })));
    opened.push(...coordinations);
    const instances = coordinations.map((locks) => new Housekeeping(retention, dedupe, { everyHours: 24, log, locks }));

    await Promise.all(instances.map((h) => h.runOnce()));
    expect(purges).toBe(1);
    await Promise.all(instances.map((h) => h.runOnce()));
    expect(purges).toBe(1);

    // the period has passed (the last run forgotten); the first timer's purge fails: not counted as the run
    await clearJobs(pg.url);
    fail = true;
    await instances[0].runOnce();
    expect(purges).toBe(2);
    fail = false;
    await instances[1].runOnce();
    expect(purges).toBe(3);
    await instances[2].runOnce();
    expect(purges).toBe(3);
  });
});

/** Forgets the last runs, as if the period had passed. */
async function clearJobs(url: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('DELETE FROM klachtbot_jobs');
  } finally {
    await c.end();
  }
}
