/** openStore picks the backend from DATABASE_URL. */
import path from 'path';
import { openStore, parseDatabaseUrl } from '../../src/store';

test('sqlite: (relative, absolute, sqlite://, :memory:) and postgres:// / postgresql:// are recognised; anything else is refused', () => {
  expect(parseDatabaseUrl('sqlite:./data/complaints.db')).toEqual({ backend: 'sqlite', file: path.resolve('data/complaints.db') });
  expect(parseDatabaseUrl('sqlite:///tmp/x.db')).toEqual({ backend: 'sqlite', file: '/tmp/x.db' });
  expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ backend: 'sqlite', file: ':memory:' });
  expect(parseDatabaseUrl('postgres://u@h:5432/db')).toEqual({ backend: 'postgres', url: 'postgres://u@h:5432/db' });
  expect(parseDatabaseUrl('PostgreSQL://u@h/db')).toEqual({ backend: 'postgres', url: 'PostgreSQL://u@h/db' });
  expect(() => parseDatabaseUrl('mysql://h/db')).toThrow(/sqlite: or postgres:/);
  expect(() => parseDatabaseUrl('complaints.db')).toThrow(/sqlite: or postgres:/);
});

test('an in-memory SQLite store opens migrated, answers ping and closes', async () => {
  const store = await openStore('sqlite::memory:');
  expect(store.backend).toBe('sqlite');
  await store.ping();
  expect(await store.complaints.count()).toBe(0);
  await store.close();
  await expect(store.ping()).rejects.toThrow();
});
