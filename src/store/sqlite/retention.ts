/**
 * What each SQLite repository holds about conversations and complaints, for the retention registry
 * (src/store/types.ts, RetentionParticipant). Each participant reads and deletes its own tables only.
 */
import type { ComplaintRef, ConversationRef, RetentionParticipant, Tx } from '../types';
import { placeholders, type Sql } from './sql';

type ConvRow = { channel_id: string; conversation_id: string };
const toRefs = (rows: ConvRow[]): ConversationRef[] => rows.map((r) => ({ channelId: r.channel_id, conversationId: r.conversation_id }));
const exists = async (sql: Sql, q: string, params: unknown[], tx?: Tx) => Boolean(await sql.get(`SELECT 1 AS x WHERE EXISTS (${q})`, params, tx));

/** Nothing of these about conversations: they only purge with a complaint. */
const noConversation = {
  staleConversations: async () => [],
  anchors: async () => false,
  activeSince: async () => false,
  purgeConversation: async () => 0,
};

export function complaintsParticipant(sql: Sql): RetentionParticipant {
  return {
    name: 'complaints',
    ...noConversation,
    anchors: (conv, tx) => exists(sql, 'SELECT 1 FROM complaints WHERE channel = ? AND conversation_id = ?', [conv.channelId, conv.conversationId], tx),
    // the search index follows by trigger
    purgeComplaint: async (c, tx) => (await sql.run('DELETE FROM complaints WHERE id = ?', [c.id], tx)).changes,
  };
}

export function staffParticipant(sql: Sql): RetentionParticipant {
  return {
    name: 'staff',
    ...noConversation,
    purgeComplaint: async (c, tx) =>
      (await sql.run('DELETE FROM complaint_events WHERE complaint_id = ?', [c.id], tx)).changes +
      (await sql.run('DELETE FROM complaint_handling WHERE complaint_id = ?', [c.id], tx)).changes,
  };
}

const LOOSE_CALLBACKS = `SELECT cb.id FROM callbacks cb WHERE cb.complaint_reference IS NULL AND cb.created_at < ?
  AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.channel = cb.channel AND c.conversation_id = cb.conversation_id)`;

export function callbacksParticipant(sql: Sql): RetentionParticipant {
  const deleteIds = async (ids: number[], tx: Tx): Promise<number> => {
    if (ids.length === 0) return 0;
    await sql.run(`DELETE FROM callback_handling WHERE callback_id IN (${placeholders(ids.length)})`, ids, tx);
    return (await sql.run(`DELETE FROM callbacks WHERE id IN (${placeholders(ids.length)})`, ids, tx)).changes;
  };
  const ids = async (q: string, params: unknown[], tx?: Tx) => (await sql.all<{ id: number }>(q, params, tx)).map((r) => r.id);
  return {
    name: 'callbacks',
    // a call-back request alone does not make a conversation to purge: see purgeLoose
    staleConversations: async () => [],
    anchors: (conv, tx) =>
      exists(sql, 'SELECT 1 FROM callbacks WHERE channel = ? AND conversation_id = ? AND complaint_reference IS NOT NULL', [conv.channelId, conv.conversationId], tx),
    activeSince: (conv, cutoff, tx) =>
      exists(sql, 'SELECT 1 FROM callbacks WHERE channel = ? AND conversation_id = ? AND created_at >= ?', [conv.channelId, conv.conversationId, cutoff], tx),
    purgeConversation: async (conv, tx) =>
      deleteIds(await ids('SELECT id FROM callbacks WHERE channel = ? AND conversation_id = ? AND complaint_reference IS NULL', [conv.channelId, conv.conversationId], tx), tx),
    purgeComplaint: async (c: ComplaintRef, tx) => {
      // the complaint (registered last) still points at its call-back until it goes in this same
      // transaction: check that foreign key at commit (SQLite resets this at the transaction's end)
      await sql.db.exec('PRAGMA defer_foreign_keys = ON');
      return deleteIds(
        await ids('SELECT id FROM callbacks WHERE complaint_reference = ? OR id IN (SELECT callback_id FROM complaints WHERE id = ?)', [c.reference, c.id], tx),
        tx,
      );
    },
    countLoose: async (cutoff, tx) => (await ids(LOOSE_CALLBACKS, [cutoff], tx)).length,
    purgeLoose: async (cutoff, tx) => deleteIds(await ids(LOOSE_CALLBACKS, [cutoff], tx), tx),
  };
}

export function conversationStateParticipant(sql: Sql): RetentionParticipant {
  return {
    name: 'conversationState',
    staleConversations: async (cutoff, tx) =>
      toRefs(
        await sql.all<ConvRow>(
          'SELECT DISTINCT channel_id, conversation_id FROM bot_state WHERE updated_at < ? AND channel_id IS NOT NULL AND conversation_id IS NOT NULL',
          [cutoff],
          tx,
        ),
      ),
    anchors: async () => false,
    activeSince: (conv, cutoff, tx) =>
      exists(sql, 'SELECT 1 FROM bot_state WHERE channel_id = ? AND conversation_id = ? AND updated_at >= ?', [conv.channelId, conv.conversationId, cutoff], tx),
    purgeConversation: async (conv, tx) =>
      (await sql.run('DELETE FROM bot_state WHERE channel_id = ? AND conversation_id = ?', [conv.channelId, conv.conversationId], tx)).changes,
    purgeComplaint: async () => 0,
  };
}

export function transcriptsParticipant(sql: Sql): RetentionParticipant {
  return {
    name: 'transcripts',
    staleConversations: async (cutoff, tx) =>
      toRefs(await sql.all<ConvRow>('SELECT channel_id, conversation_id FROM transcripts WHERE last_activity_at < ?', [cutoff], tx)),
    anchors: async () => false,
    activeSince: (conv, cutoff, tx) =>
      exists(sql, 'SELECT 1 FROM transcripts WHERE channel_id = ? AND conversation_id = ? AND last_activity_at >= ?', [conv.channelId, conv.conversationId, cutoff], tx),
    purgeConversation: async (conv, tx) => {
      const { changes } = await sql.run('DELETE FROM transcript_activities WHERE channel_id = ? AND conversation_id = ?', [conv.channelId, conv.conversationId], tx);
      await sql.run('DELETE FROM transcripts WHERE channel_id = ? AND conversation_id = ?', [conv.channelId, conv.conversationId], tx);
      return changes;
    },
    purgeComplaint: async () => 0,
  };
}

export function dedupeParticipant(sql: Sql): RetentionParticipant {
  return {
    name: 'dedupe',
    staleConversations: async (cutoff, tx) =>
      toRefs(await sql.all<ConvRow>('SELECT DISTINCT channel_id, conversation_id FROM processed_activities WHERE created_at < ?', [cutoff], tx)),
    anchors: async () => false,
    activeSince: (conv, cutoff, tx) =>
      exists(sql, 'SELECT 1 FROM processed_activities WHERE channel_id = ? AND conversation_id = ? AND created_at >= ?', [conv.channelId, conv.conversationId, cutoff], tx),
    purgeConversation: async (conv, tx) =>
      (await sql.run('DELETE FROM processed_activities WHERE channel_id = ? AND conversation_id = ?', [conv.channelId, conv.conversationId], tx)).changes,
    purgeComplaint: async () => 0,
  };
}
