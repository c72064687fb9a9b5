/**
 * The staff search's words, declared once for both backends (semantics: src/store/types.ts, "Search
 * semantics"). Pure; no SQL.
 */

/** At most this many words of a query count. */
export const MAX_SEARCH_WORDS = 12;

/**
 * The words of a text: maximal runs of Unicode letters and digits (after NFKC), lower-cased and without
 * diacritics ('Café' -> 'cafe'), as SQLite's unicode61 tokenizer with remove_diacritics 2 sees them.
 */
export function searchTokens(text: string): string[] {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map(foldWord).filter((w) => w.length > 0);
}

/** The words of a search query: the first MAX_SEARCH_WORDS, duplicates once. Empty: nothing to search. */
export function searchQueryWords(q: string): string[] {
  return [...new Set(searchTokens(q))].slice(0, MAX_SEARCH_WORDS);
}

function foldWord(w: string): string {
  return w.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().normalize('NFC');
}
