/**
 * A small JSON client for the registration backends (ZGW APIs, Klantinteracties), on Node's fetch.
 * It decides what a failure means for the outbox (src/delivery/types.ts):
 * - no connection, a time-out, 429 and 5xx: a plain Error, retried with back-off;
 * - 401 and 403: retried as well. They mean wrong credentials or missing autorisaties in Open Zaak /
 *   Open Klant, which an administrator fixes without anything changing on our side; the delivery then
 *   goes through on the next attempt (the row shows the status as its last error meanwhile);
 * - 400 and the other 4xx: PermanentDeliveryError: the same request would get the same answer. The
 *   message names the invalid fields and their codes only (never their values: no personal data).
 * Messages name the method and the URL path (uuids, no query), never a body.
 */
import { PermanentDeliveryError } from '../types';

export type Json = Record<string, unknown>;

export interface JsonClientOptions {
  /** a short name for messages: 'zgw', 'klantinteracties' */
  label: string;
  /** per request */
  timeoutMs: number;
  /** headers for each request (authorization); called per request so a JWT is fresh */
  headers(): Promise<Record<string, string>>;
}

export class JsonClient {
  constructor(private readonly opts: JsonClientOptions) {}

  async get(url: string, signal: AbortSignal, headers: Record<string, string> = {}): Promise<Json> {
    return this.request('GET', url, undefined, signal, headers);
  }

  async post(url: string, body: Json, signal: AbortSignal, headers: Record<string, string> = {}): Promise<Json> {
    return this.request('POST', url, body, signal, headers);
  }

  async request(method: string, url: string, body: Json | undefined, signal: AbortSignal, headers: Record<string, string>): Promise<Json> {
    const where = `${this.opts.label}: ${method} ${safePath(url)}`;
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(await this.opts.headers()),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.any([signal, timeout]),
        redirect: 'error',
      });
    } catch (err) {
      if (timeout.aborted) throw new Error(`${where}: time-out after ${this.opts.timeoutMs} ms`);
      if (signal.aborted) throw new Error(`${where}: aborted`);
      throw new Error(`${where}: no connection (${errorCode(err)})`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw new Error(`${where}: ${timeout.aborted ? `time-out after ${this.opts.timeoutMs} ms` : 'answer broken off'} (status ${res.status})`);
    }
    if (res.ok) {
      if (text === '') return {};
      try {
        return JSON.parse(text) as Json;
      } catch {
        throw new Error(`${where}: answer ${res.status} is not JSON`);
      }
    }
    const detail = problemSummary(text);
    if (res.status === 401 || res.status === 403) {
      throw new Error(`${where}: ${res.status} — check the credentials and the autorisaties of this application${detail ? ` (${detail})` : ''}`);
    }
    if (res.status === 429 || res.status >= 500) throw new Error(`${where}: ${res.status}${detail ? ` (${detail})` : ''}`);
    throw new PermanentDeliveryError(`${where}: ${res.status}${detail ? ` (${detail})` : ''}`);
  }
}

/** the URL without query and credentials: scheme, host and path (ids only) */
function safePath(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function errorCode(err: unknown): string {
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code ?? (err as Error).name ?? 'error';
}

/**
 * A ZGW / DRF error body (ValidatieFout: code, invalidParams[{name, code, reason}]) summarised without
 * values: "invalid: zaaktype=bad-url, bronorganisatie=invalid". The `reason` texts are left out: they
 * may quote what was sent.
 */
export function problemSummary(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return '';
  }
  if (!body || typeof body !== 'object') return '';
  const b = body as { code?: unknown; invalidParams?: { name?: unknown; code?: unknown }[] };
  const params = Array.isArray(b.invalidParams)
    ? b.invalidParams
        .slice(0, 10)
        .map((p) => `${clean(p.name)}=${clean(p.code)}`)
        .join(', ')
    : '';
  const code = typeof b.code === 'string' ? clean(b.code) : '';
  return [code, params].filter(Boolean).join(': ');
}

/** field names and codes only: letters, digits, _ . - */
function clean(v: unknown): string {
  return String(v ?? '').replace(/[^\w.\-]/g, '').slice(0, 60);
}

/** the last path segment of a resource URL: its uuid */
export function uuidOf(url: string): string {
  return new URL(url).pathname.replace(/\/$/, '').split('/').pop() ?? '';
}

/** cut to `max` characters, with an ellipsis when cut */
export function cut(text: string, max: number): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

/**
 * One step of a plugin: reuses the URL an earlier attempt stored; otherwise, on a later attempt, looks
 * for what an attempt whose answer was lost (a time-out after the POST went through, a crash before the
 * save) may have made (`find`), and only then creates it. The URL is saved at once. The first attempt
 * does not search: nothing can exist yet (a crashed attempt counts, so the next one searches).
 */
export async function step(
  ctx: { delivery: { attempts: number }; state: Record<string, unknown>; save(state: Record<string, unknown>): Promise<void> },
  key: string,
  find: (() => Promise<string | undefined>) | null,
  create: () => Promise<string>,
): Promise<string> {
  const done = ctx.state[key];
  if (typeof done === 'string' && done) return done;
  const url = (find && ctx.delivery.attempts > 0 ? await find() : undefined) ?? (await create());
  ctx.state[key] = url;
  await ctx.save({ [key]: url });
  return url;
}
