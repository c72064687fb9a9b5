/**
 * `npm run bench:understand`: time per message of the understanding step (createUnderstander, as the bot uses it),
 * over the messages of the evaluation sets (test/fixtures/understand-eval.<locale>.jsonl) and the route recogniser's
 * evaluation stories (test/fixtures/routes-eval.<locale>.jsonl, read as first messages), after a warm-up round.
 * Prints median, p95 and p99 in milliseconds: for all messages, for short answers/commands (no route recogniser
 * involved) and for stories (route recogniser on the whole story and on each clause), and the same messages
 * without the route recogniser. Also the time to create the understander (start-up).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { projectRoot } from '../routing/model-file';
import { createUnderstander } from '../understanding';
import { readEvalSet } from '../understanding/evaluate';
import { parseNow } from '../understanding/jsonl';
import type { UnderstandInput } from '../understanding/types';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${quantile(s, 0.5).toFixed(3)} ms, p95 ${quantile(s, 0.95).toFixed(3)} ms, p99 ${quantile(s, 0.99).toFixed(3)} ms (n=${s.length})`;
};

async function main(): Promise<void> {
  const t0 = process.hrtime.bigint();
  const full = await createUnderstander();
  const startMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const bare = await createUnderstander({ classifier: null });
  const inputs: UnderstandInput[] = ['nl', 'en'].flatMap((l) =>
    readEvalSet(join(projectRoot(), 'test', 'fixtures', `understand-eval.${l}.jsonl`)).map((x) => ({
      text: x.text, locale: x.locale, asked: x.asked, now: x.now ? parseNow(x.now) : undefined,
    })),
  );
  // and the route recogniser's evaluation stories, as first messages (realistic lengths)
  for (const l of ['nl', 'en'] as const) {
    for (const line of readFileSync(join(projectRoot(), 'test', 'fixtures', `routes-eval.${l}.jsonl`), 'utf8').split('\n').filter(Boolean)) {
      inputs.push({ text: (JSON.parse(line) as { text: string }).text, locale: l, asked: 'story' });
    }
  }
  for (const u of [full, bare]) for (const input of inputs) await u.understand(input); // warm-up

  const run = async (u: typeof full) => {
    const all: number[] = [];
    const stories: number[] = [];
    const short: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const input of inputs) {
        const s = process.hrtime.bigint();
        const out = await u.understand(input);
        const ms = Number(process.hrtime.bigint() - s) / 1e6;
        all.push(ms);
        (out.routes ? stories : short).push(ms);
      }
    }
    return { all, stories, short };
  };
  const a = await run(full);
  const b = await run(bare);
  const lines = [
    `understanding: ${inputs.length} messages x ${ROUNDS} rounds (node ${process.version})`,
    `start-up (createUnderstander, models from files): ${startMs.toFixed(0)} ms`,
    `all messages                     ${fmt(a.all)}`,
    `  short (no route recogniser)    ${fmt(a.short)}`,
    `  stories (with every route)     ${fmt(a.stories)}`,
    `without route recogniser, all    ${fmt(b.all)}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
