/**
 * Test helpers: the real app on a real port with a SQLite file, and botframework-directlinejs in
 * Node (global XMLHttpRequest from xhr2 and WebSocket from ws, set before the library loads).
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { loadMunicipality } from '../../src/municipality';

(globalThis as any).XMLHttpRequest = require('xhr2');
(globalThis as any).WebSocket = require('ws');
// eslint-disable-next-line import/first
const directLineJs = require('botframework-directlinejs') as {
  DirectLine: new (options: Record<string, unknown>) => any;
  ConnectionStatus: Record<string, number>;
};
export const { DirectLine, ConnectionStatus } = directLineJs;

export interface Running {
  app: App;
  port: number;
  base: string;
  domain: string;
  dir: string;
  env: Record<string, string>;
}

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'klachtbot-dl-'));
}

/** Starts the app; `port` reuses a port (a restart), `dir` reuses a database. */
/** `recogniser: false` runs the bot without the route recogniser: the route question and its buttons always come. */
export async function start(opts: { dir?: string; port?: number; env?: Record<string, string>; recogniser?: boolean } = {}): Promise<Running> {
  const dir = opts.dir ?? tempDir();
  const env = { DATABASE_URL: `sqlite:${path.join(dir, 'test.db')}`, PORT: '0', LOG_LEVEL: 'silent', ...opts.env };
  const config = loadConfig(env);
  const app = await createApp(config, loadMunicipality(), {
    log: createLogger(process.env.TEST_LOG ?? 'silent'),
    classifier: opts.recogniser === false ? null : undefined,
  });
  const port = await app.listen(opts.port ?? 0);
  const base = `http://127.0.0.1:${port}`;
  return { app, port, base, domain: `${base}/v3/directline`, dir, env };
}

export async function stop(r: Running | undefined, removeDir = true): Promise<void> {
  if (!r) return;
  await r.app.close();
  if (removeDir) rmSync(r.dir, { recursive: true, force: true });
}

export interface PageToken {
  token: string;
  conversationId: string;
  expires_in: number;
  domain: string;
}

/** What the page does: ask the server for a token. */
export async function pageToken(r: Running, locale = 'nl-NL'): Promise<PageToken> {
  const res = await fetch(`${r.base}/api/directline/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ locale }),
  });
  if (!res.ok) throw new Error(`page token: ${res.status}`);
  return (await res.json()) as PageToken;
}

export interface Client {
  dl: any;
  activities: any[];
  statuses: number[];
  errors: unknown[];
  waitFor(pred: (a: any) => boolean, what: string, timeoutMs?: number): Promise<any>;
  post(activity: Record<string, unknown>): Promise<string>;
  say(text: string): Promise<string>;
  end(): void;
}

/** A botframework-directlinejs client that records what it receives. */
export function client(options: Record<string, unknown>): Client {
  const dl = new DirectLine({ pollingInterval: 200, ...options });
  const activities: any[] = [];
  const statuses: number[] = [];
  const errors: unknown[] = [];
  const waiters = new Set<() => void>();
  dl.connectionStatus$.subscribe({ next: (s: number) => statuses.push(s), error: (e: unknown) => errors.push(e) });
  dl.activity$.subscribe({
    next: (a: any) => {
      activities.push(a);
      for (const w of [...waiters]) w();
    },
    error: (e: unknown) => errors.push(e),
  });
  const c: Client = {
    dl,
    activities,
    statuses,
    errors,
    waitFor: (pred, what, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const found = activities.find(pred);
        if (found) return resolve(found);
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(activities.map((a) => [a.from?.role, a.text?.slice(0, 40)]))}`));
        }, timeoutMs);
        const check = () => {
          const hit = activities.find(pred);
          if (hit) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(hit);
          }
        };
        waiters.add(check);
      }),
    post: (activity) =>
      new Promise((resolve, reject) =>
        dl.postActivity({ from: { id: 'ignored', name: 'Burger' }, ...activity }).subscribe({
          next: (id: string) => (id === 'retry' ? reject(new Error('post answered retry')) : resolve(id)),
          error: reject,
        }),
      ),
    say: (text) => c.post({ type: 'message', text, locale: 'nl-NL' }),
    end: () => {
      try {
        dl.end();
      } catch {
        // directlinejs throws "conversation ended" into its own subscribers; recorded above
      }
    },
  };
  return c;
}

export const isBot = (a: any) => a?.from?.role === 'bot';
export const isUser = (a: any) => a?.from?.role === 'user';
export const botText = (includes: string) => (a: any) => isBot(a) && typeof a.text === 'string' && a.text.includes(includes);

/** A raw Direct Line request (what directlinejs does, without the library). */
export async function api(
  r: { domain: string },
  method: string,
  pathname: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${r.domain}${pathname}`, {
    method,
    headers,
    body: opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body, headers: res.headers };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
