import type { RouteClassifier } from '../domain/routes';
import { isLocale } from './classifier';

/**
 * The line protocol of `npm run --silent classify`, separate from the process plumbing so it can be
 * tested: one JSON object in, one JSON object out.
 *
 * In:  {"text": "...", "locale": "nl"}      (locale "nl" or "en"; other fields are ignored)
 * Out: {"route": "<route>", "confidence": <0..1>}
 *  or: {"error": "<reason>"}                 for a line that is not JSON, not an object, has a
 *                                            missing or empty text, or an unknown locale.
 * A blank line is answered with {"error": "blank line"}, so output line N always answers input line N.
 */

export const MAX_LINE_CHARS = 100_000;

export async function answerLine(line: string, classifier: RouteClassifier): Promise<string> {
  return JSON.stringify(await answer(line, classifier));
}

async function answer(line: string, classifier: RouteClassifier): Promise<Record<string, unknown>> {
  const raw = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (raw.trim() === '') return { error: 'blank line' };
  if (raw.length > MAX_LINE_CHARS) return { error: `line longer than ${MAX_LINE_CHARS} characters` };
  let input: unknown;
  try {
    input = JSON.parse(raw);
  } catch {
    return { error: 'not valid JSON' };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { error: 'expected a JSON object' };
  const { text, locale } = input as { text?: unknown; locale?: unknown };
  if (typeof text !== 'string') return { error: 'missing text (a string)' };
  if (text.trim() === '') return { error: 'empty text' };
  if (!isLocale(locale)) return { error: 'unknown locale (expected "nl" or "en")' };
  try {
    const { route, confidence } = await classifier.classify(text, locale);
    return { route, confidence };
  } catch (err) {
    return { error: `classification failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
