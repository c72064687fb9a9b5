/**
 * The line protocol of `npm run --silent understand` (issue 11, evaluation contract), separate from the
 * process plumbing so it can be tested: one JSON object in, one JSON object out.
 *
 * In:  {"text": "...", "locale": "nl"|"en", "now"?: "<ISO 8601 instant>", "asked"?: "<one of ASKED>"}
 * Out: {"intent": ..., "language"?: ..., "question"?: ..., "routes"?: [...], "fields": {...}}
 *  or: {"error": "<reason>"} for a blank line, bad JSON, no object, missing/empty text, bad locale, bad asked
 *      or bad now. Output line N always answers input line N.
 */
import { LOCALES, type Locale } from '../domain/routes';
import { MAX_LINE_CHARS, readTextLine } from '../routing/jsonl';
import { ASKED, type Asked, type Understander } from './types';

export { MAX_LINE_CHARS };

/** "2026-11-24T10:00:00Z", "2026-11-24T10:00:00+01:00", "2026-11-24" (midnight UTC). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseNow(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value.trim())) return undefined;
  const d = new Date(value.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export async function answerLine(line: string, understander: Understander): Promise<string> {
  return JSON.stringify(await answer(line, understander));
}

async function answer(line: string, understander: Understander): Promise<Record<string, unknown>> {
  const read = readTextLine(line);
  if ('error' in read) return { error: read.error };
  const { text } = read;
  const { locale, now, asked } = read.input;
  if (typeof locale !== 'string' || !(LOCALES as readonly string[]).includes(locale)) {
    return { error: 'unknown locale (expected "nl" or "en")' };
  }
  if (asked !== undefined && asked !== null && (typeof asked !== 'string' || !(ASKED as readonly string[]).includes(asked))) {
    return { error: `unknown asked (expected one of ${ASKED.join(', ')})` };
  }
  let at: Date | undefined;
  if (now !== undefined && now !== null) {
    at = parseNow(now);
    if (!at) return { error: 'bad now (expected an ISO 8601 instant such as "2026-11-24T10:00:00Z")' };
  }
  try {
    const u = await understander.understand({
      text,
      locale: locale as Locale,
      now: at,
      asked: (asked ?? undefined) as Asked | undefined,
    });
    // Key order as in the contract.
    const out: Record<string, unknown> = { intent: u.intent };
    if (u.language !== undefined) out.language = u.language;
    if (u.question !== undefined) out.question = u.question;
    if (u.unsupportedLanguage !== undefined) out.unsupportedLanguage = u.unsupportedLanguage;
    if (u.routes !== undefined) out.routes = u.routes;
    out.fields = u.fields;
    return out;
  } catch (err) {
    return { error: `understanding failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
