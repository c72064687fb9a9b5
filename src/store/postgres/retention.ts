/**
 * What each PostgreSQL repository holds about conversations and complaints, for the retention registry
 * (src/store/types.ts, RetentionParticipant); the same participants and answers as
 * src/store/sqlite/retention.ts. Each participant reads and deletes its own tables only.
 */
import type { ComplaintRef, ConversationRef, RetentionParticipant, Tx } from '../types';
import type { PgDb } from './db';

type ConvRow = { channel_id: string; conversation_id: string };
const toRefs = (rows: ConvRow[]): ConversationRef[] => rows.map((r) => ({ channelId: r.channel_id, conversationId: r.conversation_id }));
const exists = async (db: PgDb, q: string, params: unknown[], tx?: Tx) =>
  Boolean((await db.one<{ x: boolean }>(`SELECT EXISTS (${q}) AS x`, params, tx))?.x);

/** Nothing of these about conversations: they only purge with a complaint. */
const noConversation = {
  staleConversations: async () => [],
  anchors: async () => false,
  activeSince: async () => false,
  purgeConversation: async () => 0,
};

export function complaintsParticipant(db: PgDb): RetentionParticipant {
  return {
    name: 'complaints',
    ...noConversation,
    anchors: (conv, tx) => exists(db, 'SELECT 1 FROM complaints WHERE channel = $1 AND conversation_id = $2', [conv.channelId, conv.conversationId], tx),
    // the search document goes with it (ON DELETE CASCADE)
    purgeComplaint: (c, tx) => db.run('DELETE FROM complaints WHERE id = $1', [c.id], tx),
  };
}

export function staffParticipant(db: PgDb): RetentionParticipant {
  return {
    name: 'staff',
    ...noConversation,
    purgeComplaint: async (c, tx) =>
      (await db.run('DELETE FROM complaint_events WHERE complaint_id = $1', [c.id], tx)) +
      (await db.run('DELETE FROM complaint_handling WHERE complaint_id = $1', [c.id], tx)),
  };
}

const LOOSE_CALLBACKS = `SELECT cb.id FROM callbacks cb WHERE cb.complaint_reference IS NULL AND cb.created_at < $1
  AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.channel = cb.channel AND c.conversation_id = cb.conversation_id)`;

export function callbacksParticipant(db: PgDb): RetentionParticipant {
  const deleteIds = async (ids: number[], tx: Tx): Promise<number> => {
    if (ids.length === 0) return 0;
    await db.run('DELETE FROM callback_handling WHERE callback_id = ANY($1::bigint[])', [ids], tx);
    return db.run('DELETE FROM callbacks WHERE id = ANY($1::bigint[])', [ids], tx);
  };
  const ids = async (q: string, params: unknown[], tx?: Tx) => (await db.query<{ id: number }>(q, params, tx)).map((r) => r.id);
  return {
    name: 'callbacks',
    // a call-back request alone does not make a conversation to purge: see purgeLoose
    staleConversations: async () => [],
    anchors: (conv, tx) =>
      exists(db, 'SELECT 1 FROM callbacks WHERE channel = $1 AND conversation_id = $2 AND complaint_reference IS NOT NULL', [conv.channelId, conv.conversationId], tx),
    activeSince: (conv, cutoff, tx) =>
      exists(db, 'SELECT 1 FROM callbacks WHERE channel = $1 AND conversation_id = $2 AND created_at >= $3', [conv.channelId, conv.conversationId, cutoff], tx),
    purgeConversation: async (conv, tx) =>
      deleteIds(await ids('SELECT id FROM callbacks WHERE channel = $1 AND conversation_id = $2 AND complaint_reference IS NULL', [conv.channelId, conv.conversationId], tx), tx),
    purgeComplaint: async (c: ComplaintRef, tx) =>
      deleteIds(
        await ids('SELECT id FROM callbacks WHERE complaint_reference = $1 OR id IN (SELECT callback_id FROM complaints WHERE id = $2)', [c.reference, c.id], tx),
        tx,
      ),
    countLoose: async (cutoff, tx) => (await ids(LOOSE_CALLBACKS, [cutoff], tx)).length,
    purgeLoose: async (cutoff, tx) => deleteIds(await ids(LOOSE_CALLBACKS, [cutoff], tx), tx),
  };
}

export function conversationStateParticipant(db: PgDb): RetentionParticipant {
  return {
    name: 'conversationState',
    staleConversations: async (cutoff, tx) =>
      toRefs(
        await db.query<ConvRow>(
          'SELECT DISTINCT channel_id, conversation_id FROM bot_state WHERE updated_at < $1 AND channel_id IS NOT NULL AND conversation_id IS NOT NULL',
          [cutoff],
          tx,
        ),
      ),
    anchors: async () => false,
    activeSince: (conv, cutoff, tx) =>
      exists(db, 'SELECT 1 FROM bot_state WHERE channel_id = $1 AND conversation_id = $2 AND updated_at >= $3', [conv.channelId, conv.conversationId, cutoff], tx),
    purgeConversation: (conv, tx) => db.run('DELETE FROM bot_state WHERE channel_id = $1 AND conversation_id = $2', [conv.channelId, conv.conversationId], tx),
    purgeComplaint: async () => 0,
  };
}

export function transcriptsParticipant(db: PgDb): RetentionParticipant {
  return {
    name: 'transcripts',
    staleConversations: async (cutoff, tx) =>
      toRefs(await db.query<ConvRow>('SELECT channel_id, conversation_id FROM transcripts WHERE last_activity_at < $1', [cutoff], tx)),
    anchors: async () => false,
    activeSince: (conv, cutoff, tx) =>
      exists(db, 'SELECT 1 FROM transcripts WHERE channel_id = $1 AND conversation_id = $2 AND last_activity_at >= $3', [conv.channelId, conv.conversationId, cutoff], tx),
    purgeConversation: async (conv, tx) => {
      const n = await db.run('DELETE FROM transcript_activities WHERE channel_id = $1 AND conversation_id = $2', [conv.channelId, conv.conversationId], tx);
      await db.run('DELETE FROM transcripts WHERE channel_id = $1 AND conversation_id = $2', [conv.channelId, conv.conversationId], tx);
      return n;
    },
    purgeComplaint: async () => 0,
  };
}

export function dedupeParticipant(db: PgDb): RetentionParticipant {
  return {
    name: 'dedupe',
    staleConversations: async (cutoff, tx) =>
      toRefs(await db.query<ConvRow>('SELECT DISTINCT channel_id, conversation_id FROM processed_activities WHERE created_at < $1', [cutoff], tx)),
    anchors: async () => false,
    activeSince: (conv, cutoff, tx) =>
      exists(db, 'SELECT 1 FROM processed_activities WHERE channel_id = $1 AND conversation_id = $2 AND created_at >= $3', [conv.channelId, conv.conversationId, cutoff], tx),
    purgeConversation: (conv, tx) => db.run('DELETE FROM processed_activities WHERE channel_id = $1 AND conversation_id = $2', [conv.channelId, conv.conversationId], tx),
    purgeComplaint: async () => 0,
  };
}
