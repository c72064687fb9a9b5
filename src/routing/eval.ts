/**
 * `npm run eval:routes`: classifies the evaluation sets (test/fixtures/routes-eval.<locale>.jsonl,
 * never used for training) and prints accuracy, per-route precision and recall, the confusion
 * matrix and the rate of real complaints sent to a non-complaint route, per language.
 * Options: --errors (list every misclassified message), --no-rules (model and threshold only),
 * --locale nl|en.
 */
import { LOCALES, Locale } from '../domain/routes';
import { createRouteClassifier } from './classifier';
import { evaluate, formatReport, loadEvaluationSet, Prediction } from './metrics';

async function main(argv: string[]): Promise<void> {
  const showErrors = argv.includes('--errors');
  const rules = !argv.includes('--no-rules');
  const li = argv.indexOf('--locale');
  const locales: Locale[] = li >= 0 ? [argv[li + 1] as Locale] : [...LOCALES];
  const classifier = await createRouteClassifier({ rules });
  const out: string[] = [`route recogniser evaluation (model: ${classifier.source}, rules: ${rules ? 'on' : 'off'})`, ''];
  const all: Prediction[] = [];
  for (const locale of locales) {
    if (!LOCALES.includes(locale)) throw new Error(`unknown locale ${locale}`);
    const set = loadEvaluationSet(locale);
    const predictions: Prediction[] = set.map((m) => {
      const c = classifier.classify(m.text, locale);
      return { ...m, predicted: c.route, confidence: c.confidence };
    });
    all.push(...predictions);
    out.push(formatReport(`${locale} (${set.length} messages)`, evaluate(predictions), { errors: showErrors }), '');
  }
  if (locales.length > 1) out.push(formatReport(`all languages (${all.length} messages)`, evaluate(all)), '');
  classifier.close();
  process.stdout.write(out.join('\n'));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`eval:routes failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
