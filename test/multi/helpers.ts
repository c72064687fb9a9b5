/**
 * Several instances of the real server (`node dist/src/index.js`, as `npm start` runs it) on one
 * PostgreSQL database, and the clients the multi-instance tests drive them with:
 * - `startInstances(n, url)`: n server processes with the same DATABASE_URL, started at the same time
 *   (so the first start's migrations and signing key are made by two at once);
 * - `fileComplaint(turn)`: answers the intake's questions (test/security/intakeDriver.ts) until the
 *   complaint is filed; `turn` decides which instance each message goes to;
 * - `DirectLineClient`: a citizen on the chat page, over REST (poll) and a WebSocket stream, with its
 *   requests sent to whichever instance the test names (a load balancer without sticky sessions).
 */
import { HoldingChannel as HoldingChannelBase } from '../helpers/holdingChannel';
import { Client } from 'pg';
import WebSocket from 'ws';
import { startServer, type ServerProcess } from '../helpers/serverProcess';
import { request } from '../security/client';
import { move } from '../security/intakeDriver';

export const REFERENCE = /KL-\d{4}-[A-Z0-9]{6}/;

/** The environment of every instance: one database, no limits that a load test would hit from one address. */
export function instanceEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    RETENTION_PURGE_EVERY_HOURS: '0',
    API_MESSAGES_MAX_PER_CLIENT_PER_MINUTE: '1000000',
    API_MESSAGES_MAX_PER_CONVERSATION_PER_MINUTE: '100000',
    DIRECTLINE_MAX_STARTS_PER_MINUTE: '1000',
    // the same key on every instance, so log ids match across them
    LOG_ID_SECRET: 'multi-instance-test-secret',
    ...extra,
  };
}

export async function startInstances(n: number, databaseUrl: string, extra: Record<string, string> = {}): Promise<ServerProcess[]> {
  const started = await Promise.allSettled(Array.from({ length: n }, () => startServer({ env: instanceEnv(databaseUrl, extra), readyTimeoutMs: 90_000 })));
  const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) {
    await Promise.all(ok.map((s) => s.stop()));
    throw failed.reason;
  }
  return ok;
}

/** One query on the test database. */
export async function query<T extends Record<string, unknown>>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

export interface BotReply {
  type?: string;
  text?: string;
  suggestedActions?: { actions: { title: string }[] };
}

/**
 * Answers the intake until the complaint is filed; returns its reference and the number of turns.
 * `turn(i, send)`: delivers message i (`send` is its text; undefined for the join) and returns the
 * bot's replies to it.
 */
export async function fileComplaint(turn: (i: number, send: string | undefined) => Promise<BotReply[]>): Promise<{ reference: string; turns: number }> {
  let replies = await turn(0, undefined);
  for (let i = 1; i <= 40; i++) {
    const texts = replies.map((r) => r.text ?? '');
    const found = texts.map((t) => REFERENCE.exec(t)?.[0]).find(Boolean);
    const buttons = [...replies].reverse().find((r) => r.suggestedActions)?.suggestedActions?.actions.map((a) => a.title) ?? [];
    const next = move(texts, buttons);
    if (next && 'done' in next) return { reference: next.done, turns: i };
    if (found && !next) return { reference: found, turns: i };
    if (!next) throw new Error(`no answer for: ${JSON.stringify(texts)}`);
    replies = await turn(i, next.send);
  }
  throw new Error('the intake did not end within 40 turns');
}

// ---- Direct Line ----

interface DlActivity {
  id: string;
  type: string;
  text?: string;
  from: { id: string; role?: string };
  suggestedActions?: { actions: { title: string }[] };
  replyToId?: string;
}

/** A WebSocket stream of one conversation on one instance: every activity it got, in order. */
export class Stream {
  readonly activities: DlActivity[] = [];
  readonly watermarks: number[] = [];
  closed: { code: number } | undefined;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      if (!text) return; // keep-alive
      const set = JSON.parse(text) as { activities: DlActivity[]; watermark?: string };
      this.activities.push(...set.activities);
      if (set.watermark) this.watermarks.push(Number(set.watermark));
      this.waiters.splice(0).forEach((w) => w());
    });
    ws.on('close', (code) => {
      this.closed = { code };
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  static open(url: string): Promise<Stream> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const s = new Stream(ws);
      ws.once('open', () => resolve(s));
      ws.once('error', reject);
    });
  }

  /** Waits until `cond` holds for what arrived (at most `ms`). */
  async until(cond: (all: DlActivity[]) => boolean, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond(this.activities)) {
      if (this.closed) throw new Error(`stream closed (${this.closed.code})`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`stream: condition not met within ${ms} ms; got ${JSON.stringify(this.activities.map((a) => [a.type, a.from.role, a.text?.slice(0, 40)]))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** A citizen on the chat page; each call names the instance it goes to. */
export class DirectLineClient {
  conversationId = '';
  token = '';
  watermark = '';

  constructor(private readonly from = '127.0.0.1') {}

  private auth() {
    return { Authorization: `Bearer ${this.token}` };
  }

  /** The page token and the conversation start on `base` (201). */
  async start(base: string): Promise<void> {
    const t = await request(`${base}/api/directline/token`, { method: 'POST', body: { locale: 'nl-NL' }, from: this.from });
    if (t.status !== 200) throw new Error(`page token: ${t.status} ${t.text}`);
    this.token = t.json.token;
    const started = await request(`${base}/v3/directline/conversations`, { method: 'POST', headers: this.auth(), from: this.from });
    if (started.status !== 201) throw new Error(`conversation start: ${started.status} ${started.text}`);
    this.conversationId = started.json.conversationId;
    this.token = started.json.token;
  }

  /** A stream on `base` (a fresh streamUrl from that instance, as a reconnecting client gets). */
  async stream(base: string, watermark = ''): Promise<Stream> {
    const r = await request(`${base}/v3/directline/conversations/${this.conversationId}?watermark=${watermark}`, { headers: this.auth(), from: this.from });
    if (r.status !== 200) throw new Error(`reconnect: ${r.status} ${r.text}`);
    const url = new URL(r.json.streamUrl as string);
    const b = new URL(base);
    url.host = b.host; // the instance asked, whatever origin it believes it has
    return Stream.open(url.toString());
  }

  /** Posts a message on `base`; resolves with its id once the turn is done (the POST returns then). */
  async say(base: string, text: string): Promise<string> {
    const r = await request(`${base}/v3/directline/conversations/${this.conversationId}/activities`, {
      headers: this.auth(),
      body: { type: 'message', from: { id: 'burger' }, text, locale: 'nl-NL' },
      from: this.from,
      timeoutMs: 30_000,
    });
    if (r.status !== 200) throw new Error(`post activity: ${r.status} ${r.text}`);
    return r.json.id as string;
  }

  /** GET activities on `base` after this client's watermark; moves the watermark on. */
  async poll(base: string): Promise<DlActivity[]> {
    const r = await request(`${base}/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, { headers: this.auth(), from: this.from });
    if (r.status !== 200) throw new Error(`get activities: ${r.status} ${r.text}`);
    this.watermark = r.json.watermark ?? this.watermark;
    return r.json.activities as DlActivity[];
  }

  /** Polls `base` until the bot has answered and then been quiet for 300 ms; returns the bot's messages. */
  async pollReplies(base: string, ms = 20_000): Promise<DlActivity[]> {
    const got: DlActivity[] = [];
    const deadline = Date.now() + ms;
    let quietSince = Date.now();
    for (;;) {
      const batch = (await this.poll(base)).filter((a) => a.type === 'message' && a.from.role === 'bot');
      if (batch.length > 0) {
        got.push(...batch);
        quietSince = Date.now();
      } else if (got.length > 0 && Date.now() - quietSince >= 300) return got;
      if (Date.now() > deadline) {
        if (got.length > 0) return got;
        throw new Error(`no answer from the bot within ${ms} ms`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

// ---- a channel that can hold the bot's replies (a turn provably in flight) ----

export interface HeldReply extends BotReply {
  replyToId?: string;
}

/** The holding channel (test/helpers/holdingChannel.ts) with the replies typed. */
export class HoldingChannel extends HoldingChannelBase<HeldReply> {}

/** POSTs an activity to an instance's /api/messages; 0 when the connection failed (a killed server). */
export function postActivity(base: string, body: unknown): Promise<number> {
  return request(`${base}/api/messages`, { body, timeoutMs: 60_000 }).then(
    (r) => r.status,
    () => 0,
  );
}
