/**
 * botbuilder's Storage interface over the store's conversation-state repository, with the same eTag
 * rules as botbuilder's MemoryStorage: a write whose eTag is missing or '*' overwrites; a write with a
 * stale eTag rejects, and a batch with one conflict writes nothing.
 *
 * This module builds ConversationState on it, so it knows botbuilder's conversation-state keys
 * (`<channelId>/conversations/<conversationId>/<namespace>`): it tells the store which conversation
 * each item belongs to, stored next to the key, so that retention never has to read keys.
 */
import type { Storage, StoreItems } from 'botbuilder';
import type { ConversationRef, ConversationStateRepository, StateChange } from '../store/types';

const CONVERSATION_KEY = /^(.+?)\/conversations\/(.+)\/([^/]*)$/;

/** The conversation of a ConversationState key; null for other keys (user state, custom keys). */
export function conversationOfKey(key: string): ConversationRef | null {
  const m = CONVERSATION_KEY.exec(key);
  return m ? { channelId: m[1], conversationId: m[2] } : null;
}

export class StateStorage implements Storage {
  constructor(private readonly repo: ConversationStateRepository) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new TypeError('Keys are required when reading');
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    for (const item of await this.repo.read(keys)) items[item.key] = { ...item.data, eTag: item.eTag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new TypeError('Changes are required when writing');
    const list: StateChange[] = Object.keys(changes).map((key) => {
      const { eTag, ...data } = (changes[key] ?? {}) as Record<string, unknown>;
      return {
        key,
        data, // stored as JSON
        eTag: eTag === undefined || eTag === null ? undefined : String(eTag),
        conversation: conversationOfKey(key),
      };
    });
    await this.repo.write(list);
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new TypeError('Keys are required when deleting');
    await this.repo.delete(keys);
  }
}
