/**
 * `npm run --silent classify`: reads JSON lines on standard input, each {"text": "...", "locale": "nl"},
 * and writes one JSON line per input line, in order: {"route": "...", "confidence": 0..1}, or
 * {"error": "..."} for a bad line (see jsonl.ts). Blank lines are answered with an error too, so the
 * output stays line-aligned with the input. Nothing else is written to standard output; a failure to
 * load the model goes to standard error with exit code 1.
 */
import { createInterface } from 'readline';
import { createRouteClassifier } from './classifier';
import { answerLine } from './jsonl';

async function main(): Promise<void> {
  const classifier = await createRouteClassifier();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  for await (const line of lines) {
    const out = await answerLine(line, classifier);
    if (!process.stdout.write(out + '\n')) {
      await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
    }
  }
  classifier.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`classify: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
