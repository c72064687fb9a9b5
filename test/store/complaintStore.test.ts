import { openStore } from '../../src/store';
import { ComplaintStore, newReference } from '../../src/store/complaintStore';
import { Db } from '../../src/store/sqlite/db';
import { COMPLAINT_MIGRATIONS } from '../../src/store/sqlite/migrations';
import type { Store } from '../../src/store/types';
import { sqliteDb } from '../helpers/sqlite';
import type { ComplaintInput } from '../../src/domain/complaint';
import { NOW, tempDbFile } from '../helpers/harness';

let tmp: ReturnType<typeof tempDbFile>;
let db: Db;
let backing: Store;
let store: ComplaintStore;

async function open(clock?: () => Date): Promise<void> {
  backing = await openStore(`sqlite:${tmp.file}`, { clock });
  db = sqliteDb(backing);
  store = new ComplaintStore(backing);
}

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
  await open(() => NOW);
});

afterEach(async () => {
  await backing.close();
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
  await backing.close();
  await open();
  expect(await store.countComplaints()).toBe(1);
  const rows = await db.all<{ module: string; version: number }>("SELECT module, version FROM schema_migrations WHERE module = 'complaints'");
  expect(rows).toEqual([{ module: 'complaints', version: 1 }, { module: 'complaints', version: 2 }, { module: 'complaints', version: 3 }]);
  expect((await db.get<{ journal_mode: string }>('PRAGMA journal_mode'))?.journal_mode).toBe('wal');
});

test('references are random, not sequential', () => {
  const refs = new Set(Array.from({ length: 200 }, () => newReference(NOW)));
  expect(refs.size).toBe(200);
});

describe('contact details as the law asks them (name and address; phone optional; abroad possible)', () => {
  test('a complaint without a phone number is filed and read back with phone null', async () => {
    const { reference } = await store.file({ ...input, contact: { ...input.contact, phone: null, email: 'jan@example.nl' } }, origin, 'no-phone');
    expect((await store.getByReference(reference))?.contact).toMatchObject({ phone: null, email: 'jan@example.nl', postcode: '1182 JR' });
  });

  test('an address abroad has a country and a postcode of that country; a Dutch address still needs a Dutch postcode', async () => {
    const abroad = { name: 'Anna Müller', phone: '+49 30 1234567', street: 'Hauptstraße 5', postcode: '10115', city: 'Berlin', country: 'Duitsland', email: null };
    const { reference } = await store.file({ ...input, contact: abroad }, origin, 'abroad');
    const c = await store.getByReference(reference);
    expect(c?.contact).toMatchObject({ postcode: '10115', city: 'Berlin', country: 'Duitsland', phone: '+49301234567' });
    await expect(store.file({ ...input, contact: { ...input.contact, postcode: '10115' } }, origin, 'nl-bad')).rejects.toThrow(/postcode/);
    await expect(store.file({ ...input, contact: { ...input.contact, postcode: null } }, origin, 'nl-none')).rejects.toThrow(/postcode/);
    const none = await store.file({ ...input, contact: { ...abroad, postcode: null } }, origin, 'abroad-no-postcode');
    expect((await store.getByReference(none.reference))?.contact).toMatchObject({ postcode: null, country: 'Duitsland' });
  });
});

describe('call-back requests', () => {
  test('get a readable reference and keep their topic; the same key gives the same reference', async () => {
    const cb = { name: 'Jan Jansen', phone: '0612345678', date: '2026-11-25', partOfDay: 'morning' as const, topic: 'Paspoort niet teruggebeld' };
    const first = await store.fileCallback(cb, origin, 'cb-ref');
    expect(first.reference).toMatch(/^TB-2026-[2-9A-HJKMNP-Z]{6}$/);
    expect(await store.fileCallback(cb, origin, 'cb-ref')).toEqual(first);
    expect(await store.getCallback(first.id)).toMatchObject({ reference: first.reference, topic: 'Paspoort niet teruggebeld' });
    const other = await store.fileCallback(cb, origin, 'cb-other');
    expect(other.reference).not.toBe(first.reference);
  });
});

test('an existing version-1 database is upgraded: rows kept, old call-backs get a reference, other modules\' triggers on complaints keep working', async () => {
  await backing.close();
  tmp.cleanup();
  tmp = tempDbFile();
  db = await Db.open(tmp.file);
  await db.migrate('complaints', COMPLAINT_MIGRATIONS.slice(0, 1));
  await db.exec(`INSERT INTO callbacks (idempotency_key, name, phone, date, part_of_day, locale, channel, conversation_id, created_at)
    VALUES ('old', 'Jan Jansen', '+31612345678', '2026-11-25', 'morning', 'nl', 'test', 'c1', '2026-11-24T09:00:00.000Z')`);
  await db.exec(`INSERT INTO complaints (reference, idempotency_key, route, locale, channel, conversation_id, story, incident_date_text, place,
      name, phone, street, postcode, city, callback_id, created_at, updated_at)
    VALUES ('KL-2026-ABCDEF', 'old', 'complaint', 'nl', 'test', 'c1', '${input.story}', '', 'balie', 'Jan Jansen', '+31612345678',
      'Dorpsstraat 12', '1182 JR', 'Amstelveen', 1, 'x', 'x')`);
  // a trigger elsewhere whose body names the complaints table (as the staff search index has)
  await db.exec(`CREATE TABLE seen (n INTEGER); CREATE TABLE pokes (x INTEGER);
    CREATE TRIGGER count_complaints AFTER INSERT ON pokes BEGIN INSERT INTO seen SELECT count(*) FROM complaints; END;`);
  await db.close();
  await open(() => NOW);
  const old = await store.getByReference('KL-2026-ABCDEF');
  expect(old?.contact).toMatchObject({ phone: '+31612345678', postcode: '1182 JR' });
  expect((await store.getCallback(1))?.reference).toMatch(/^TB-2026-[0-9A-F]{6}$/);
  await store.file({ ...input, contact: { ...input.contact, phone: null } }, origin, 'new');
  await db.exec('INSERT INTO pokes VALUES (1)');
  expect(await db.get('SELECT n FROM seen')).toEqual({ n: 2 });
});

test('a period is stored as its first and last day; a day as a period of one day', async () => {
  const period = await store.file(
    { ...input, incidentDate: null, incidentDateFrom: '2026-10-21', incidentDateTo: '2026-10-31', incidentDateText: 'eind oktober' },
    origin,
    'p-1',
  );
  const day = await store.file(input, origin, 'p-2');
  expect(await store.getByReference(period.reference)).toMatchObject({ incidentDate: null, incidentDateFrom: '2026-10-21', incidentDateTo: '2026-10-31', incidentDateText: 'eind oktober' });
  expect(await store.getByReference(day.reference)).toMatchObject({ incidentDate: '2026-11-17', incidentDateFrom: '2026-11-17', incidentDateTo: '2026-11-17' });
});
