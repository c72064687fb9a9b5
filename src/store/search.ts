/**
 * The staff search's words, declared once for both backends (semantics: src/store/types.ts, "Search
 * semantics"). Pure; no SQL.
 */

import { checkPhone } from '../domain/contact';

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

/**
 * A reference with its prefix or part of it: 'KL-2026-7QK4MX', '2026-7QK4MX' (its code is one search word;
 * a bare '7QK4MX' is that word anyway).
 */
const REFERENCE_QUERY = /^(?:KL-)?\d{4}-([23456789A-HJKMNP-Z]{6})$/i;
/** A phone number as people write it: digits with spaces, hyphens, dots or brackets, maybe a leading '+'. */
const PHONE_RUN = /\+?\(?\d[\d\s().-]{7,}\d/g;
/** A Dutch postcode with a space: '1185 XE' is the word '1185xe', as the document has it. */
const POSTCODE_SPACED = /\b([1-9]\d{3})\s+([A-Za-z]{2})\b/g;

/**
 * The words of a search query: the first MAX_SEARCH_WORDS, duplicates once. Empty: nothing to search.
 * Contact keys are made the way the search document holds them (src/store/types.ts, search semantics):
 * a phone number in any form becomes its E.164 digits ('0687654321', '06-87654321' and '+31687654321'
 * all become '31687654321'), a postcode loses its space, a reference its 'KL-2026-' prefix.
 */
export function searchQueryWords(q: string): string[] {
  const ref = REFERENCE_QUERY.exec(q.trim());
  if (ref) return [ref[1].toLowerCase()];
  const text = q
    .replace(PHONE_RUN, (run) => {
      const r = checkPhone(run);
      return r.ok ? ` ${r.value.replace('+', '')} ` : run;
    })
    .replace(POSTCODE_SPACED, '$1$2');
  return [...new Set(searchTokens(text))].slice(0, MAX_SEARCH_WORDS);
}

function foldWord(w: string): string {
  return w.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().normalize('NFC');
}
