import { readFileSync } from 'fs';
import { join } from 'path';
import { Locale, RECOGNISED_ROUTES, RecognisedRoute, REFERRAL_ROUTES } from '../domain/routes';
import { projectRoot } from './model-file';

/**
 * Evaluation of the recogniser on a labelled set: accuracy, per-route precision and recall, the
 * confusion matrix, and the rate that matters most: real complaints sent to a non-complaint route
 * (`unclear` does not count as sent away: the bot asks the citizen).
 */

export interface LabelledMessage {
  text: string;
  route: RecognisedRoute;
}

export interface Prediction extends LabelledMessage {
  predicted: RecognisedRoute;
  confidence: number;
}

export interface RouteStats {
  support: number;
  predicted: number;
  correct: number;
  /** undefined when nothing was predicted as this route */
  precision: number | undefined;
  /** undefined when the set has no message of this route */
  recall: number | undefined;
}

export interface EvaluationReport {
  total: number;
  correct: number;
  accuracy: number;
  perRoute: Record<RecognisedRoute, RouteStats>;
  /** confusion[expected][predicted] = count */
  confusion: Record<RecognisedRoute, Record<RecognisedRoute, number>>;
  complaints: number;
  complaintsMisrouted: number;
  /** complaintsMisrouted / complaints (0 when there are no complaints) */
  complaintMisroutedRate: number;
  complaintsToUnclear: number;
  errors: Prediction[];
}

export function evaluate(predictions: Prediction[]): EvaluationReport {
  const confusion = {} as Record<RecognisedRoute, Record<RecognisedRoute, number>>;
  for (const a of RECOGNISED_ROUTES) {
    confusion[a] = {} as Record<RecognisedRoute, number>;
    for (const b of RECOGNISED_ROUTES) confusion[a][b] = 0;
  }
  for (const p of predictions) confusion[p.route][p.predicted] += 1;

  const perRoute = {} as Record<RecognisedRoute, RouteStats>;
  for (const r of RECOGNISED_ROUTES) {
    const support = RECOGNISED_ROUTES.reduce((s, b) => s + confusion[r][b], 0);
    const predicted = RECOGNISED_ROUTES.reduce((s, a) => s + confusion[a][r], 0);
    const correct = confusion[r][r];
    perRoute[r] = {
      support,
      predicted,
      correct,
      precision: predicted ? correct / predicted : undefined,
      recall: support ? correct / support : undefined,
    };
  }
  const correct = predictions.filter((p) => p.predicted === p.route).length;
  const complaints = perRoute.complaint.support;
  const complaintsMisrouted = (REFERRAL_ROUTES as RecognisedRoute[]).reduce((s, r) => s + confusion.complaint[r], 0);
  return {
    total: predictions.length,
    correct,
    accuracy: predictions.length ? correct / predictions.length : 0,
    perRoute,
    confusion,
    complaints,
    complaintsMisrouted,
    complaintMisroutedRate: complaints ? complaintsMisrouted / complaints : 0,
    complaintsToUnclear: confusion.complaint.unclear,
    errors: predictions.filter((p) => p.predicted !== p.route),
  };
}

const pct = (x: number | undefined): string => (x === undefined ? '   - ' : `${(x * 100).toFixed(1).padStart(5)}`);

export function formatReport(title: string, r: EvaluationReport, opts: { errors?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`== ${title} ==`);
  lines.push(`accuracy ${(r.accuracy * 100).toFixed(1)}% (${r.correct}/${r.total})`);
  lines.push(
    `complaints sent to a non-complaint route: ${r.complaintsMisrouted}/${r.complaints} = ${(r.complaintMisroutedRate * 100).toFixed(1)}%` +
      `   (complaints answered unclear: ${r.complaintsToUnclear})`,
  );
  lines.push('');
  lines.push('route           support  precision  recall');
  for (const route of RECOGNISED_ROUTES) {
    const s = r.perRoute[route];
    lines.push(`${route.padEnd(15)} ${String(s.support).padStart(7)}  ${pct(s.precision).padStart(9)}  ${pct(s.recall).padStart(6)}`);
  }
  lines.push('');
  const abbrev: Record<RecognisedRoute, string> = {
    complaint: 'compl',
    objection: 'objec',
    'tax-objection': 'tax',
    report: 'reprt',
    damage: 'damag',
    care: 'care',
    other: 'other',
    unclear: 'uncl',
  };
  lines.push('confusion (rows: expected, columns: predicted)');
  lines.push(''.padEnd(15) + RECOGNISED_ROUTES.map((c) => abbrev[c].padStart(6)).join(''));
  for (const a of RECOGNISED_ROUTES) {
    lines.push(a.padEnd(15) + RECOGNISED_ROUTES.map((b) => String(r.confusion[a][b] || '.').padStart(6)).join(''));
  }
  if (opts.errors && r.errors.length) {
    lines.push('');
    lines.push('errors (expected -> predicted, confidence):');
    for (const e of r.errors) lines.push(`  ${e.route} -> ${e.predicted} (${e.confidence.toFixed(2)}): ${e.text}`);
  }
  return lines.join('\n');
}

/** Reads test/fixtures/routes-eval.<locale>.jsonl. */
export function loadEvaluationSet(locale: Locale, root: string = projectRoot()): LabelledMessage[] {
  const path = join(root, 'test', 'fixtures', `routes-eval.${locale}.jsonl`);
  return parseLabelledJsonl(readFileSync(path, 'utf8'), path);
}

export function parseLabelledJsonl(content: string, source = 'input'): LabelledMessage[] {
  const out: LabelledMessage[] = [];
  content.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const item = JSON.parse(line) as Partial<LabelledMessage>;
    if (typeof item.text !== 'string' || !item.text.trim() || !RECOGNISED_ROUTES.includes(item.route as RecognisedRoute)) {
      throw new Error(`${source}:${i + 1}: expected {"text": ..., "route": one of ${RECOGNISED_ROUTES.join(', ')}}`);
    }
    out.push({ text: item.text, route: item.route as RecognisedRoute });
  });
  return out;
}
