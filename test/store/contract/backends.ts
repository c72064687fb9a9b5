/**
 * The contract suite's backends: every test in test/store/contract runs once per backend, on a fresh
 * store each time (SQLite: a new file; PostgreSQL: a new database on PG_TEST_URL, see test/helpers/pg.ts).
 * Without a reachable PostgreSQL the PostgreSQL block is one test that says so (and fails in CI).
 */
import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { openStore } from '../../../src/store';
import type { Store } from '../../../src/store/types';
import { createTestDatabase, pgStatus, reportPgMissing, type PgTestDatabase } from '../../helpers/pg';

export const START = new Date('2026-11-24T09:00:00.000Z');

export interface Ctx {
  /** the store of the running test */
  readonly store: Store;
  /** the store's clock (created_at, references); set it to move time */
  now: Date;
  /** a second store on the same database (PostgreSQL: another instance; SQLite: another connection) */
  openAnother(): Promise<Store>;
}

interface Backend {
  name: 'sqlite' | 'postgres';
  available(): { ok: true } | { ok: false };
  create(): Promise<{ url: string; cleanup(): Promise<void> }>;
}

const BACKENDS: Backend[] = [
  {
    name: 'sqlite',
    available: () => ({ ok: true }),
    create: async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'klachtbot-contract-'));
      return { url: `sqlite:${path.join(dir, 'store.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    available: () => (pgStatus().available ? { ok: true } : { ok: false }),
    create: async () => {
      const db: PgTestDatabase = await createTestDatabase();
      return { url: db.url, cleanup: () => db.drop() };
    },
  },
];

/** Runs `body` once per backend, as describe(`${title} [sqlite]`) and describe(`${title} [postgres]`). */
export function describeStores(title: string, body: (ctx: Ctx) => void): void {
  for (const backend of BACKENDS) {
    const name = `${title} [${backend.name}]`;
    describe(name, () => {
      if (!backend.available().ok) {
        reportPgMissing(name);
        return;
      }
      let current: Store | undefined;
      let others: Store[] = [];
      let target: { url: string; cleanup(): Promise<void> } | undefined;
      const ctx: Ctx = {
        get store(): Store {
          if (!current) throw new Error('the store is opened in beforeEach');
          return current;
        },
        now: START,
        openAnother: async () => {
          const s = await openStore(target!.url, { clock: () => ctx.now });
          others.push(s);
          return s;
        },
      };
      beforeEach(async () => {
        ctx.now = START;
        target = await backend.create();
        current = await openStore(target.url, { clock: () => ctx.now });
      });
      afterEach(async () => {
        for (const s of others) await s.close().catch(() => undefined);
        others = [];
        await current?.close();
        current = undefined;
        await target?.cleanup();
      });
      body(ctx);
    });
  }
}
