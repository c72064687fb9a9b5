/**
 * `npm run bench:classify`: model start-up time and the time to classify one message.
 * Messages: the evaluation sets of both languages (realistic lengths, never seen in training).
 * Start-up is measured in fresh child processes (the first load in a process includes reading and
 * compiling the NLP.js modules; later loads in the same process are faster and would flatter the
 * figure). Targets: median classification under 1 ms, start-up under 1 s.
 */
import { execFileSync } from 'child_process';
import { LOCALES, Locale } from '../domain/routes';
import { createRouteClassifier } from '../routing/classifier';
import { trainingUtterances } from '../routing/corpus';
import { loadEvaluationSet } from '../routing/metrics';

const STARTUP_RUNS = 5;
const PASSES = 10;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const ms = (x: number): string => `${x.toFixed(3)} ms`;

async function startupInChild(): Promise<void> {
  const t0 = process.hrtime.bigint();
  const c = await createRouteClassifier();
  const t1 = process.hrtime.bigint();
  c.classify('De lantaarnpaal is kapot', 'nl');
  const t2 = process.hrtime.bigint();
  process.stdout.write(JSON.stringify({ load: Number(t1 - t0) / 1e6, first: Number(t2 - t1) / 1e6, source: c.source }));
}

interface Startup {
  load: number;
  first: number;
  source: string;
}

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  if (process.argv.includes('--startup-child')) return startupInChild();

  const startups: Startup[] = [];
  for (let i = 0; i < STARTUP_RUNS; i += 1) {
    const out = execFileSync(process.execPath, [__filename, '--startup-child'], { encoding: 'utf8' });
    startups.push(JSON.parse(out) as Startup);
  }

  const classifier = await createRouteClassifier();
  // Warm up the JIT on training sentences, so the timed messages are new to NLP.js's caches.
  for (const locale of LOCALES) for (const u of trainingUtterances(locale)) classifier.classify(u.text, locale);

  const messages: { text: string; locale: Locale }[] = [];
  for (const locale of LOCALES) for (const m of loadEvaluationSet(locale)) messages.push({ text: m.text, locale });
  const firstSight = messages.map((m) => time(() => classifier.classify(m.text, m.locale)));
  const repeated: number[] = [];
  for (let p = 0; p < PASSES; p += 1) for (const m of messages) repeated.push(time(() => classifier.classify(m.text, m.locale)));

  // A long story (about 2,000 characters, built from evaluation messages), each variant new.
  const nl = messages.filter((m) => m.locale === 'nl').map((m) => m.text);
  const long: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    const story = Array.from({ length: 20 }, (_, j) => nl[(i * 7 + j * 13) % nl.length]).join(' ') + ` (${i})`;
    long.push(time(() => classifier.classify(story.slice(0, 2000), 'nl')));
  }
  classifier.close();

  const loads = startups.map((s) => s.load);
  const lines = [
    `route classifier benchmark (node ${process.version}, model source: ${startups[0].source})`,
    '',
    `start-up: createRouteClassifier() in a fresh process, ${STARTUP_RUNS} runs: median ${ms(median(loads))}, max ${ms(Math.max(...loads))}   (target < 1000 ms)`,
    `  first classification after start-up: median ${ms(median(startups.map((s) => s.first)))}`,
    '',
    `classification of ${messages.length} evaluation messages (nl + en), each seen for the first time:`,
    `  median ${ms(median(firstSight))}   p90 ${ms(percentile(firstSight, 90))}   p99 ${ms(percentile(firstSight, 99))}   max ${ms(Math.max(...firstSight))}   (target median < 1 ms)`,
    `the same messages again, ${PASSES} passes (${repeated.length} calls; NLP.js caches tokens and stems):`,
    `  median ${ms(median(repeated))}   p99 ${ms(percentile(repeated, 99))}`,
    `a 2,000-character story (${long.length} variants): median ${ms(median(long))}   max ${ms(Math.max(...long))}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:classify failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
