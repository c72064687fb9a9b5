/**
 * `npm run eval:understand`: the understanding on its evaluation sets (test/fixtures/understand-eval.nl.jsonl and
 * .en.jsonl, written apart from the training corpus), with accuracy per intent, per field and for dates.
 * Also the hold-out sets (test/fixtures/understand-holdout.<locale>.jsonl), written after the development sets and
 * never tuned against. `--failures` also lists the lines it got wrong. Figures go to standard output.
 */
import { join } from 'path';
import { projectRoot } from '../routing/model-file';
import { evaluate, formatReport, readEvalSet } from './evaluate';
import { createUnderstander } from './index';

async function main(): Promise<void> {
  const understander = await createUnderstander({ explain: process.argv.includes('--failures') });
  const showFailures = process.argv.includes('--failures');
  // understand-eval: the development sets; understand-holdout: written later and never tuned against.
  for (const name of ['understand-eval.nl', 'understand-eval.en', 'understand-holdout.nl', 'understand-holdout.en', 'understand-holdout2.nl', 'understand-holdout2.en', 'understand-holdout3.nl', 'understand-holdout3.en', 'understand-holdout4.nl', 'understand-holdout4.en']) {
    const path = join(projectRoot(), 'test', 'fixtures', `${name}.jsonl`);
    const report = await evaluate(understander, readEvalSet(path));
    process.stdout.write(formatReport(`${name}.jsonl`, report) + '\n');
    if (showFailures) {
      for (const f of report.failures) {
        process.stdout.write(`  x [${f.wrong.join(',')}] ${JSON.stringify({ text: f.line.text, asked: f.line.asked })}\n`);
        process.stdout.write(`      expected ${JSON.stringify(f.line.expected)}\n      got      ${JSON.stringify(f.got)}\n`);
      }
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`eval: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
