import { StateStorage } from '../../src/bot/stateStorage';
import { openStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import { tempDbFile } from '../helpers/harness';

let tmp: ReturnType<typeof tempDbFile>;
let store: Store;
let storage: StateStorage;

beforeEach(async () => {
  tmp = tempDbFile();
  store = await openStore(`sqlite:${tmp.file}`);
  storage = new StateStorage(store.conversationState);
});

afterEach(async () => {
  await store.close();
  tmp.cleanup();
});

test('reads back what was written, with an eTag, and only the keys asked for', async () => {
  await storage.write({ a: { n: 1, nested: { x: 'y' } }, b: { n: 2 } });
  const items = await storage.read(['a', 'missing']);
  expect(Object.keys(items)).toEqual(['a']);
  expect(items.a).toMatchObject({ n: 1, nested: { x: 'y' } });
  expect(typeof items.a.eTag).toBe('string');
  expect(await storage.read([])).toEqual({});
});

test('a write with the current eTag succeeds and changes the eTag; a stale eTag rejects', async () => {
  await storage.write({ k: { v: 1 } });
  const first = (await storage.read(['k'])).k;
  await storage.write({ k: { ...first, v: 2 } });
  const second = (await storage.read(['k'])).k;
  expect(second.v).toBe(2);
  expect(second.eTag).not.toBe(first.eTag);
  await expect(storage.write({ k: { ...first, v: 3 } })).rejects.toThrow(/eTag conflict/);
  expect((await storage.read(['k'])).k.v).toBe(2);
});

test("'*' or no eTag overwrites (BotState.saveChanges writes with '*')", async () => {
  await storage.write({ k: { v: 1 } });
  await storage.write({ k: { v: 2, eTag: '*' } });
  expect((await storage.read(['k'])).k.v).toBe(2);
  await storage.write({ k: { v: 3 } });
  expect((await storage.read(['k'])).k.v).toBe(3);
});

test('a batch with one conflict writes nothing', async () => {
  await storage.write({ a: { v: 1 }, b: { v: 1 } });
  const { a } = await storage.read(['a']);
  await storage.write({ a: { v: 2 } });
  await expect(storage.write({ b: { v: 9 }, a: { ...a, v: 9 } })).rejects.toThrow(/eTag conflict/);
  const after = await storage.read(['a', 'b']);
  expect(after.a.v).toBe(2);
  expect(after.b.v).toBe(1);
});

test('delete removes keys; state survives reopening the file', async () => {
  await storage.write({ keep: { v: 1 }, gone: { v: 2 } });
  await storage.delete(['gone']);
  await store.close();
  store = await openStore(`sqlite:${tmp.file}`);
  storage = new StateStorage(store.conversationState);
  expect(Object.keys(await storage.read(['keep', 'gone']))).toEqual(['keep']);
});

test('concurrent writers with the same eTag: exactly one wins', async () => {
  await storage.write({ k: { v: 0 } });
  const base = (await storage.read(['k'])).k;
  const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => storage.write({ k: { ...base, v: i + 1 } })));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
});

test('bad arguments are refused like MemoryStorage does', async () => {
  await expect(storage.read(undefined as unknown as string[])).rejects.toThrow(TypeError);
  await expect(storage.write(undefined as never)).rejects.toThrow(TypeError);
});
