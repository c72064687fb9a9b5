/**
 * PostgreSQL for tests: a fresh database per test file (random name, created on the server of
 * PG_TEST_URL, default postgres://postgres@127.0.0.1:5432/postgres, dropped at the end).
 *
 *   import { describePg } from '../helpers/pg';
 *   describePg('my repository on PostgreSQL', (pg) => {
 *     test('...', async () => { const store = await openStore(pg.url); ... });
 *   });
 *
 * When the server cannot be reached, the block's tests do not run; instead one test says so (console.warn)
 * and passes outside CI, and fails with CI=true — a machine without PostgreSQL is noticed, never a
 * silent skip. `pgStatus()` tells the same synchronously (for describe.each over backends), and
 * `createTestDatabase()` makes one more database (for instance one per test).
 * Databases of test processes that died (named klachtbot_test_<pid>_...) are dropped when seen.
 */
import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import { Client } from 'pg';

export const PG_ADMIN_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PREFIX = 'klachtbot_test_';

export interface PgTestDatabase {
  name: string;
  /** postgres:// URL of the fresh database */
  url: string;
  drop(): Promise<void>;
}

export interface PgStatus {
  available: boolean;
  /** why not, when not */
  reason?: string;
}

let status: PgStatus | undefined;

/** Whether PostgreSQL answers at PG_ADMIN_URL (checked once per test file, synchronously, at most 5 s). */
export function pgStatus(): PgStatus {
  if (status) return status;
  const probe = `
    const { Client } = require('pg');
    const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 4000 });
    c.connect().then(() => c.query('SELECT 1')).then(() => c.end()).then(
      () => process.exit(0),
      (e) => { process.stderr.write(String(e && e.message || e)); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', probe, PG_ADMIN_URL], { encoding: 'utf8', timeout: 5000, cwd: __dirname });
  status = r.status === 0 ? { available: true } : { available: false, reason: (r.stderr || r.error?.message || 'no answer').trim() };
  return status;
}

function withDatabase(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates a database with a random name (and drops those of test processes that have died). */
export async function createTestDatabase(): Promise<PgTestDatabase> {
  const name = `${PREFIX}${process.pid}_${randomBytes(5).toString('hex')}`;
  await admin(async (c) => {
    const old = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${PREFIX}%`]);
    for (const { datname } of old.rows) {
      const pid = Number(/^klachtbot_test_(\d+)_/.exec(datname)?.[1]);
      if (pid && !alive(pid)) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
    }
    await c.query(`CREATE DATABASE "${name}"`);
  });
  let dropped = false;
  return {
    name,
    url: withDatabase(name),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

export const PG_MISSING_TEST = 'PostgreSQL is reachable for the PostgreSQL tests';

/** The test that stands in for a block's tests when PostgreSQL is missing: passes with a warning, fails in CI. */
export function reportPgMissing(title: string): void {
  test(PG_MISSING_TEST, () => {
    const s = pgStatus();
    const message =
      `PostgreSQL is not reachable at ${PG_ADMIN_URL.replace(/\/\/[^@/]*@/, '//')} (${s.reason}): ` +
      `the tests of "${title}" did not run. Start it (pg_ctlcluster --skip-systemctl-redirect <version> main start) or set PG_TEST_URL.`;
    console.warn(message);
    if (process.env.CI === 'true') throw new Error(message);
  });
}

/**
 * A describe block with a fresh database for its tests (`pg.url`, valid from beforeAll on). Without
 * PostgreSQL: the one test of reportPgMissing instead.
 */
export function describePg(title: string, body: (pg: { readonly url: string; readonly name: string }) => void): void {
  describe(title, () => {
    if (!pgStatus().available) {
      reportPgMissing(title);
      return;
    }
    let db: PgTestDatabase | undefined;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await db?.drop();
    });
    body({
      get url() {
        if (!db) throw new Error('the test database is made in beforeAll: read pg.url inside a test or hook');
        return db.url;
      },
      get name() {
        if (!db) throw new Error('the test database is made in beforeAll');
        return db.name;
      },
    });
  });
}
