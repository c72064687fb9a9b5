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

const UPSERT = `INSERT INTO bot_state (key, etag, data, updated_at) VALUES (?, 1, ?, ?)
  ON CONFLICT(key) DO UPDATE SET etag = etag + 1, data = excluded.data, updated_at = excluded.updated_at`;

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
    const now = new Date().toISOString();
    const split = (key: string) => {
      const { eTag, ...rest } = changes[key] ?? {};
      return { eTag: eTag as unknown, data: JSON.stringify(rest) };
    };
    const unconditional = (e: unknown) => e === undefined || e === null || e === '*';
    // The common case (BotState.saveChanges: one key, '*'): one upsert, no transaction round trips.
    if (keys.length === 1) {
      const only = split(keys[0]);
      if (unconditional(only.eTag)) {
        await this.db.write(UPSERT, [keys[0], only.data, now]);
        return;
      }
    }
    await this.db.transaction(async () => {
      for (const key of keys) {
        const { eTag, data } = split(key);
        if (unconditional(eTag)) {
          await this.db.run(UPSERT, [key, data, now]);
          continue;
        }
        const updated = await this.db.run('UPDATE bot_state SET etag = etag + 1, data = ?, updated_at = ? WHERE key = ? AND etag = ?', [
          data,
          now,
          key,
          Number(eTag),
        ]);
        if (updated.changes === 1) continue;
        const exists = await this.db.get('SELECT 1 FROM bot_state WHERE key = ?', [key]);
        if (exists) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
        await this.db.run(UPSERT, [key, data, now]);
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new TypeError('Keys are required when deleting');
    if (keys.length === 0) return;
    await this.db.write(`DELETE FROM bot_state WHERE key IN (${keys.map(() => '?').join(',')})`, keys);
  }
}
