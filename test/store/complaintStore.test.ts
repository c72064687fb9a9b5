import { ComplaintStore, newReference } from '../../src/store/complaintStore';
import { Db } from '../../src/store/db';
import type { ComplaintInput } from '../../src/domain/complaint';
import { NOW, tempDbFile } from '../helpers/harness';

let tmp: ReturnType<typeof tempDbFile>;
let db: Db;
let store: ComplaintStore;

const input: ComplaintInput = {
  route: 'complaint',
  story: 'Ik ben drie keer doorverbonden en niemand kon mij helpen met mijn vraag.',
  incidentDate: '2026-11-17',
  incidentDateText: 'vorige week dinsdag',
  placeKind: 'phone',
  place: 'Aan de telefoon',
  personKind: null,
  person: null,
  solution: null,
  contact: { name: 'Jan Jansen', phone: '0612345678', street: 'Dorpsstraat 12', postcode: '1182jr', city: 'Amstelveen', email: null },
  callback: null,
};
const origin = { locale: 'nl' as const, channel: 'test', conversationId: 'c1' };

beforeEach(async () => {
  tmp = tempDbFile();
  db = await Db.open(tmp.file);
  store = await new ComplaintStore(db, () => NOW).init();
});

afterEach(async () => {
  await db.close();
  tmp.cleanup();
});

test('files a complaint with a readable reference and the normalised fields', async () => {
  const { reference, created } = await store.file(input, origin, 'intake-1');
  expect(created).toBe(true);
  expect(reference).toMatch(/^KL-2026-[2-9A-HJKMNP-Z]{6}$/);
  const c = await store.getByReference(reference);
  expect(c).toMatchObject({ status: 'received', contact: { phone: '+31612345678', postcode: '1182 JR' }, createdAt: NOW.toISOString() });
});

test('the same idempotency key stores once and returns the first reference, also concurrently', async () => {
  const results = await Promise.all(Array.from({ length: 5 }, () => store.file(input, origin, 'intake-same')));
  expect(new Set(results.map((r) => r.reference)).size).toBe(1);
  expect(results.filter((r) => r.created)).toHaveLength(1);
  expect(await store.countComplaints()).toBe(1);
  await store.file(input, origin, 'intake-other');
  expect(await store.countComplaints()).toBe(2);
});

test('invalid input is refused before anything is stored', async () => {
  await expect(store.file({ ...input, contact: { ...input.contact, postcode: '0000 AA' } }, origin, 'x')).rejects.toThrow();
  await expect(store.file({ ...input, story: 'kort' }, origin, 'y')).rejects.toThrow();
  expect(await store.countComplaints()).toBe(0);
});

test('a call-back request stands alone and links to the complaint filed with it', async () => {
  const cb = { name: 'Jan Jansen', phone: '0612345678', date: '2026-11-25', partOfDay: 'morning' as const };
  const id = await store.requestCallback(cb, origin, 'cb-1');
  expect(await store.requestCallback(cb, origin, 'cb-1')).toBe(id);
  expect(await store.getCallback(id)).toMatchObject({ status: 'open', complaintReference: null, phone: '+31612345678' });
  const { reference } = await store.file({ ...input, callback: cb }, origin, 'intake-cb', id);
  expect((await store.getCallback(id))?.complaintReference).toBe(reference);
  expect((await store.getByReference(reference))?.callback).toEqual({ ...cb, phone: '+31612345678' });
});

test('migrations run once, also when the store is opened again', async () => {
  await store.file(input, origin, 'k');
  await db.close();
  db = await Db.open(tmp.file);
  store = await new ComplaintStore(db).init();
  expect(await store.countComplaints()).toBe(1);
  const rows = await db.all<{ module: string; version: number }>("SELECT module, version FROM schema_migrations WHERE module = 'complaints'");
  expect(rows).toEqual([{ module: 'complaints', version: 1 }]);
  expect((await db.get<{ journal_mode: string }>('PRAGMA journal_mode'))?.journal_mode).toBe('wal');
});

test('references are random, not sequential', () => {
  const refs = new Set(Array.from({ length: 200 }, () => newReference(NOW)));
  expect(refs.size).toBe(200);
});
