/**
 * `npm run bench`: concurrent conversations through the real /api/messages, channel-style, each
 * filing a complaint; the same load against a plain echo bot on the same restify + CloudAdapter stack.
 * Before measuring, each server gets an unmeasured warm-up of BENCH_WARMUP conversations (default: one
 * full round), so that both bots are measured warm (JIT, SQLite page cache), as a server that has been
 * running for a while is. Two phases:
 * - throughput: every conversation sends its next message as soon as the last turn ends (saturation):
 *   turns/s and complaints/s. Intake bot and echo bot are measured in BENCH_RUNS alternating pairs, so
 *   that drift in the machine's speed (other tenants) hits both alike; the ratio printed is the median
 *   of the pairs' ratios;
 * - latency: the same number of conversations, each citizen pausing BENCH_THINK_MS (+-50%) between
 *   messages as people do: p50/p99 of the turn latency (POST to /api/messages until the turn's replies
 *   were delivered and the HTTP response came back).
 * Peak RSS is the server process's VmHWM; server CPU is the servers' user + system time (all their
 * threads: SQLite's, the GC's, the e-mail thread's) over the measured rounds, per turn: a figure that
 * varies less with the machine's other load than p99 does. BENCH_DETAIL=1 also prints p50/p99 per message
 * of the script, p99 per second of the round, and the load generator's own CPU per turn. Options (env): BENCH_CONVERSATIONS (100), BENCH_ROUNDS (2),
 * BENCH_THINK_MS (1000), BENCH_WARMUP (= BENCH_CONVERSATIONS), BENCH_RUNS (3).
 *
 * The latency phase runs twice: without e-mail, and with e-mail on (issue 13): a local SMTP server
 * (smtp-server) in a process of its own (src/bench/mailSink.ts) receives, for every complaint, the citizen's confirmation with the
 * complaint PDF and the officers' alert, sent by the product's delivery worker while the citizens chat.
 * It prints how many mails arrived and how long after the last turn the last one came.
 * BENCH_ONLY=paced runs only the two latency runs. BENCH_SERVER_NODE_ARGS passes node options to the
 * servers (a CPU profile: "--cpu-prof --cpu-prof-dir=/tmp/prof"; the servers exit cleanly on SIGTERM).
 *
 * Then the backends side by side, the intake bot saturated and paced as above: SQLite with one
 * instance, PostgreSQL with one instance, and PostgreSQL with two instances on one database, each
 * conversation's turns alternating between the two (a load balancer without sticky sessions). Each
 * PostgreSQL run gets a fresh database on the server of BENCH_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards. BENCH_ONLY=backends runs only this
 * part. Without a reachable PostgreSQL server this part says so (and fails with CI=true).
 */
import { spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import { Client } from 'pg';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { openStore } from '../store';
import { Channel } from '../tools/channel';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 1000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? CONVERSATIONS);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ONLY_BACKENDS = process.env.BENCH_ONLY === 'backends';
const ONLY_PACED = process.env.BENCH_ONLY === 'paced';
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** What a citizen types, from the first message to the confirmation (no call-back). */
const SCRIPT = [
  'Ik heb drie keer gebeld over mijn paspoort en niemand belde terug, de medewerker aan de telefoon was ook erg onvriendelijk',
  'Hoe lang duurt het voordat ik iets hoor?', // a question back: answered, then the date is asked again
  'vorige week dinsdag',
  'Overslaan',
  'Nee, ga verder',
  'Jan Jansen, Dorpsstraat 12, 1182 JR Amstelveen',
  '06 12345678 en jan.jansen@example.nl',
  'Ja, versturen',
];

/** the product (also with e-mail on); the least a botbuilder-dialogs bot with durable state does; a plain echo bot */
type Mode = 'bot' | 'bot-mail' | 'dialog' | 'echo';

interface Result {
  seconds: number;
  turns: number;
  /** confirmations answered with a reference */
  filed: number;
  /** complaints in the store after the run (warm-up and measured rounds; SQLite runs only) */
  stored?: number;
  latencies: number[];
  peakRssMb: number;
  /** the servers' CPU time (user + system) per measured turn, in ms */
  cpuMsPerTurn: number;
}

/**
 * The local SMTP server of the e-mail run, in its own process (src/bench/mailSink.ts): counts what
 * arrives and when the last mail came.
 */
class MailSink {
  received = 0;
  lastAt = 0;
  port = 0;
  private child?: ChildProcess;
  start(): Promise<this> {
    const child = track(spawn(process.execPath, [path.join(__dirname, 'mailSink.js')], { stdio: ['ignore', 'pipe', 'inherit'] }));
    this.child = child;
    return new Promise((resolve, reject) => {
      let buffered = '';
      child.stdout!.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const [word, value] = line.split(' ');
          if (word === 'PORT') {
            this.port = Number(value);
            resolve(this);
          } else if (word === 'MAIL') {
            this.received++;
            this.lastAt = Number(value);
          }
        }
      });
      child.once('exit', (code) => reject(new Error(`the SMTP sink exited with ${code}`)));
    });
  }
  close(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

let smtpUrl = '';

/** every child process of the bench: killed when the bench exits, also on an error (no server left behind) */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});
function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function startServer(mode: Mode, dbFile: string): Promise<{ child: ChildProcess; port: number }> {
  // BENCH_SERVER_NODE_ARGS: node options for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = track(
    spawn(process.execPath, [...nodeArgs, path.join(__dirname, 'server.js'), mode, dbFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_SMTP_URL: smtpUrl },
    }),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      // with BENCH_SERVER_NODE_ARGS (say --trace-gc) what the server prints goes to stderr
      if (nodeArgs.length) process.stderr.write(d);
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** CPU time (user + system) a process has used so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  // after "pid (comm) ": state is field 3, utime field 14 and stime field 15
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * One measured run. `db` is a SQLite file or a postgres:// URL; with `instances` > 1 (PostgreSQL)
 * that many servers share it and each conversation's turns alternate between them.
 */
async function run(
  mode: Mode,
  db: string,
  thinkMs: number,
  instances = 1,
  settle?: (filed: number) => Promise<void>,
  afterWarmup?: () => Promise<void>,
): Promise<Result> {
  const servers = await Promise.all(Array.from({ length: instances }, () => startServer(mode, db)));
  const channels = await Promise.all(servers.map(({ port }) => new Channel(`http://127.0.0.1:${port}`).start()));
  /** the instance of turn `t` of conversation `c`: no sticky sessions */
  const via = (c: number, t: number) => channels[(c + t) % channels.length];
  const tag = randomBytes(4).toString('hex');
  const latencies: number[] = [];
  const byStep: number[][] = [];
  /** latencies by the second of the round in which the turn started (BENCH_DETAIL) */
  const bySecond: number[][] = [];
  let filed = 0;
  let turns = 0;
  // unmeasured warm-up conversations (JIT, SQLite page cache), as in any benchmark
  await Promise.all(
    Array.from({ length: WARMUP }, async (_, i) => {
      await via(i, 0).join(`warmup-${tag}-${i}`);
      for (const [t, text] of SCRIPT.entries()) await via(i, t + 1).say(`warmup-${tag}-${i}`, text);
    }),
  );
  await afterWarmup?.();
  const cpuBefore = servers.reduce((sum, { child }) => sum + cpuMs(child.pid!), 0);
  const clientCpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let round = 0; round < ROUNDS; round++) {
    const roundStart = Date.now();
    await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, i) => {
        const conv = `bench-${mode}-${tag}-${round}-${i}`;
        const pause = () => (thinkMs > 0 ? new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random()))) : undefined);
        await pause();
        await via(i, 0).join(conv);
        for (const [t, text] of SCRIPT.entries()) {
          await pause();
          const t0 = process.hrtime.bigint();
          const { status, replies } = await via(i, t + 1).say(conv, text);
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          latencies.push(ms);
          (byStep[t] ??= []).push(ms);
          (bySecond[Math.floor((Date.now() - ms - roundStart) / 1000)] ??= []).push(ms);
          turns++;
          if (status !== 200) throw new Error(`HTTP ${status} on "${text}"`);
          if (!mode.startsWith('bot') && replies.length !== 1) throw new Error(`${mode} bot: ${replies.length} replies to "${text}"`);
          if (mode.startsWith('bot') && text === 'Ja, versturen') {
            if (replies.some((r) => /KL-\d{4}-/.test(r.text ?? ''))) filed++;
            else console.error(`not filed in ${conv}: ${JSON.stringify(replies.map((r) => r.text))}`);
          }
        }
      }),
    );
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  if (process.env.BENCH_DETAIL) console.log(`  load generator CPU (${mode}): ${((clientCpu.user + clientCpu.system) / 1000 / Math.max(1, turns)).toFixed(2)} ms/turn`);
  const cpuMsPerTurn = (servers.reduce((sum, { child }) => sum + cpuMs(child.pid!), 0) - cpuBefore) / Math.max(1, turns);
  // BENCH_DETAIL=1: p50/p99 per message of the script
  if (process.env.BENCH_DETAIL) console.log(`  per second of the round (${mode}): ${bySecond.map((l, i) => `${i}s: ${l.length} p99 ${percentile(l, 99).toFixed(0)}`).join(', ')}`);
  if (process.env.BENCH_DETAIL) console.log(`  per message (${mode}): ${byStep.map((l, i) => `${i + 1}: ${percentile(l, 50).toFixed(0)}/${percentile(l, 99).toFixed(0)}`).join(', ')}`);
  await settle?.(filed);
  const rss = Math.max(...servers.map(({ child }) => peakRssMb(child.pid!)));
  await Promise.all(channels.map((c) => c.stop()));
  await Promise.all(
    servers.map(({ child }) => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      return exited;
    }),
  );
  // what the store holds: every confirmation filed once, whatever its reply did (SQLite file; intake bot)
  let stored: number | undefined;
  if (mode.startsWith('bot') && !/^postgres/i.test(db)) {
    const store = await openStore(`sqlite:${db}`);
    stored = await store.complaints.count().finally(() => store.close());
  }
  return { seconds, turns, filed, stored, latencies, peakRssMb: rss, cpuMsPerTurn };
}

/** A fresh PostgreSQL database for one run; undefined when the server cannot be reached. */
async function freshPgDatabase(): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const admin = new Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 4000 });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const name = `klachtbot_bench_${randomBytes(5).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => c.end());
    },
  };
}

/** SQLite, PostgreSQL, and two instances on PostgreSQL: the intake bot saturated and paced. */
async function backends(dir: string, fmt: (r: Result) => string): Promise<Result[]> {
  const probe = await freshPgDatabase();
  if (!probe) {
    const message = `PostgreSQL not reachable at ${PG_ADMIN_URL.replace(/\/\/[^@/]*@/, '//')}: the PostgreSQL figures were not measured (set BENCH_PG_URL)`;
    console.log(message);
    if (process.env.CI === 'true') throw new Error(message);
    return [];
  }
  await probe.drop();
  console.log(`backends side by side (intake bot; two instances: each conversation's turns alternate between them):`);
  const results: Result[] = [];
  const setups: { label: string; instances: number; pg: boolean }[] = [
    { label: 'SQLite, 1 instance                 ', instances: 1, pg: false },
    { label: 'PostgreSQL, 1 instance             ', instances: 1, pg: true },
    { label: 'PostgreSQL, 2 instances, 1 database', instances: 2, pg: true },
  ];
  for (const s of setups) {
    for (const thinkMs of [0, THINK_MS]) {
      const pg = s.pg ? await freshPgDatabase() : undefined;
      if (s.pg && !pg) throw new Error('PostgreSQL went away during the benchmark');
      try {
        const r = await run('bot', pg?.url ?? path.join(dir, `backend-${s.instances}-${thinkMs}.db`), thinkMs, s.instances);
        results.push(r);
        const phase = thinkMs === 0 ? 'saturated' : `paced ${THINK_MS} ms`;
        console.log(`  ${s.label} ${phase.padEnd(14)} complaints filed ${r.filed}, ${fmt(r)}`);
      } finally {
        await pg?.drop();
      }
    }
  }
  return results;
}

/** The paced latency runs: the intake bot without and with e-mail, and the echo bot (BENCH_PACED picks some: "bot,bot-mail,echo"). */
async function latency(dir: string, fmt: (r: Result) => string): Promise<{ paced: Result; pacedMail: Result }> {
  const only = new Set((process.env.BENCH_PACED ?? 'bot,bot-mail,echo').split(','));
  const none: Result = { seconds: 1, turns: 0, filed: CONVERSATIONS * ROUNDS, latencies: [0], peakRssMb: 0, cpuMsPerTurn: 0 };
  console.log(`latency (${CONVERSATIONS} concurrent conversations, ${THINK_MS} ms +-50% between messages):`);
  const paced = only.has('bot') ? await run('bot', path.join(dir, 'paced.db'), THINK_MS) : none;
  if (only.has('bot')) console.log(`  intake bot:               complaints filed ${paced.filed}, ${fmt(paced)}`);
  let pacedMail = none;
  if (only.has('bot-mail')) {
    const sink = await new MailSink().start();
    smtpUrl = `smtp://127.0.0.1:${sink.port}`;
    let mailNote = '';
    pacedMail = await run(
      'bot-mail',
      path.join(dir, 'paced-mail.db'),
      THINK_MS,
      1,
      async (filed) => {
        // every complaint: the citizen's confirmation and the officers' alert (the warm-up's complaints too)
        const expected = 2 * (filed + WARMUP);
        const lastTurn = Date.now();
        for (const end = lastTurn + 120_000; sink.received < expected && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100));
        mailNote = `mails received ${sink.received} of ${expected}, the last ${((Math.max(sink.lastAt, lastTurn) - lastTurn) / 1000).toFixed(1)} s after the last turn`;
        if (sink.received !== expected) process.exitCode = 1;
      },
      async () => {
        // the warm-up's mails are sent before the measured rounds start (not as a burst inside them)
        for (const end = Date.now() + 120_000; sink.received < 2 * WARMUP && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100));
      },
    );
    await sink.close();
    console.log(`  intake bot, e-mail on:    complaints filed ${pacedMail.filed}, ${fmt(pacedMail)}; ${mailNote}`);
  }
  if (only.has('echo')) {
    const pacedEcho = await run('echo', path.join(dir, 'paced-echo.db'), THINK_MS);
    console.log(`  echo bot:                 ${fmt(pacedEcho)}`);
  }
  return { paced, pacedMail };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klachtbot-bench-'));
  try {
    const fmt = (r: Result) =>
      `turns/s ${(r.turns / r.seconds).toFixed(0)}, p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p99 ${percentile(r.latencies, 99).toFixed(1)} ms, server CPU ${r.cpuMsPerTurn.toFixed(2)} ms/turn, peak RSS ${r.peakRssMb.toFixed(0)} MB` +
      (r.stored === undefined ? '' : `, stored ${r.stored} of ${CONVERSATIONS * ROUNDS + WARMUP}`);
    console.log(
      `cores ${os.cpus().length}, ${CONVERSATIONS} concurrent conversations x ${ROUNDS} rounds, ${SCRIPT.length} turns each, after ${WARMUP} warm-up conversations`,
    );
    const expected = CONVERSATIONS * ROUNDS;
    if (ONLY_BACKENDS) {
      const filed = (await backends(dir, fmt)).map((r) => r.filed);
      if (filed.some((n) => n !== expected)) {
        console.error(`expected ${expected} complaints per run, filed ${filed.join(', ')}`);
        process.exitCode = 1;
      }
      return;
    }
    if (ONLY_PACED) {
      const { paced, pacedMail } = await latency(dir, fmt);
      if ([paced, pacedMail].some((r) => r.filed !== expected || (r.stored !== undefined && r.stored !== expected + WARMUP))) process.exitCode = 1;
      return;
    }
    console.log(`throughput (no pauses, saturated), ${RUNS} alternating runs:`);
    const ratios: number[] = [];
    const minimalRatios: number[] = [];
    const saturated: Result[] = [];
    for (let r = 0; r < RUNS; r++) {
      const bot = await run('bot', path.join(dir, `bench-${r}.db`), 0);
      const minimal = await run('dialog', path.join(dir, `dialog-${r}.db`), 0);
      const echo = await run('echo', path.join(dir, `echo-${r}.db`), 0);
      const perSecond = (x: Result) => x.turns / x.seconds;
      ratios.push(perSecond(bot) / perSecond(echo));
      minimalRatios.push(perSecond(minimal) / perSecond(echo));
      saturated.push(bot);
      console.log(`  run ${r + 1} intake bot:     complaints filed ${bot.filed} (${(bot.filed / bot.seconds).toFixed(1)}/s), ${fmt(bot)}`);
      console.log(`  run ${r + 1} minimal dialog: ${fmt(minimal)}`);
      console.log(`  run ${r + 1} echo bot:       ${fmt(echo)}`);
      console.log(`  run ${r + 1} ratio to the echo bot's turns per second: intake ${ratios[r].toFixed(2)}, minimal dialog ${minimalRatios[r].toFixed(2)}`);
    }
    console.log(`  median ratio intake/echo turns per second: ${percentile(ratios, 50).toFixed(2)} (target: at least 0.5)`);
    console.log(`  median ratio minimal dialog bot/echo: ${percentile(minimalRatios, 50).toFixed(2)} (what botbuilder-dialogs with durable state costs by itself)`);
    const { paced, pacedMail } = await latency(dir, fmt);
    const compared = await backends(dir, fmt);
    const runs = [...saturated, paced, pacedMail, ...compared];
    const filed = runs.map((r) => r.filed);
    if (filed.some((n) => n !== expected) || runs.some((r) => r.stored !== undefined && r.stored !== expected + WARMUP)) {
      console.error(`expected ${expected} complaints per phase, filed ${filed.join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
