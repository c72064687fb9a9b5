/**
 * `npm run bench:directline`: many concurrent citizens file a complete complaint over the built-in
 * Direct Line (REST + WebSocket stream), against the real server started as its own process
 * (`node dist/src/index.js`), so clients and server do not share an event loop.
 *
 * Prints conversations per second, the latency from a user's message (POST) to the bot's first
 * reply on the stream (p50/p90/p99/max), and the server's peak RSS (VmHWM).
 *
 * Settings (environment):
 *   BENCH_CONVERSATIONS  concurrent conversations (default 200)
 *   BENCH_ROUNDS         conversations each concurrent citizen files one after the other (default 1)
 *   BENCH_THINK_MS       mean pause before each answer (uniform 0.5x-1.5x), like a person reading and
 *                        clicking; default 2000, faster than people type. 0 saturates the server.
 *   BENCH_RAMP_MS        spread the starts over this long (default: the think time, at least 1000)
 *   BENCH_PORT           port for the server (default: a free one)
 *   BENCH_NODE_ARGS      extra node flags for the server, e.g. --cpu-prof
 *   BENCH_VERBOSE=1      print every message's latency
 */
import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { createServer } from 'net';
import os from 'os';
import path from 'path';
import { performance } from 'perf_hooks';
import { WebSocket } from 'ws';
import { openStore } from '../store';
import { nextStep, type IntakeStep } from './intakeScript';

const N = Number(process.env.BENCH_CONVERSATIONS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const RAMP_MS = Number(process.env.BENCH_RAMP_MS ?? Math.max(1000, THINK_MS));
/** BENCH_VERBOSE=1: print each message's latency */
const VERBOSE = process.env.BENCH_VERBOSE === '1';
const CONVERSATION_TIMEOUT_MS = 120_000;

interface Activity {
  id: string;
  type: string;
  text?: string;
  from: { role?: string };
}

const latencies: number[] = [];
let messages = 0;
const errors: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

async function startServer(dir: string, port: number): Promise<ChildProcess> {
  const entry = path.join(__dirname, '..', 'index.js');
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: `sqlite:${path.join(dir, 'bench.db')}`,
      LOG_LEVEL: 'warn',
      DIRECTLINE_MAX_STARTS_PER_MINUTE: '1000000',
      DIRECTLINE_MAX_ACTIVITIES_PER_MINUTE: '100000',
      DIRECTLINE_MAX_SOCKETS: '100000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function json(res: Response): Promise<Record<string, unknown>> {
  if (!res.ok) throw new Error(`${res.url.replace(/^.*\/v3/, '/v3')} -> ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/** One citizen files one complaint; resolves with the reference. */
async function citizen(base: string): Promise<string> {
  const page = await json(await fetch(`${base}/api/directline/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"locale":"nl-NL"}' }));
  const token = String(page.token);
  const domain = String(page.domain);
  const auth = { Authorization: `Bearer ${token}` };
  const conv = await json(await fetch(`${domain}/conversations`, { method: 'POST', headers: auth }));
  const conversationId = String(conv.conversationId);
  const ws = new WebSocket(String(conv.streamUrl), { perMessageDeflate: false });

  return new Promise<string>((resolve, reject) => {
    let newTexts: string[] = [];
    let sentAt: number | undefined;
    let lastSent = '';
    let busy = false;
    const timer = setTimeout(() => finish(new Error(`conversation ${conversationId} timed out`)), CONVERSATION_TIMEOUT_MS);

    function finish(err?: Error, reference?: string) {
      clearTimeout(timer);
      ws.removeAllListeners('close');
      ws.close();
      if (err) reject(err);
      else resolve(reference!);
    }

    async function answer(step: Exclude<IntakeStep, { kind: 'wait' | 'done' }>) {
      busy = true;
      if (THINK_MS > 0) await new Promise((r) => setTimeout(r, THINK_MS * (0.5 + Math.random())));
      const text = step.kind === 'click' ? step.title : step.text;
      lastSent = text;
      sentAt = performance.now();
      messages++;
      try {
        await json(
          await fetch(`${domain}/conversations/${conversationId}/activities`, {
            method: 'POST',
            headers: { ...auth, 'Content-Type': 'application/json' },
            body: JSON.stringify({ type: 'message', text, locale: 'nl-NL', from: { id: 'bench' } }),
          }),
        );
      } catch (err) {
        return finish(err as Error);
      } finally {
        busy = false;
      }
      evaluate(); // the reply may have come over the stream before the POST returned
    }

    /** Looks at the bot's messages since the last answer: the reference ends it, a question gets an answer. */
    function evaluate() {
      const steps = newTexts.map((t) => nextStep(t, 'nl'));
      const done = steps.find((s) => s.kind === 'done');
      if (done && done.kind === 'done') return finish(undefined, done.reference);
      const step = [...steps].reverse().find((s) => s.kind === 'click' || s.kind === 'type');
      if (step && !busy && (step.kind === 'click' || step.kind === 'type')) {
        newTexts = [];
        void answer(step);
      }
    }

    ws.on('message', (data) => {
      const frame = data.toString();
      if (!frame) return; // keep-alive
      const set = JSON.parse(frame) as { activities: Activity[] };
      for (const a of set.activities) {
        if (a.from?.role !== 'bot' || a.type !== 'message') continue;
        if (sentAt !== undefined) {
          latencies.push(performance.now() - sentAt);
          if (VERBOSE) console.log(`${(performance.now() - sentAt).toFixed(1).padStart(7)} ms  ${lastSent.slice(0, 40)}`);
          sentAt = undefined;
        }
        newTexts.push(a.text ?? '');
      }
      evaluate();
    });
    ws.on('error', (err) => finish(err));
    ws.on('close', () => finish(new Error(`stream of ${conversationId} closed`)));
  });
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klachtbot-bench-'));
  const port = Number(process.env.BENCH_PORT ?? (await freePort()));
  const server = await startServer(dir, port);
  const base = `http://127.0.0.1:${port}`;
  const cpuBefore = cpuSeconds(server.pid!);
  console.log(
    `Direct Line benchmark: ${N} concurrent conversations x ${ROUNDS} round(s) over WebSocket, ` +
      `think time ${THINK_MS} ms (+-50%), ${os.cpus().length} cores, server pid ${server.pid}`,
  );

  // Unmeasured warm-up (JIT, SQLite page cache), as in any benchmark: a few conversations first.
  await Promise.all(Array.from({ length: WARMUP }, () => citizen(base).catch((err: Error) => errors.push(`warm-up: ${err.message}`))));
  latencies.length = 0;
  messages = 0;

  const references: string[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (RAMP_MS * i) / N));
      for (let round = 0; round < ROUNDS; round++) {
        try {
          references.push(await citizen(base));
        } catch (err) {
          errors.push((err as Error).message);
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const rss = peakRssMb(server.pid!);
  const cpu = cpuSeconds(server.pid!) - cpuBefore;
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));

  // every complaint of this run came in through the built-in Direct Line
  const store = await openStore(`sqlite:${path.join(dir, 'bench.db')}`);
  const stored = await store.complaints.count();
  await store.close();
  rmSync(dir, { recursive: true, force: true });

  const sorted = [...latencies].sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`completed conversations : ${references.length} of ${N * ROUNDS} (${new Set(references).size} distinct references, ${stored} complaints stored)`);
  console.log(`errors                  : ${errors.length}${errors.length ? ` (first: ${errors[0]})` : ''}`);
  console.log(`wall time               : ${seconds.toFixed(2)} s`);
  console.log(`conversations/s         : ${(references.length / seconds).toFixed(1)}`);
  console.log(`user messages           : ${messages} (${(messages / seconds).toFixed(0)}/s)`);
  console.log(`latency message->reply  : p50 ${fmt(pct(sorted, 50))}, p90 ${fmt(pct(sorted, 90))}, p99 ${fmt(pct(sorted, 99))}, max ${fmt(sorted[sorted.length - 1] ?? NaN)}`);
  console.log(`server peak RSS         : ${rss.toFixed(1)} MB`);
  console.log(`server CPU              : ${cpu.toFixed(1)} s (${((cpu / seconds) * 100).toFixed(0)}% of one core)`);
  const target = pct(sorted, 99) < 100 && errors.length === 0;
  console.log(`target (p99 < 100 ms, no errors): ${target ? 'met' : 'NOT met'}`);
  if (errors.length > 0 || references.length !== N * ROUNDS) process.exitCode = 1;
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
