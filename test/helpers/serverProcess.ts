/**
 * The real server as a child process: `node dist/src/index.js`, exactly what `npm start` runs, on a
 * free port with its own SQLite file, for tests that need a real process (kill -9, file descriptors,
 * standard output that fails, hostile clients).
 *
 * `npm test` builds first (`tsc -p . && jest`), so dist/ is fresh there. When a single test file runs
 * with `npx jest`, startServer() builds once if any compiled file is older than its source (under a
 * lock, so parallel jest workers do not build at the same time).
 *
 *   const server = await startServer({ env: { STAFF_API_TOKENS: '...' } });
 *   await fetch(`${server.url}/healthz`);
 *   server.fdCount();            // open file descriptors of the server process
 *   server.kill('SIGKILL');      // or await server.stop() (SIGTERM, then SIGKILL after a grace period)
 *   const again = await startServer({ dir: server.dir, port: server.port }); // a restart on the same database
 */
import { spawn, type ChildProcess } from 'child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync, writeSync } from 'fs';
import http from 'http';
import net, { type AddressInfo } from 'net';
import os from 'os';
import path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const ENTRY = path.join(ROOT, 'dist', 'src', 'index.js');
const BUILD_LOCK = path.join(ROOT, 'dist', '.test-build.lock');
/** written after a build made here: tsc's incremental build leaves an output alone when only its source's time stamp changed */
const BUILD_STAMP = path.join(ROOT, 'dist', '.test-build.stamp');
/** sources whose compiled output the server runs */
const SOURCE_DIRS = ['src', 'dialogs', 'locales'];
/** at most this much of each output stream is kept (the end of it) */
const MAX_CAPTURE = 4 * 1024 * 1024;

export interface StartOptions {
  /** extra environment for the server (wins over the defaults below) */
  env?: Record<string, string>;
  /** reuse a data folder (a restart on the same database); default: a new temporary folder */
  dir?: string;
  /** listen on this port (a restart on the same address); default: a free port */
  port?: number;
  /** how long to wait for /healthz to answer 200; default 60 s */
  readyTimeoutMs?: number;
  /** do not wait for /healthz (for servers expected to fail at start) */
  noWait?: boolean;
  /** where the server's standard output goes: 'pipe' (captured, default) or a file descriptor such as /dev/full */
  stdout?: 'pipe' | number;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  port: number;
  pid: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** the data folder (holds test.db) */
  dir: string;
  /** DATABASE_URL given to the server */
  databaseUrl: string;
  /** the environment the server was started with (defaults and options.env) */
  env: Record<string, string>;
  child: ChildProcess;
  /** what the server wrote so far (the last 4 MB of each) */
  stdout(): string;
  stderr(): string;
  /** resolves when the process has exited */
  exited: Promise<ExitStatus>;
  /** true while the process runs */
  alive(): boolean;
  /** sends a signal; SIGKILL is the `kill -9` of a crash */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s); removes the data folder unless keepDir */
  stop(opts?: { keepDir?: boolean; graceMs?: number }): Promise<ExitStatus>;
  /** number of open file descriptors of the server process (/proc/<pid>/fd) */
  fdCount(): number;
  /** GET /healthz: status and body, or status 0 when it did not answer within timeoutMs */
  health(timeoutMs?: number): Promise<{ status: number; body: string }>;
}

/** A port that was free a moment ago (bound to port 0, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function* sources(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield full;
  }
}

/** Source files whose compiled output in dist/ is missing or older than they are (and than the last build made here). */
export function staleOutputs(): string[] {
  const stale: string[] = [];
  const stamp = existsSync(BUILD_STAMP) ? statSync(BUILD_STAMP).mtimeMs : 0;
  for (const d of SOURCE_DIRS) {
    for (const file of sources(path.join(ROOT, d))) {
      const rel = path.relative(ROOT, file);
      const out = path.join(ROOT, 'dist', rel.replace(/\.ts$/, '.js'));
      if (rel.endsWith('.json') && !existsSync(out)) continue; // only JSON that the code imports is emitted
      if (!existsSync(out) || Math.max(statSync(out).mtimeMs, stamp) < statSync(file).mtimeMs) stale.push(rel);
    }
  }
  if (!existsSync(ENTRY)) stale.push('src/index.ts');
  return stale;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runTsc(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const tsc = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    tsc.stdout.on('data', (d) => (output += d));
    tsc.stderr.on('data', (d) => (output += d));
    tsc.on('exit', (code) => resolve({ code, output }));
  });
}

let built: Promise<void> | undefined;

/**
 * Builds dist/ (tsc -p .) when a compiled file is older than its source. tsc emits even when another
 * file has a type error; that is reported as a warning.
 */
export function ensureBuilt(): Promise<void> {
  built ??= (async () => {
    if (staleOutputs().length === 0) return;
    // one build at a time across jest workers: an exclusive lock file, taken over when older than 3 minutes
    const deadline = Date.now() + 240_000;
    let fd: number | undefined;
    while (fd === undefined) {
      try {
        fd = openSync(BUILD_LOCK, 'wx');
        writeSync(fd, String(process.pid));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          mkdirSync(path.dirname(BUILD_LOCK), { recursive: true }); // no dist/ yet
          continue;
        }
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        try {
          if (Date.now() - statSync(BUILD_LOCK).mtimeMs > 180_000) unlinkSync(BUILD_LOCK);
        } catch {
          // another worker removed it meanwhile
        }
        if (Date.now() > deadline) throw new Error(`waited too long for ${BUILD_LOCK}`);
        await sleep(250);
      }
    }
    try {
      if (staleOutputs().length === 0) return; // another worker built meanwhile
      const startedAt = new Date();
      const { code, output } = await runTsc();
      // (an incremental build does not rewrite a file whose source changed only in its time stamp)
      if (!existsSync(ENTRY)) throw new Error(`tsc -p . (exit ${code}) did not write ${ENTRY}:\n${output}`);
      if (code !== 0) console.warn(`tsc -p . reported errors; dist/ was emitted anyway:\n${output.slice(0, 4000)}`);
      // sources saved while tsc ran stay newer than the stamp, so they are built next time
      writeFileSync(BUILD_STAMP, '');
      utimesSync(BUILD_STAMP, startedAt, startedAt);
    } finally {
      closeSync(fd);
      try {
        unlinkSync(BUILD_LOCK);
      } catch {
        // already gone
      }
    }
  })();
  return built;
}

function get(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
}

/** Starts `node dist/src/index.js` and waits until /healthz answers 200. */
export async function startServer(opts: StartOptions = {}): Promise<ServerProcess> {
  await ensureBuilt();
  const ownDir = !opts.dir;
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'klachtbot-proc-'));
  const port = opts.port ?? (await freePort());
  const databaseUrl = `sqlite:${path.join(dir, 'test.db')}`;
  const env: Record<string, string> = {
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    TZ: 'UTC',
    ...opts.env,
  };
  // the parent's environment, without anything the bot reads from it (a developer's shell or .env must not leak in)
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(Microsoft|DIRECTLINE_|STAFF_|OIDC_|RETENTION_|PORT$|DATABASE_URL$|LOG_LEVEL$|MUNICIPALITY_FILE$|DEFAULT_LOCALE$)/.test(k)) continue;
    base[k] = v;
  }
  // cwd is the data folder, so that no .env of the work tree is read (dotenv/config reads ./.env)
  const child = spawn(process.execPath, [ENTRY], {
    cwd: dir,
    env: { ...base, ...env },
    stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const keep = (s: string, d: Buffer) => {
    const next = s + d.toString('utf8');
    return next.length > MAX_CAPTURE ? next.slice(next.length - MAX_CAPTURE) : next;
  };
  child.stdout?.on('data', (d: Buffer) => (out = keep(out, d)));
  child.stderr?.on('data', (d: Buffer) => (err = keep(err, d)));
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) =>
    child.on('exit', (code, signal) => {
      status = { code, signal };
      resolve(status);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${ENTRY}`);

  const server: ServerProcess = {
    port,
    pid,
    url,
    dir,
    databaseUrl,
    env,
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    alive: () => status === undefined,
    kill: (signal = 'SIGTERM') => {
      if (status === undefined) child.kill(signal);
    },
    stop: async ({ keepDir = false, graceMs = 10_000 } = {}) => {
      if (status === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      if (ownDir && !keepDir) rmSync(dir, { recursive: true, force: true });
      return exited;
    },
    fdCount: () => readdirSync(`/proc/${pid}/fd`).length,
    health: (timeoutMs = 5000) => get(`${url}/healthz`, timeoutMs),
  };

  if (opts.noWait) return server;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (status !== undefined) {
      if (ownDir) rmSync(dir, { recursive: true, force: true });
      throw new Error(`server exited before it was ready (code ${status.code}, signal ${status.signal}):\n${err}\n${out.slice(-4000)}`);
    }
    const h = await server.health(2000);
    if (h.status === 200) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`server not ready on ${url} within ${opts.readyTimeoutMs ?? 60_000} ms:\n${err}\n${out.slice(-4000)}`);
    }
    await sleep(100);
  }
}
