/**
 * The store layer's entry: `openStore(databaseUrl, opts)` picks the backend from the URL.
 * - `sqlite:<file>` or `sqlite::memory:` (default DATABASE_URL sqlite:./data/complaints.db): SQLite,
 *   src/store/sqlite. One process owns the file.
 * - `postgres://...` or `postgresql://...`: PostgreSQL, src/store/postgres, loaded only when asked
 *   for (so the `pg` package is needed only then). Several instances may share one database.
 * Everything above the store uses the interfaces of ./types only.
 */
import path from 'path';
import type { OpenStoreOptions, Store } from './types';

export * from './types';
export { searchTokens, searchQueryWords, MAX_SEARCH_WORDS } from './search';

/** Which backend a DATABASE_URL names, and where (a file path for SQLite, the URL for PostgreSQL). */
export function parseDatabaseUrl(databaseUrl: string): { backend: 'sqlite'; file: string } | { backend: 'postgres'; url: string } {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return { backend: 'postgres', url: databaseUrl };
  const m = /^sqlite:(?:\/\/)?(.+)$/.exec(databaseUrl);
  if (!m) throw new Error('DATABASE_URL must start with sqlite: or postgres://');
  const file = m[1];
  return { backend: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
}

export async function openStore(databaseUrl: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.backend === 'postgres') {
    const { openPostgresStore } = await import('./postgres');
    return openPostgresStore(target.url, opts);
  }
  const { openSqliteStore } = await import('./sqlite');
  return openSqliteStore(target.file, opts);
}
