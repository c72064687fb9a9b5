/**
 * botbuilder's Storage interface over SQLite, with the same eTag rules as botbuilder's MemoryStorage:
 * a write whose eTag is missing or '*' overwrites; a write with a stale eTag rejects, and a batch with
 * one conflict writes nothing.
 */
import type { Storage, StoreItems } from 'botbuilder';
import type { Db, Migration } from '../store/db';

export const STORAGE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `CREATE TABLE bot_state (
            key TEXT PRIMARY KEY,
            etag INTEGER NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
          );
          CREATE INDEX bot_state_updated ON bot_state(updated_at);`,
  },
];

export class SqliteStorage implements Storage {
  constructor(private readonly db: Db) {}

  async init(): Promise<this> {
    await this.db.migrate('storage', STORAGE_MIGRATIONS);
    return this;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new TypeError('Keys are required when reading');
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const rows = await this.db.all<{ key: string; etag: number; data: string }>(
      `SELECT key, etag, data FROM bot_state WHERE key IN (${keys.map(() => '?').join(',')})`,
      keys,
    );
    for (const row of rows) items[row.key] = { ...JSON.parse(row.data), eTag: String(row.etag) };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new TypeError('Changes are required when writing');
    const keys = Object.keys(changes);
    if (keys.length === 0) return;
    await this.db.transaction(async () => {
      const now = new Date().toISOString();
      for (const key of keys) {
        const { eTag, ...rest } = changes[key] ?? {};
        const data = JSON.stringify(rest);
        const current = await this.db.get<{ etag: number }>('SELECT etag FROM bot_state WHERE key = ?', [key]);
        if (!current) {
          await this.db.run('INSERT INTO bot_state (key, etag, data, updated_at) VALUES (?, 1, ?, ?)', [key, data, now]);
        } else if (eTag === undefined || eTag === null || eTag === '*' || String(eTag) === String(current.etag)) {
          await this.db.run('UPDATE bot_state SET etag = etag + 1, data = ?, updated_at = ? WHERE key = ?', [data, now, key]);
        } else {
          throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
        }
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new TypeError('Keys are required when deleting');
    if (keys.length === 0) return;
    await this.db.write(`DELETE FROM bot_state WHERE key IN (${keys.map(() => '?').join(',')})`, keys);
  }
}
