/**
 * `npm run --silent understand`: reads JSON lines on standard input, each
 * {"text": "...", "locale": "nl"|"en", "now"?: "<ISO instant>", "asked"?: "..."}, and writes one JSON line
 * per input line, in order (see jsonl.ts). Uses createUnderstander, the same understanding the bot uses.
 * Nothing else goes to standard output; a failure to load goes to standard error with exit code 1.
 */
import { createInterface } from 'readline';
import { createUnderstander } from './index';
import { answerLine } from './jsonl';

async function main(): Promise<void> {
  const understander = await createUnderstander();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  for await (const line of lines) {
    const out = await answerLine(line, understander);
    if (!process.stdout.write(out + '\n')) {
      await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`understand: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
