/**
 * PgDb on a real PostgreSQL server (a fresh database per run): transactions, migrations started by
 * several instances at once, and what happens with a transaction used wrongly.
 */
import { PgDb, PgTx } from '../../../src/store/postgres/db';
import { describePg } from '../../helpers/pg';

describePg('PostgreSQL connection, transactions and migrations', (pg) => {
  test('a transaction commits when its function resolves and rolls back when it rejects', async () => {
    const db = await PgDb.open(pg.url);
    try {
      await db.migrate('t1', [{ version: 1, sql: 'CREATE TABLE t1 (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL UNIQUE)' }]);
      const id = await db.transaction(async (tx) => {
        const row = await db.one<{ id: number }>('INSERT INTO t1 (v) VALUES ($1) RETURNING id', ['a'], tx);
        // inside the transaction its own write is visible; outside not yet
        expect(await db.query('SELECT v FROM t1', [], tx)).toEqual([{ v: 'a' }]);
        expect(await db.query('SELECT v FROM t1')).toEqual([]);
        return row!.id;
      });
      expect(typeof id).toBe('number'); // BIGINT as a number
      await expect(
        db.transaction(async (tx) => {
          await db.run('INSERT INTO t1 (v) VALUES ($1)', ['b'], tx);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await db.query('SELECT v FROM t1 ORDER BY v')).toEqual([{ v: 'a' }]);
      expect(await db.one<{ n: number }>('SELECT count(*) AS n FROM t1')).toEqual({ n: 1 });
    } finally {
      await db.close();
    }
  });

  test('a transaction cannot be used after it ended, nor a transaction of the other backend', async () => {
    const db = await PgDb.open(pg.url);
    try {
      let kept: PgTx | undefined;
      await db.transaction(async (tx) => {
        kept = tx;
      });
      await expect(db.query('SELECT 1', [], kept)).rejects.toThrow(/after it ended/);
      await expect(db.query('SELECT 1', [], { backend: 'sqlite' })).rejects.toThrow(/sqlite transaction/);
    } finally {
      await db.close();
    }
  });

  test('a serialization failure runs the transaction again when retries are allowed', async () => {
    const db = await PgDb.open(pg.url);
    try {
      let runs = 0;
      const value = await db.transaction(
        async (tx) => {
          runs++;
          if (runs === 1) await db.query(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$`, [], tx);
          return 'ok';
        },
        { retries: 2 },
      );
      expect(value).toBe('ok');
      expect(runs).toBe(2);
      await expect(
        db.transaction(async (tx) => db.query(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$`, [], tx)),
      ).rejects.toMatchObject({ code: '40001' });
    } finally {
      await db.close();
    }
  });

  test('instances that start at once apply each migration exactly once', async () => {
    const migrations = [
      { version: 1, sql: 'CREATE TABLE m (id INTEGER PRIMARY KEY); INSERT INTO m VALUES (1);' },
      { version: 2, sql: 'ALTER TABLE m ADD COLUMN note TEXT; INSERT INTO m VALUES (2);' },
    ];
    const dbs = await Promise.all([1, 2, 3, 4].map(() => PgDb.open(pg.url)));
    try {
      await Promise.all(dbs.map((db) => db.migrate('m', migrations)));
      expect(await dbs[0].query('SELECT id FROM m ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
      expect(await dbs[0].query(`SELECT version FROM schema_migrations WHERE module = 'm' ORDER BY version`)).toEqual([
        { version: 1 },
        { version: 2 },
      ]);
      // a later version is applied by the next start, the earlier ones are not run again
      await dbs[1].migrate('m', [...migrations, { version: 3, sql: 'INSERT INTO m VALUES (3)' }]);
      expect(await dbs[0].query('SELECT id FROM m ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
      // a failing migration leaves nothing behind
      await expect(dbs[2].migrate('m', [{ version: 4, sql: 'INSERT INTO m VALUES (4); INSERT INTO m VALUES (1);' }])).rejects.toMatchObject({
        code: '23505',
      });
      expect(await dbs[0].query('SELECT max(id) AS max FROM m')).toEqual([{ max: 3 }]);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });
});
