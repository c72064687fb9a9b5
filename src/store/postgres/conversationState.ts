/**
 * Conversation state (botbuilder's Storage items) on PostgreSQL, with botbuilder's eTag rules
 * (src/store/types.ts): '*' or no eTag overwrites; a stale eTag fails with EtagConflictError and the
 * batch writes nothing. The data is kept as the JSON text given (not jsonb, which would reorder keys).
 * A conditional write is one UPDATE ... WHERE etag = $n: of two instances writing with the same eTag,
 * the second waits for the first's row lock, then finds the eTag changed and fails.
 */
import { stateParams, toStateItem, unconditionalEtag } from '../rows';
import { EtagConflictError, type ConversationStateRepository, type StateChange, type StateItem, type Tx } from '../types';
import type { PgDb } from './db';

const UPSERT = `INSERT INTO bot_state (key, etag, data, updated_at, channel_id, conversation_id) VALUES ($1, 1, $2, $3, $4, $5)
  ON CONFLICT (key) DO UPDATE SET etag = bot_state.etag + 1, data = excluded.data, updated_at = excluded.updated_at,
    channel_id = excluded.channel_id, conversation_id = excluded.conversation_id`;

const INSERT_NEW = `INSERT INTO bot_state (key, etag, data, updated_at, channel_id, conversation_id) VALUES ($1, 1, $2, $3, $4, $5)
  ON CONFLICT (key) DO NOTHING`;

export class PgConversationState implements ConversationStateRepository {
  constructor(private readonly db: PgDb, private readonly clock: () => Date) {}

  async read(keys: string[], tx?: Tx): Promise<StateItem[]> {
    if (keys.length === 0) return [];
    const rows = await this.db.query<{ key: string; etag: number; data: string }>(
      'SELECT key, etag, data FROM bot_state WHERE key = ANY($1::text[])',
      [keys],
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
      await this.db.run(UPSERT, params(changes[0]), tx);
      return;
    }
    await this.db.inTransaction(tx, async (t) => {
      for (const c of changes) {
        if (unconditionalEtag(c.eTag)) {
          await this.db.run(UPSERT, params(c), t);
          continue;
        }
        const etag = Number(c.eTag);
        if (Number.isSafeInteger(etag)) {
          const updated = await this.db.run(
            `UPDATE bot_state SET etag = etag + 1, data = $1, updated_at = $2, channel_id = $3, conversation_id = $4 WHERE key = $5 AND etag = $6`,
            [JSON.stringify(c.data), now, c.conversation?.channelId ?? null, c.conversation?.conversationId ?? null, c.key, etag],
            t,
          );
          if (updated === 1) continue;
        }
        // no row with that eTag: create the item when the key is new, else the eTag is stale
        const created = await this.db.run(INSERT_NEW, params(c), t);
        if (created === 0) throw new EtagConflictError(c.key);
      }
    });
  }

  async delete(keys: string[], tx?: Tx): Promise<void> {
    if (keys.length === 0) return;
    await this.db.run('DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys], tx);
  }
}
