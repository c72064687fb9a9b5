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

/**
 * One line of a JSON-lines protocol read as an object with a non-empty "text" (shared by `classify` and
 * `understand`): a trailing CR is dropped; a blank line, a line over MAX_LINE_CHARS, bad JSON, no object,
 * or a missing or empty text gives the error to answer with.
 */
export function readTextLine(line: string): { input: Record<string, unknown>; text: string } | { error: string } {
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
  const { text } = input as { text?: unknown };
  if (typeof text !== 'string') return { error: 'missing text (a string)' };
  if (text.trim() === '') return { error: 'empty text' };
  return { input: input as Record<string, unknown>, text };
}

async function answer(line: string, classifier: RouteClassifier): Promise<Record<string, unknown>> {
  const read = readTextLine(line);
  if ('error' in read) return { error: read.error };
  const { text } = read;
  const { locale } = read.input;
  if (!isLocale(locale)) return { error: 'unknown locale (expected "nl" or "en")' };
  try {
    const { route, confidence } = await classifier.classify(text, locale);
    return { route, confidence };
  } catch (err) {
    return { error: `classification failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
