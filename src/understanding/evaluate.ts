/**
 * Scores the understanding on an evaluation set: JSON lines {text, locale, now?, asked?, expected: <the contract's
 * output>} (test/fixtures/understand-eval.<locale>.jsonl, written apart from the training corpus).
 *
 * - intent: exact; per expected intent the share recognised (recall), and overall accuracy;
 * - question kind, language and unsupported language: exact, on the lines that expect one;
 * - fields: per field name, over every line where it was expected or produced: exact match. A date matches on
 *   from/to (its words are not compared; a vague date matches a vague date); place and person on their kind
 *   (when expected) and on their words (the one containing the other, ignoring case);
 * - routes: the same set;
 * - lines: everything right on the line.
 */
import { readFileSync } from 'fs';
import { parseNow } from './jsonl';
import type { Asked, Understander, Understanding, UnderstoodFields } from './types';
import type { Locale } from '../domain/routes';

export interface EvalLine {
  text: string;
  locale: Locale;
  now?: string;
  asked?: Asked;
  expected: Understanding;
}

export interface Tally {
  right: number;
  total: number;
}
export interface EvalReport {
  lines: Tally;
  intent: Tally;
  perIntent: Record<string, Tally>;
  question: Tally;
  language: Tally;
  fields: Record<string, Tally>;
  fieldsAll: Tally;
  date: Tally;
  routes: Tally;
  failures: { line: EvalLine; got: Understanding; wrong: string[] }[];
}

export function readEvalSet(path: string): EvalLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as EvalLine);
}

const low = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

export function fieldMatches(key: keyof UnderstoodFields, expected: unknown, got: unknown): boolean {
  if (expected === undefined || got === undefined) return expected === got;
  if (key === 'date') {
    const e = expected as { from?: string; to?: string };
    const g = got as { from?: string; to?: string };
    return e.from === g.from && e.to === g.to;
  }
  if (key === 'place' || key === 'person') {
    const e = expected as { kind?: string; text: string };
    const g = got as { kind?: string; text: string };
    if (e.kind !== undefined && e.kind !== g.kind) return false;
    if (e.text === 'x') return true; // the words do not matter on this line
    const [a, b] = [low(e.text), low(g.text)];
    return a.includes(b) || b.includes(a);
  }
  return expected === got;
}

const tally = (): Tally => ({ right: 0, total: 0 });
const count = (t: Tally, ok: boolean) => {
  t.total++;
  if (ok) t.right++;
};

export async function evaluate(understander: Understander, lines: EvalLine[]): Promise<EvalReport> {
  const r: EvalReport = {
    lines: tally(), intent: tally(), perIntent: {}, question: tally(), language: tally(), fields: {}, fieldsAll: tally(),
    date: tally(), routes: tally(), failures: [],
  };
  for (const line of lines) {
    const got = await understander.understand({ text: line.text, locale: line.locale, asked: line.asked, now: line.now ? parseNow(line.now) : undefined });
    const e = line.expected;
    const wrong: string[] = [];
    const intentOk = got.intent === e.intent;
    count(r.intent, intentOk);
    count((r.perIntent[e.intent] ??= tally()), intentOk);
    if (!intentOk) wrong.push('intent');
    if (e.question !== undefined || got.question !== undefined) {
      const ok = got.question === e.question;
      count(r.question, ok);
      if (!ok) wrong.push('question');
    }
    if (e.language !== undefined || e.unsupportedLanguage !== undefined || got.language !== undefined || got.unsupportedLanguage !== undefined) {
      const ok = got.language === e.language && got.unsupportedLanguage === e.unsupportedLanguage;
      count(r.language, ok);
      if (!ok) wrong.push('language');
    }
    const keys = new Set([...Object.keys(e.fields), ...Object.keys(got.fields)]) as Set<keyof UnderstoodFields>;
    for (const k of keys) {
      const ok = fieldMatches(k, e.fields[k], got.fields[k]);
      count((r.fields[k] ??= tally()), ok);
      count(r.fieldsAll, ok);
      if (k === 'date') count(r.date, ok);
      if (!ok) wrong.push(k);
    }
    if (e.routes !== undefined) {
      const ok = JSON.stringify([...(got.routes ?? [])].sort()) === JSON.stringify([...e.routes].sort());
      count(r.routes, ok);
      if (!ok) wrong.push('routes');
    }
    count(r.lines, wrong.length === 0);
    if (wrong.length > 0) r.failures.push({ line, got, wrong });
  }
  return r;
}

const pct = (t: Tally) => (t.total === 0 ? '   -  ' : `${((100 * t.right) / t.total).toFixed(1).padStart(5)}%`);

export function formatReport(name: string, r: EvalReport): string {
  const out = [`== ${name}: ${r.lines.total} lines`];
  out.push(`lines entirely right ${pct(r.lines)} (${r.lines.right}/${r.lines.total})`);
  out.push(`intent accuracy      ${pct(r.intent)} (${r.intent.right}/${r.intent.total})`);
  for (const [k, t] of Object.entries(r.perIntent).sort()) out.push(`  intent ${k.padEnd(12)} ${pct(t)} (${t.right}/${t.total})`);
  out.push(`question kind        ${pct(r.question)} (${r.question.right}/${r.question.total})`);
  out.push(`language             ${pct(r.language)} (${r.language.right}/${r.language.total})`);
  out.push(`fields (all)         ${pct(r.fieldsAll)} (${r.fieldsAll.right}/${r.fieldsAll.total})`);
  for (const [k, t] of Object.entries(r.fields).sort()) out.push(`  field ${k.padEnd(13)} ${pct(t)} (${t.right}/${t.total})`);
  out.push(`date accuracy        ${pct(r.date)} (${r.date.right}/${r.date.total})`);
  out.push(`routes (same set)    ${pct(r.routes)} (${r.routes.right}/${r.routes.total})`);
  return out.join('\n');
}
