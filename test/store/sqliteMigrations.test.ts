/**
 * SQLite upgrades: a database written before the store layer (bot_state without conversation columns)
 * is migrated on open; its conversation state is then found and purged by conversation like new state.
 */
import { openStore } from '../../src/store';
import { Db } from '../../src/store/sqlite/db';
import { STORAGE_MIGRATIONS } from '../../src/store/sqlite/migrations';
import { tempDbFile } from '../helpers/harness';
import { sqliteDb } from '../helpers/sqlite';

test('bot_state rows of an older database get their channel and conversation from the key; other keys none', async () => {
  const tmp = tempDbFile();
  try {
    const old = await Db.open(tmp.file);
    await old.migrate('storage', STORAGE_MIGRATIONS.slice(0, 1));
    for (const key of ['emulator/conversations/conv-1/', 'msteams/conversations/a:1/b/ns', 'msteams/users/u1/', 'plain-key']) {
      await old.write('INSERT INTO bot_state (key, etag, data, updated_at) VALUES (?, 1, ?, ?)', [key, '{"v":1}', '2026-01-01T00:00:00.000Z']);
    }
    await old.close();
    const store = await openStore(`sqlite:${tmp.file}`);
    try {
      const rows = await sqliteDb(store).all<{ key: string; channel_id: string | null; conversation_id: string | null }>(
        'SELECT key, channel_id, conversation_id FROM bot_state ORDER BY key',
      );
      expect(rows).toEqual([
        { key: 'emulator/conversations/conv-1/', channel_id: 'emulator', conversation_id: 'conv-1' },
        { key: 'msteams/conversations/a:1/b/ns', channel_id: 'msteams', conversation_id: 'a:1/b' },
        { key: 'msteams/users/u1/', channel_id: null, conversation_id: null },
        { key: 'plain-key', channel_id: null, conversation_id: null },
      ]);
      const state = store.retention.participants().find((p) => p.name === 'conversationState')!;
      expect(await state.staleConversations('2026-02-01T00:00:00.000Z')).toEqual(
        expect.arrayContaining([
          { channelId: 'emulator', conversationId: 'conv-1' },
          { channelId: 'msteams', conversationId: 'a:1/b' },
        ]),
      );
      await store.transaction((tx) => state.purgeConversation({ channelId: 'msteams', conversationId: 'a:1/b' }, tx));
      expect((await store.conversationState.read(['msteams/conversations/a:1/b/ns', 'msteams/users/u1/'])).map((i) => i.key)).toEqual(['msteams/users/u1/']);
    } finally {
      await store.close();
    }
  } finally {
    tmp.cleanup();
  }
});
