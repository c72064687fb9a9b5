/** Conversation state (botbuilder's Storage items) in SQLite, with the conversation in columns next to the key. */
import { stateParams, toStateItem, unconditionalEtag } from '../rows';
import { EtagConflictError, type ConversationStateRepository, type StateChange, type StateItem, type Tx } from '../types';
import { placeholders, type Sql } from './sql';

const UPSERT = `INSERT INTO bot_state (key, etag, data, updated_at, channel_id, conversation_id) VALUES (?, 1, ?, ?, ?, ?)
  ON CONFLICT(key) DO UPDATE SET etag = etag + 1, data = excluded.data, updated_at = excluded.updated_at,
    channel_id = excluded.channel_id, conversation_id = excluded.conversation_id`;

export class SqliteConversationState implements ConversationStateRepository {
  constructor(private readonly sql: Sql, private readonly clock: () => Date) {}

  async read(keys: string[], tx?: Tx): Promise<StateItem[]> {
    if (keys.length === 0) return [];
    const rows = await this.sql.all<{ key: string; etag: number; data: string }>(
      `SELECT key, etag, data FROM bot_state WHERE key IN (${placeholders(keys.length)})`,
      keys,
      tx,
    );
    return rows.map(toStateItem);
  }

  async write(changes: StateChange[], tx?: Tx): Promise<void> {
    if (changes.length === 0) return;
    const now = this.clock().toISOString();
    const params = (c: StateChange) => stateParams(c, now);
    // The common case (BotState.saveChanges: one key, '*'): one upsert, no transaction round trips.
    if (changes.length === 1 && unconditionalEtag(changes[0].eTag)) {
      await this.sql.run(UPSERT, params(changes[0]), tx);
      return;
    }
    await this.sql.atomic(tx, async (t) => {
      for (const c of changes) {
        if (unconditionalEtag(c.eTag)) {
          await this.sql.run(UPSERT, params(c), t);
          continue;
        }
        const updated = await this.sql.run(
          `UPDATE bot_state SET etag = etag + 1, data = ?, updated_at = ?, channel_id = ?, conversation_id = ? WHERE key = ? AND etag = ?`,
          [JSON.stringify(c.data), now, c.conversation?.channelId ?? null, c.conversation?.conversationId ?? null, c.key, Number(c.eTag)],
          t,
        );
        if (updated.changes === 1) continue;
        const exists = await this.sql.get('SELECT 1 FROM bot_state WHERE key = ?', [c.key], t);
        if (exists) throw new EtagConflictError(c.key);
        await this.sql.run(UPSERT, params(c), t);
      }
    });
  }

  async delete(keys: string[], tx?: Tx): Promise<void> {
    if (keys.length === 0) return;
    await this.sql.run(`DELETE FROM bot_state WHERE key IN (${placeholders(keys.length)})`, keys, tx);
  }
}
