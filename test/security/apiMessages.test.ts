/**
 * /api/messages in the default configuration (no MicrosoftAppId), against the real app on a real
 * port with a real SQLite file: no way into a citizen's Web Chat conversation, only callers and reply
 * targets on this machine unless opened, rate limits, a 400 for malformed activities, and no
 * conversation id in clear in the logs.
 */
import { mkdtempSync, rmSync } from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { logId, logPath, scrubIds, setLogIdSecret } from '../../src/logIds';
import { isLocalRequest, isLoopbackAddress, isLoopbackUrl } from '../../src/loopback';
import { loadMunicipality } from '../../src/municipality';
import { sqliteDb } from '../helpers/sqlite';

interface Running {
  app: App;
  base: string;
  dir: string;
  logs: string[];
}

const running: Running[] = [];

async function start(env: Record<string, string> = {}): Promise<Running> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klachtbot-api-'));
  const logs: string[] = [];
  const config = loadConfig({ DATABASE_URL: `sqlite:${path.join(dir, 'test.db')}`, PORT: '0', LOG_LEVEL: 'info', ...env });
  const log = createLogger('info', { write: (line: string) => void logs.push(line) });
  const app = await createApp(config, loadMunicipality(), { log, classifier: null });
  const port = await app.listen(0);
  const r = { app, base: `http://127.0.0.1:${port}`, dir, logs };
  running.push(r);
  return r;
}

/** An HTTP listener on loopback that records what the bot POSTs to it (a channel's serviceUrl). */
interface Sink {
  url: string;
  received: { url: string; body: any }[];
  close(): Promise<void>;
}
const sinks: Sink[] = [];

async function sink(mode: 'answer' | 'hang' = 'answer'): Promise<Sink> {
  const received: Sink['received'] = [];
  const sockets = new Set<import('net').Socket>();
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      let body: any = data;
      try {
        body = JSON.parse(data);
      } catch {
        // not JSON
      }
      received.push({ url: req.url ?? '', body });
      if (mode === 'hang') return; // never answers
      res.statusCode = 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: `r${received.length}` }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const s: Sink = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const so of sockets) so.destroy();
        server.close(() => resolve());
      }),
  };
  sinks.push(s);
  return s;
}

afterEach(async () => {
  for (const s of sinks.splice(0)) await s.close();
  for (const r of running.splice(0)) {
    await r.app.close();
    rmSync(r.dir, { recursive: true, force: true });
  }
});

async function post(r: Running, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers; ms: number }> {
  const t0 = Date.now();
  const res = await fetch(`${r.base}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers, ms: Date.now() - t0 };
}

let n = 0;
function activity(serviceUrl: string, conversationId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  return {
    type: 'message',
    id: `act-${n}`,
    channelId: 'emulator',
    serviceUrl,
    conversation: { id: conversationId },
    from: { id: `user-${conversationId}`, name: 'Burger', role: 'user' },
    recipient: { id: 'bot', name: 'Klachtbot', role: 'bot' },
    locale: 'nl-NL',
    text: 'Hallo',
    ...extra,
  };
}

async function dl(r: Running, method: string, pathname: string, token?: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${r.base}${pathname}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** A citizen in Web Chat: page token, conversation started, the welcome came, a story told. */
async function citizen(r: Running): Promise<{ conversationId: string; token: string }> {
  const t = await dl(r, 'POST', '/api/directline/token', undefined, { locale: 'nl-NL' });
  expect(t.status).toBe(200);
  const started = await dl(r, 'POST', '/v3/directline/conversations', t.json.token);
  expect(started.status).toBe(201);
  const { conversationId, token } = started.json;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const got = await dl(r, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    if (got.json.activities.some((a: any) => a.from?.role === 'bot')) break;
    if (Date.now() > deadline) throw new Error('no welcome');
    await new Promise((res) => setTimeout(res, 50));
  }
  const said = await dl(r, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, {
    type: 'message',
    text: 'Ik heb drie keer gebeld over mijn parkeervergunning, maar niemand belde mij terug.',
    locale: 'nl-NL',
    from: { id: 'x' },
  });
  expect(said.status).toBe(200);
  return { conversationId, token };
}

/** Everything the product keeps about one conversation. */
async function snapshot(r: Running, conversationId: string): Promise<unknown> {
  await new Promise((res) => setTimeout(res, 300)); // transcript writes are batched
  const db = sqliteDb(r.app);
  return {
    state: await db.all('SELECT key, etag, data FROM bot_state WHERE key LIKE ? ORDER BY key', [`%${conversationId}%`]),
    transcript: await db.all('SELECT seq, channel_id, data FROM transcript_activities WHERE conversation_id = ? ORDER BY seq', [conversationId]),
    directLine: await db.all('SELECT seq, json FROM directline_activities WHERE conversation_id = ? ORDER BY seq', [conversationId]),
    processed: await db.all('SELECT * FROM processed_activities WHERE conversation_id = ?', [conversationId]),
    complaints: await db.all('SELECT reference FROM complaints WHERE conversation_id = ?', [conversationId]),
  };
}

describe('the cross-channel attempt: a Web Chat conversation id over /api/messages', () => {
  test('is refused in every form, even with /api/messages open, and the citizen\'s conversation is unchanged', async () => {
    const r = await start({ API_MESSAGES_OPEN: 'true' });
    const attacker = await sink();
    const victim = await citizen(r);
    const before = await snapshot(r, victim.conversationId);
    expect((before as any).state.length).toBeGreaterThan(0); // the state the attacker is after exists
    expect((before as any).transcript.length).toBeGreaterThan(0);

    for (const channelId of ['directline', 'DirectLine', ' directline ']) {
      for (const text of ['Ja, versturen', 'wijzig naam', 'stop']) {
        const res = await post(r, activity(attacker.url, victim.conversationId, { channelId, text }));
        expect(res.status).toBe(403);
        expect(res.json.error).toMatch(/not accepted on \/api\/messages/);
      }
    }
    const join = await post(r, activity(attacker.url, victim.conversationId, { channelId: 'directline', type: 'conversationUpdate', membersAdded: [{ id: 'attacker' }] }));
    expect(join.status).toBe(403);
    // another channel id, but the built-in Direct Line's serviceUrl: the replies would land in the victim's chat
    for (const channelId of ['emulator', 'directline']) {
      const res = await post(r, activity('urn:klachtbot:directline', victim.conversationId, { channelId, text: 'Ja, versturen' }));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(await snapshot(r, victim.conversationId)).toEqual(before);
    expect(attacker.received).toEqual([]);
    // and the citizen carries on as before
    const next = await dl(r, 'GET', `/v3/directline/conversations/${victim.conversationId}/activities`, victim.token);
    expect(next.status).toBe(200);
    expect(next.json.activities.every((a: any) => a.from?.id !== 'attacker')).toBe(true);
  });

  test('is refused with app credentials too (before the Bot Framework check), while Azure\'s Direct Line may come in once the built-in one is off', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined); // CloudAdapter prints refused tokens
    const creds = { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-password' };
    const r = await start(creds);
    const attacker = await sink();
    const victim = await citizen(r);
    const before = await snapshot(r, victim.conversationId);
    const res = await post(r, activity(attacker.url, victim.conversationId, { channelId: 'directline', text: 'Ja, versturen' }), { Authorization: 'Bearer x.y.z' });
    expect(res.status).toBe(403);
    expect(await snapshot(r, victim.conversationId)).toEqual(before);

    // DIRECTLINE_ENDPOINT: the built-in Direct Line is off; 'directline' is Azure's and needs a valid token
    const azure = await start({ ...creds, DIRECTLINE_ENDPOINT: 'https://europe.directline.botframework.com/v3/directline', DIRECTLINE_SECRET: 'a'.repeat(32) });
    expect(azure.app.chat.directLine).toBeUndefined();
    const viaAzure = await post(azure, activity('https://europe.smba.trafficmanager.net/', 'azure-conv', { channelId: 'directline' }));
    expect(viaAzure.status).toBe(401);
    jest.restoreAllMocks();
  });
});

describe('without app credentials only this machine', () => {
  test('a request that came through a proxy counts as remote: 403 with a reason; with API_MESSAGES_OPEN it is served (and a warning was logged at start)', async () => {
    const r = await start();
    const channel = await sink();
    expect((await post(r, activity(channel.url, 'local-1'))).status).toBe(200);
    expect(channel.received.length).toBeGreaterThan(0);
    const proxied: Record<string, string>[] = [{ 'X-Forwarded-For': '203.0.113.7' }, { 'X-Forwarded-For': '127.0.0.1' }, { Forwarded: 'for=198.51.100.2' }, { 'X-Real-IP': '198.51.100.2' }, { Via: '1.1 proxy' }];
    for (const headers of proxied) {
      const res = await post(r, activity(channel.url, 'remote-1'), headers);
      expect(res.status).toBe(403);
      expect(res.json.error).toMatch(/only this machine/);
    }
    expect(await snapshot(r, 'remote-1')).toEqual({ state: [], transcript: [], directLine: [], processed: [], complaints: [] });
    expect(r.logs.some((l) => l.includes('security.apiMessagesOpen'))).toBe(false);

    // trusting the proxy does not make a forwarded request local either
    const trusting = await start({ DIRECTLINE_TRUST_PROXY: 'true' });
    expect((await post(trusting, activity(channel.url, 'remote-2'), { 'X-Forwarded-For': '127.0.0.1' })).status).toBe(403);

    const open = await start({ API_MESSAGES_OPEN: 'true' });
    const warning = open.logs.map((l) => JSON.parse(l)).find((l) => l.event === 'security.apiMessagesOpen');
    expect(warning).toMatchObject({ level: 40 });
    const served = await post(open, activity(channel.url, 'remote-3'), { 'X-Forwarded-For': '203.0.113.7' });
    expect(served.status).toBe(200);
  });

  test('replies only to a serviceUrl on this machine: anything else is 400 before the turn runs', async () => {
    const r = await start({ API_MESSAGES_OPEN: 'true' });
    const targets = [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1:8080/',
      'https://example.org/',
      'http://localhost.example.org/',
      'http://user:pw@127.0.0.1:9/',
      'ftp://127.0.0.1/',
      'file:///etc/passwd',
      'not a url',
    ];
    for (const [i, serviceUrl] of targets.entries()) {
      const conv = `target-${i}`;
      const res = await post(r, activity(serviceUrl, conv));
      expect([serviceUrl, res.status]).toEqual([serviceUrl, 400]);
      expect(await snapshot(r, conv)).toEqual({ state: [], transcript: [], directLine: [], processed: [], complaints: [] });
    }
  });

  test('a reply target on this machine that never answers, or refuses, holds the request for a few seconds at most', async () => {
    const r = await start();
    const hanging = await sink('hang');
    const slow = await post(r, activity(hanging.url, 'hang-1'));
    expect(hanging.received.length).toBeGreaterThan(0); // the bot did try to reply
    expect(slow.ms).toBeLessThan(6_000);
    const refused = await post(r, activity('http://127.0.0.1:1/', 'refused-1'));
    expect(refused.ms).toBeLessThan(3_000);
    expect((await fetch(`${r.base}/healthz`)).status).toBe(200);
  }, 20_000);
});

describe('rate limits', () => {
  test('per conversation and per client address: 429 with Retry-After, while others are served', async () => {
    const r = await start({
      API_MESSAGES_OPEN: 'true',
      DIRECTLINE_TRUST_PROXY: 'true',
      API_MESSAGES_MAX_PER_CONVERSATION_PER_MINUTE: '3',
      API_MESSAGES_MAX_PER_CLIENT_PER_MINUTE: '8',
    });
    const channel = await sink();
    const a = { 'X-Forwarded-For': '198.51.100.10' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(r, activity(channel.url, 'busy', { text: `bericht ${i}` }), a)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await post(r, activity(channel.url, 'busy'), a);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.json.error).toMatch(/per minute in this conversation/);
    // another conversation of the same client is still served, until the client's own limit
    const other: number[] = [];
    for (let i = 0; i < 5; i++) other.push((await post(r, activity(channel.url, `quiet-${i}`), a)).status);
    expect(other.slice(0, 3)).toEqual([200, 200, 200]);
    expect(other.slice(3)).toEqual([429, 429]);
    const client = await post(r, activity(channel.url, 'quiet-9'), a);
    expect(client.status).toBe(429);
    expect(client.json.error).toMatch(/from this client/);
    expect(Number(client.headers.get('retry-after'))).toBeGreaterThan(0);
    // another client is served meanwhile
    expect((await post(r, activity(channel.url, 'other-client'), { 'X-Forwarded-For': '198.51.100.20' })).status).toBe(200);
    expect((await fetch(`${r.base}/healthz`)).status).toBe(200);
  });
});

describe('malformed activities', () => {
  test('get a 400 with a short reason, never an exception in the transcript logger or the turn', async () => {
    const r = await start();
    const channel = await sink();
    const good = activity(channel.url, 'malformed');
    const { from: _from, ...noFrom } = good;
    const { conversation: _conversation, ...noConversation } = good;
    const bodies: unknown[] = [
      noFrom,
      noConversation,
      { ...good, from: 'burger' },
      { ...good, from: {} },
      { ...good, from: { id: 5 } },
      { ...good, from: null },
      { ...good, conversation: 'c' },
      { ...good, conversation: { id: '' } },
      { ...good, recipient: 'bot' },
      { ...good, recipient: { name: 'no id' } },
      { ...good, type: 5 },
      { ...good, channelId: ['emulator'] },
      { ...good, text: { nl: 'hoi' } },
      { ...good, entities: 'x' },
      { ...good, attachments: {} },
      { ...good, channelData: [] },
      { ...good, type: 'conversationUpdate', membersAdded: 'everyone' },
      { ...good, type: 'conversationUpdate', membersAdded: [{ name: 'no id' }] },
      { ...good, locale: 42 },
      { ...good, serviceUrl: 7 },
    ];
    for (const body of bodies) {
      const res = await post(r, body);
      expect([JSON.stringify(body).slice(0, 80), res.status]).toEqual([JSON.stringify(body).slice(0, 80), 400]);
      expect(res.json.error).toBe('invalid activity');
      expect(Array.isArray(res.json.issues)).toBe(true);
    }
    expect(await snapshot(r, 'malformed')).toEqual({ state: [], transcript: [], directLine: [], processed: [], complaints: [] });
    const errors = r.logs.map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
    expect(errors).toEqual([]);
    // the well-formed one still works, also without a recipient (botbuilder does not need one)
    expect((await post(r, good)).status).toBe(200);
    const { recipient: _recipient, ...noRecipient } = good;
    expect((await post(r, { ...noRecipient, id: 'no-recipient', text: 'Nog iets' })).status).toBe(200);
    const join = await post(r, { ...noRecipient, id: 'join', type: 'conversationUpdate', membersAdded: [{ id: 'user-malformed' }], text: undefined });
    expect(join.status).toBe(200);
    await new Promise((res) => setTimeout(res, 300));
    expect(r.logs.map((l) => JSON.parse(l)).filter((l) => l.level >= 50)).toEqual([]);
    expect(channel.received.length).toBeGreaterThan(0);
  });
});

describe('conversation ids in the logs', () => {
  test('a Direct Line conversation and an /api/messages turn that fails are logged with a keyed hash, never the id itself', async () => {
    const r = await start();
    const victim = await citizen(r);
    // a turn whose replies cannot be delivered: an error is logged for it
    const conv = 'secret-conversation-id-0123456789';
    await post(r, activity('http://127.0.0.1:1/', conv));
    await fetch(`${r.base}/v3/directline/conversations/${victim.conversationId}/nope`);
    const all = r.logs.join('\n');
    expect(all).toContain('directline.started');
    expect(all).toContain(logId(victim.conversationId));
    expect(all).toContain(logId(conv));
    expect(all).not.toContain(victim.conversationId);
    expect(all).not.toContain(conv);
  });

  test('logId is a short keyed hash: stable per key, different per key, and the helpers scrub ids from texts and paths', () => {
    setLogIdSecret('a-secret-of-sixteen-or-more');
    const a = logId('conv-1');
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(logId('conv-1')).toBe(a);
    expect(logId('conv-2')).not.toBe(a);
    setLogIdSecret('another-secret-of-sixteen');
    expect(logId('conv-1')).not.toBe(a);
    setLogIdSecret('a-secret-of-sixteen-or-more');
    expect(logId('conv-1')).toBe(a); // the same across restarts with the same secret
    setLogIdSecret(undefined);
    expect(logId('conv-1')).not.toBe(a);
    expect(logId(undefined)).toBe('-');
    expect(scrubIds('POST http://x/v3/conversations/ab%20cd/activities failed for ab cd', ['ab cd'])).toBe(
      `POST http://x/v3/conversations/[id:${logId('ab cd')}]/activities failed for [id:${logId('ab cd')}]`,
    );
    expect(logPath('/v3/directline/conversations/AbC_123/activities?watermark=3')).toBe(`/v3/directline/conversations/[id:${logId('AbC_123')}]/activities?watermark=3`);
  });
});

describe('configuration', () => {
  test('closed by default with sane limits; wrong values name the variable', () => {
    expect(loadConfig({})).toMatchObject({
      API_MESSAGES_OPEN: false,
      API_MESSAGES_MAX_PER_CLIENT_PER_MINUTE: 300,
      API_MESSAGES_MAX_PER_CONVERSATION_PER_MINUTE: 60,
    });
    expect(loadConfig({}).LOG_ID_SECRET).toBeUndefined();
    expect(loadConfig({ API_MESSAGES_OPEN: 'true' }).API_MESSAGES_OPEN).toBe(true);
    expect(() => loadConfig({ API_MESSAGES_OPEN: 'yes please' })).toThrow(/API_MESSAGES_OPEN/);
    expect(() => loadConfig({ API_MESSAGES_MAX_PER_CLIENT_PER_MINUTE: '0' })).toThrow(/API_MESSAGES_MAX_PER_CLIENT_PER_MINUTE/);
    expect(() => loadConfig({ API_MESSAGES_MAX_PER_CONVERSATION_PER_MINUTE: 'many' })).toThrow(/API_MESSAGES_MAX_PER_CONVERSATION_PER_MINUTE/);
    expect(() => loadConfig({ LOG_ID_SECRET: 'short' })).toThrow(/LOG_ID_SECRET/);
  });
});

describe('what counts as this machine', () => {
  test('loopback addresses in every form, and nothing else', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:ffff:127.0.0.2', '::ffff:7f00:1', '[::1]']) expect([a, isLoopbackAddress(a)]).toEqual([a, true]);
    for (const a of ['10.0.0.1', '128.0.0.1', '::ffff:10.0.0.1', '::ffff:8000:1', '::', 'fe80::1', 'localhost', '', undefined]) expect([a, isLoopbackAddress(a)]).toEqual([a, false]);
  });

  test('a request is local only from a loopback peer without forwarding headers', () => {
    const req = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers });
    expect(isLocalRequest(req('127.0.0.1'))).toBe(true);
    expect(isLocalRequest(req('::ffff:127.0.0.1'))).toBe(true);
    expect(isLocalRequest(req('192.168.1.5'))).toBe(false);
    expect(isLocalRequest(req('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }))).toBe(false);
    expect(isLocalRequest(req('127.0.0.1', { forwarded: 'for=127.0.0.1' }))).toBe(false);
    expect(isLocalRequest(req('::1', { 'x-real-ip': '10.1.1.1' }))).toBe(false);
  });

  test('reply URLs on this machine', () => {
    for (const u of ['http://localhost:3000/', 'http://127.0.0.1:9/x', 'https://127.1/', 'http://2130706433/', 'http://[::1]:80/', 'http://[::ffff:127.0.0.1]/']) expect([u, isLoopbackUrl(u)]).toEqual([u, true]);
    for (const u of ['https://example.org/', 'http://169.254.169.254/', 'http://localhost.example.org/', 'http://a.localhost/', 'http://user:pw@127.0.0.1/', 'ftp://127.0.0.1/', 'urn:klachtbot:directline', 'nonsense']) expect([u, isLoopbackUrl(u)]).toEqual([u, false]);
  });
});
