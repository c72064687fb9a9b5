import { Db } from '../../src/store/sqlite/db';
import { tempDbFile } from '../helpers/harness';

let tmp: ReturnType<typeof tempDbFile>;
let db: Db;

beforeEach(async () => {
  tmp = tempDbFile();
  db = await Db.open(tmp.file);
  await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
});

afterEach(async () => {
  await db.close();
  tmp.cleanup();
});

test('a single write issued while a transaction is open does not land inside it (and survives its rollback)', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const tx = db.transaction(async () => {
    await db.run('INSERT INTO t (v) VALUES (?)', ['in-tx']);
    await gate;
    throw new Error('roll back');
  });
  const single = db.write('INSERT INTO t (v) VALUES (?)', ['single']);
  release();
  await expect(tx).rejects.toThrow('roll back');
  await single;
  expect(await db.all('SELECT v FROM t')).toEqual([{ v: 'single' }]);
});

test('a transaction waits for single writes issued before it, and sees them', async () => {
  const writes = Array.from({ length: 20 }, (_, i) => db.write('INSERT INTO t (v) VALUES (?)', [`w${i}`]));
  const count = await db.transaction(async () => (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t WHERE v LIKE ?', ['w%']))!.n);
  await Promise.all(writes);
  expect(count).toBe(20);
});

test('many concurrent writes and transactions all complete; reused statements give fresh results', async () => {
  await Promise.all([
    ...Array.from({ length: 50 }, (_, i) => db.write('INSERT INTO t (v) VALUES (?)', [`x${i}`])),
    ...Array.from({ length: 10 }, (_, i) => db.transaction(() => db.run('INSERT INTO t (v) VALUES (?)', [`y${i}`]))),
  ]);
  expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))!.n).toBe(60);
  for (let i = 0; i < 3; i++) {
    expect(await db.get('SELECT v FROM t WHERE v = ?', [`x${i}`])).toEqual({ v: `x${i}` });
  }
  expect(await db.get('SELECT v FROM t WHERE v = ?', ['nope'])).toBeUndefined();
});

test('writeLater builds its statement only when it may run, after `after`, so rows gathered meanwhile are included', async () => {
  let release!: () => void;
  const earlier = new Promise<void>((r) => (release = r));
  const rows = ['a'];
  const later = db.writeLater(() => [`INSERT INTO t (v) VALUES ${rows.map(() => '(?)').join(', ')}`, rows], earlier);
  rows.push('b', 'c');
  release();
  expect((await later).changes).toBe(3);
  expect(await db.all('SELECT v FROM t ORDER BY id')).toEqual([{ v: 'a' }, { v: 'b' }, { v: 'c' }]);
});

test('a transaction queued after a writeLater waits for it, and close() waits for writes still queued', async () => {
  let release!: () => void;
  const earlier = new Promise<void>((r) => (release = r));
  const queued = db.writeLater(() => ['INSERT INTO t (v) VALUES (?)', ['queued']], earlier);
  const seen = db.transaction(async () => (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))!.n);
  setTimeout(release, 20);
  expect(await seen).toBe(1);
  await queued;

  let releaseAgain!: () => void;
  const gate = new Promise<void>((r) => (releaseAgain = r));
  void db.writeLater(() => ['INSERT INTO t (v) VALUES (?)', ['at close']], gate);
  setTimeout(releaseAgain, 20);
  await db.close();
  db = await Db.open(tmp.file);
  expect(await db.all('SELECT v FROM t ORDER BY id')).toEqual([{ v: 'queued' }, { v: 'at close' }]);
});
