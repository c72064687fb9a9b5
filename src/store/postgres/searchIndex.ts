/**
 * The staff search index on PostgreSQL (semantics: src/store/types.ts, "Search semantics"): one tsvector
 * per complaint in complaint_search, made of the words of src/store/search.ts (the same words SQLite's
 * FTS5 sees), stored as lexemes as they are (array_to_tsvector: no parser, no dictionary, so no
 * stemming and no stop words), GIN-indexed. A query is its words as quoted lexemes joined with '&'.
 *
 * Kept current by the repositories, inside the transaction of the change:
 * - filing a complaint: story + what the citizen typed in the conversation so far (complaints.ts);
 * - the citizen says more afterwards (a transcript entry with role 'user' and type 'message'): its words
 *   are added to the documents of that conversation's complaints (transcripts.ts), with `||`, which
 *   is safe when two instances append at once (each UPDATE works on the newest row version);
 * - a complaint deleted: ON DELETE CASCADE.
 */
import { searchTokens } from '../search';
import type { ConversationRef, Tx } from '../types';
import type { PgDb } from './db';

/** PostgreSQL refuses lexemes of 2 KB and more; such a "word" is no search term anyone types. */
const MAX_LEXEME_BYTES = 2046;

/** The distinct words of the texts, as lexemes. */
export function lexemes(texts: Iterable<string>): string[] {
  const words = new Set<string>();
  for (const t of texts) for (const w of searchTokens(t)) if (Buffer.byteLength(w) <= MAX_LEXEME_BYTES) words.add(w);
  return [...words];
}

/** The single-word keys of a complaint's contact details (the same as SQLite's SEARCH_STORY). */
export function contactKeys(c: { phone: string | null; postcode: string | null; reference: string }): string[] {
  return [c.phone?.replace('+', ''), c.postcode?.replace(' ', ''), c.reference.slice(8)].filter((k): k is string => Boolean(k)).map((k) => k.toLowerCase());
}

/** A tsquery that matches documents holding every word (words come from searchQueryWords). */
export function tsquery(words: string[]): string {
  // the last word is a prefix (':*'), as SQLite's FTS5 `"word"*`
  return words.map((w, i) => `'${w.replace(/['\\]/g, '\\$&')}'${i === words.length - 1 ? ':*' : ''}`).join(' & ');
}

/** The `text` of a transcript entry's activity JSON when it is a citizen's message (else null). */
export function citizenText(entry: { role: string | null; type: string; data: string }): string | null {
  if (entry.role !== 'user' || entry.type !== 'message') return null;
  try {
    const text = (JSON.parse(entry.data) as { text?: unknown }).text;
    return typeof text === 'string' ? text : text == null ? null : String(text);
  } catch {
    return null;
  }
}

/** Makes (or remakes) the document of one complaint from its story and the conversation's citizen messages. */
export async function indexComplaint(db: PgDb, complaintId: number, story: string, conv: ConversationRef, tx: Tx): Promise<void> {
  // the texts are taken from the JSON here, not with ->> in SQL: PostgreSQL cannot turn a \u0000 escape into text
  const said = await db.query<{ role: string | null; type: string; data: string }>(
    `SELECT role, type, data FROM transcript_activities
      WHERE channel_id = $1 AND conversation_id = $2 AND role = 'user' AND type = 'message' ORDER BY seq`,
    [conv.channelId, conv.conversationId],
    tx,
  );
  // the contact keys as single words (handling module): E.164 digits, postcode without space, the reference's code
  const keys = await db.one<{ phone: string | null; postcode: string | null; reference: string }>(
    'SELECT phone, postcode, reference FROM complaints WHERE id = $1',
    [complaintId],
    tx,
  );
  const words = lexemes([story, ...said.map((r) => citizenText(r) ?? '')]);
  if (keys) for (const k of contactKeys(keys)) if (!words.includes(k)) words.push(k);
  await db.run(
    `INSERT INTO complaint_search (complaint_id, document) VALUES ($1, array_to_tsvector($2::text[]))
     ON CONFLICT (complaint_id) DO UPDATE SET document = excluded.document`,
    [complaintId, words],
    tx,
  );
}

/** Adds what the citizen said to the documents of the conversation's complaints (none: nothing happens). */
export async function indexSaid(db: PgDb, conv: ConversationRef, texts: string[], tx: Tx): Promise<void> {
  const words = lexemes(texts);
  if (words.length === 0) return;
  await db.run(
    `UPDATE complaint_search s SET document = s.document || array_to_tsvector($3::text[])
       FROM complaints c WHERE c.id = s.complaint_id AND c.channel = $1 AND c.conversation_id = $2`,
    [conv.channelId, conv.conversationId, words],
    tx,
  );
}
