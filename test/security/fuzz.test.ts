/**
 * A bounded fuzz run against the real server as a process (`node dist/src/index.js`, default
 * configuration: no app id, built-in Direct Line, one port), from many loopback client addresses:
 * thousands of hostile requests over /api/messages, /v3/directline (tokens, conversations,
 * activities, stream upgrades), /api/directline/token (the chat page's token) and /staff/api (no,
 * bogus and valid credentials), plus malformed HTTP.
 *
 * Holds when: no 5xx (except the documented ones in ALLOWED_5XX), every request answered within 5 s,
 * no connection closed without an answer (except where a close is the documented answer), the
 * server's open file descriptors back to where they were, and the process alive with /healthz OK.
 * The figures are printed. The run is deterministic for a seed (FUZZ_SEED, FUZZ_REQUESTS).
 *
 * Every target is on this machine: the bot's replies go to a sink on 127.0.0.1, or to closed ports.
 */
import { createHash, randomBytes } from 'crypto';
import http from 'http';
import type { AddressInfo } from 'net';
import { startServer, type ServerProcess } from '../helpers/serverProcess';
import { httpBytes, raw, request, type RawResult } from './client';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const CONCURRENCY = 12;
const SLOW_MS = 5000;
/** a request with no answer after this long is recorded as hung (and is over SLOW_MS) */
const HANG_MS = 6000;
/** open file descriptors the server may hold more after the run than before it (SQLite, timers, log) */
const FD_SLACK = 10;

/** 5xx answers that are documented behaviour, each with its reason; any other 5xx fails the run. */
const ALLOWED_5XX: { target: string; status: number; when: (f: Fuzz) => boolean; reason: string }[] = [
  {
    target: '/api/messages',
    status: 501,
    when: (f) => /"type":"invoke"/.test(f.bytes.toString('utf8')),
    reason:
      'Bot Framework protocol: an invoke activity that the bot does not implement is answered 501 Not Implemented ' +
      "(botbuilder's ActivityHandler); the channel expects exactly that",
  },
];
const allowed = (f: Fuzz, status: number) => ALLOWED_5XX.find((a) => a.target === f.target && a.status === status && a.when(f));

const STAFF_TOKEN = 'fuzz-staff-token-0123456789abcdef';

/** mulberry32: a small deterministic PRNG */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
    hex: (n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(''),
  };
}
type Rng = ReturnType<typeof prng>;

const INJECTIONS = [
  "' OR '1'='1' --",
  '"; DROP TABLE complaints; --',
  "1; SELECT * FROM sqlite_master",
  'KL-2026-AAAAAA\' UNION SELECT reference FROM complaints --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[klik](javascript:alert(1))',
  '{{7*7}}',
  '${7*7}',
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%00',
  '\u0000',
  'a\u0000b',
  '\u202eevil\u202c',
  '\ud800',
  '\udfff\ud800',
  '𝕳𝖊𝖑𝖑𝖔 😀 👩‍👩‍👧‍👦',
  'ﷺ'.repeat(200),
  '\r\nX-Injected: 1',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '9'.repeat(400),
  'A'.repeat(20000),
  '😀'.repeat(6000),
  ' ',
  '',
  'bel mij',
  'stop',
  'Ja',
];

const METHODS_ODD = ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'MKCOL', 'LOCK', 'FOO', 'get', 'G\u00c9T'];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/octet-stream',
  'application/jsonp',
  'application/json; charset=latin1',
  '',
  '*/*',
  'application/json, text/plain',
];

/** encodeURIComponent, where a lone surrogate becomes a percent-encoded invalid UTF-8 sequence (%ED%A0%80) */
function enc(v: string): string {
  return v.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]|[^\ud800-\udfff]+/g, (part) => (/^[\ud800-\udfff]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part)));
}

function deepJson(depth: number, open = '[', close = ']'): string {
  return open.repeat(depth) + close.repeat(depth);
}

function deepObject(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

interface Setup {
  port: number;
  sinkUrl: string;
  /** Direct Line conversations started as a citizen would */
  dl: { conversationId: string; token: string; streamPath: string }[];
  staffToken: string;
}

interface Fuzz {
  target: string;
  kind: string;
  bytes: Buffer;
  from: string;
  /** a close without an answer is the documented answer here (with the reason) */
  mayClose?: string;
}

/** A hostile value of any type. */
function anyValue(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 7 : 10)) {
    case 0:
      return r.pick(INJECTIONS);
    case 1:
      return r.int(2) ? r.int(1e9) : -r.next() * 1e308;
    case 2:
      return null;
    case 3:
      return r.chance(0.5);
    case 4:
      return r.pick(INJECTIONS).slice(0, 40);
    case 5:
      return '';
    case 6:
      return r.hex(r.int(80));
    case 7:
      return [anyValue(r, depth + 1), anyValue(r, depth + 1)];
    case 8:
      return { id: anyValue(r, depth + 1), name: anyValue(r, depth + 1) };
    default:
      return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
  }
}

/** Returns a value or leaves the field out. */
function maybe<T>(r: Rng, good: T, p = 0.7): unknown {
  if (r.chance(p)) return good;
  return r.chance(0.3) ? undefined : anyValue(r);
}

/**
 * An activity for /api/messages; the serviceUrl is always on this machine. Half are well-formed (so
 * the bot runs a turn on hostile content), half of random shape.
 */
function activity(r: Rng, s: Setup, conversationId: string): Record<string, unknown> {
  if (r.chance(0.5)) {
    const a: Record<string, unknown> = {
      type: r.pick(['message', 'message', 'message', 'conversationUpdate', 'invoke', 'event', 'typing', 'endOfConversation', 'messageReaction']),
      id: r.chance(0.2) ? 'same-activity-id' : `act-${r.hex(12)}`,
      channelId: r.pick(['emulator', 'emulator', 'msteams', 'webchat', 'test']),
      serviceUrl: r.pick([s.sinkUrl, s.sinkUrl, s.sinkUrl, 'http://127.0.0.1:1/', `http://localhost:${r.int(65536)}/`]),
      conversation: { id: conversationId, ...(r.chance(0.3) ? { conversationType: r.pick(['personal', 'groupChat', 'channel']), tenantId: 't' } : {}) },
      from: { id: `user-${r.hex(6)}`, name: r.pick(INJECTIONS).slice(0, 60) },
      recipient: { id: 'bot', name: 'bot' },
      text: r.pick(INJECTIONS).slice(0, 10000),
      locale: r.pick(['nl-NL', 'en-US', 'xx', '../../etc', 'nl-NL-x-' + 'a'.repeat(50)]),
    };
    if (a.type === 'conversationUpdate') a.membersAdded = [{ id: `user-${r.hex(4)}` }, { id: 'bot' }];
    if (r.chance(0.3)) a.value = anyValue(r);
    if (a.type === 'invoke' || a.type === 'event') a.name = r.pick(['signin/verifyState', 'task/fetch', 'adaptiveCard/action', 'composeExtension/query', 'x']);
    if (r.chance(0.1)) a.attachments = [{ contentType: 'text/html', content: '<script>x</script>' }];
    return a;
  }
  const serviceUrls = [s.sinkUrl, s.sinkUrl, s.sinkUrl, 'http://127.0.0.1:1/', 'http://[::1]:1/', 'not a url', 'file:///etc/passwd', 'javascript:alert(1)', `${s.sinkUrl}/../../x`, ''];
  const types = ['message', 'message', 'message', 'conversationUpdate', 'invoke', 'event', 'typing', 'endOfConversation', 'messageReaction', 'installationUpdate', 'trace', 'handoff'];
  const a: Record<string, unknown> = {
    type: maybe(r, r.pick(types), 0.85),
    id: maybe(r, r.chance(0.2) ? 'same-activity-id' : `act-${r.hex(12)}`),
    channelId: maybe(r, r.pick(['emulator', 'msteams', 'directline', 'webchat', 'test', 'slack']), 0.8),
    serviceUrl: maybe(r, r.pick(serviceUrls), 0.85),
    conversation: maybe(r, { id: conversationId, conversationType: r.pick(['personal', 'groupChat', 'channel', undefined]), tenantId: maybe(r, 't') }, 0.8),
    from: maybe(r, { id: `user-${r.hex(6)}`, name: r.pick(INJECTIONS).slice(0, 60), aadObjectId: maybe(r, r.hex(32), 0.3) }, 0.8),
    recipient: maybe(r, { id: 'bot', name: 'bot' }, 0.8),
    text: maybe(r, r.pick(INJECTIONS), 0.8),
    locale: maybe(r, r.pick(['nl-NL', 'en-US', 'xx', '../../etc', 'nl-NL-x-' + 'a'.repeat(300)]), 0.5),
    timestamp: maybe(r, new Date(0).toISOString(), 0.3),
    replyToId: maybe(r, r.hex(10), 0.2),
  };
  if (r.chance(0.3)) a.membersAdded = r.chance(0.6) ? [{ id: `user-${r.hex(4)}` }, { id: 'bot' }] : anyValue(r);
  if (r.chance(0.2)) a.value = anyValue(r);
  if (r.chance(0.15)) a.name = r.pick(['signin/verifyState', 'task/fetch', 'adaptiveCard/action', 'composeExtension/query', anyValue(r)]);
  if (r.chance(0.15)) a.attachments = r.chance(0.5) ? [{ contentType: 'text/html', content: '<script>x</script>' }] : anyValue(r);
  if (r.chance(0.15)) a.entities = anyValue(r);
  if (r.chance(0.15)) a.channelData = r.chance(0.5) ? JSON.parse('{"tenant":{"id":"x"},"__proto__":{"x":1}}') : anyValue(r);
  if (r.chance(0.1)) a.suggestedActions = anyValue(r);
  return a;
}

function bogusToken(r: Rng, s: Setup): string {
  const other = s.dl[r.int(s.dl.length)];
  const [h, p] = other.token.split('.');
  return r.pick([
    'x',
    '',
    'Bearer',
    randomBytes(24).toString('base64url'),
    `${h}.${p}.${'A'.repeat(43)}`, // a real header and payload, a forged signature
    `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`,
    `${h}.${Buffer.from('{"conv":"' + other.conversationId + '","exp":99999999999}').toString('base64url')}.x`,
    other.token.slice(0, -2),
    other.token + 'A',
    'A'.repeat(9000),
    r.pick(INJECTIONS).replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, '?'),
  ]);
}

const headerSafe = (v: string) => v.replace(/[\r\n\u0000]/g, '');

function body(r: Rng, value: unknown): { ct: string; body: string | Buffer } {
  switch (r.int(12)) {
    case 0:
      return { ct: 'application/json', body: '{"type": "message", "text": ' }; // truncated
    case 1:
      return { ct: 'application/json', body: "{'type':'message'}" };
    case 2:
      return { ct: r.pick(CONTENT_TYPES), body: JSON.stringify(value) };
    case 3:
      return { ct: 'application/json', body: deepJson(20000 + r.int(40000)) };
    case 4:
      return { ct: 'application/json', body: deepObject(5000 + r.int(20000)) };
    case 5:
      return { ct: 'application/json', body: randomBytes(200 + r.int(2000)) };
    case 6:
      return { ct: 'application/json', body: JSON.stringify(value).replace(/"/, '"\u0000') };
    case 7:
      return { ct: 'application/json', body: r.pick(['null', '1', '"x"', '[]', 'true', '{}', '{"__proto__":{"admin":true}}', '\ufeff{}']) };
    default:
      return { ct: 'application/json', body: JSON.stringify(value) };
  }
}

/** One hostile request. */
function next(r: Rng, s: Setup, i: number): Fuzz {
  const from = `127.0.0.${2 + r.int(250)}`;
  const dl = s.dl[r.int(s.dl.length)];
  const roll = r.int(100);
  const pick = (target: string, kind: string, bytes: Buffer, mayClose?: string): Fuzz => ({ target, kind, bytes, from, mayClose });

  // --- /api/messages (30%)
  if (roll < 30) {
    const conv = r.pick([dl.conversationId, `fuzz-${r.hex(8)}`, `fuzz-${i % 20}`, r.pick(INJECTIONS).slice(0, 100), 'a'.repeat(600)]);
    const sub = r.int(10);
    if (sub === 0) return pick('/api/messages', 'odd method', httpBytes(r.pick(METHODS_ODD), '/api/messages', {}, '{}'));
    if (sub === 1) {
      const big = Buffer.alloc(256 * 1024 + 1 + r.int(200_000), 'a');
      return pick('/api/messages', 'body over 256 kB', httpBytes('POST', '/api/messages', { 'Content-Type': 'application/json' }, big), 'the server may answer 413 and close before the client has written the whole body');
    }
    if (sub === 2) {
      const a = activity(r, s, conv);
      return pick('/api/messages', 'bogus Authorization', httpBytes('POST', '/api/messages', { 'Content-Type': 'application/json', Authorization: `Bearer ${headerSafe(bogusToken(r, s))}` }, JSON.stringify(a)));
    }
    if (sub === 3) {
      // the cross-channel attempt: a Web Chat conversation's id over /api/messages
      const a = { type: 'message', id: `x-${r.hex(8)}`, channelId: 'directline', serviceUrl: s.sinkUrl, conversation: { id: dl.conversationId }, from: { id: 'attacker' }, recipient: { id: 'bot' }, text: r.pick(['Ja', 'wijzig naam', 'Mallory', 'stop']) };
      return pick('/api/messages', 'cross-channel directline id', httpBytes('POST', '/api/messages', { 'Content-Type': 'application/json', 'X-Forwarded-For': '127.0.0.1' }, JSON.stringify(a)));
    }
    const b = body(r, activity(r, s, conv));
    return pick('/api/messages', `activity (${b.ct || 'no type'})`, httpBytes('POST', '/api/messages', b.ct ? { 'Content-Type': b.ct } : {}, b.body));
  }

  // --- /v3/directline (35%)
  if (roll < 65) {
    const P = '/v3/directline';
    const auth = (good: boolean) => ({ Authorization: `Bearer ${good ? dl.token : headerSafe(bogusToken(r, s))}` });
    const id = r.pick([dl.conversationId, s.dl[(s.dl.indexOf(dl) + 1) % s.dl.length].conversationId, r.hex(20), 'short', '..%2f..%2fetc', '%00aaaaaaaaa', 'a'.repeat(65), enc(r.pick(INJECTIONS)).slice(0, 200) || 'x']);
    const sub = r.int(12);
    switch (sub) {
      case 0: {
        const b = body(r, anyValue(r));
        return pick(P, 'tokens/generate', httpBytes('POST', `${P}/tokens/generate`, { 'Content-Type': b.ct, ...(r.chance(0.5) ? auth(false) : {}) }, b.body));
      }
      case 1:
        return pick(P, 'tokens/refresh', httpBytes('POST', `${P}/tokens/refresh`, auth(r.chance(0.2)), ''));
      case 2: {
        const b = body(r, anyValue(r));
        return pick(P, 'start conversation', httpBytes('POST', `${P}/conversations`, { 'Content-Type': b.ct, ...auth(r.chance(0.3)) }, b.body));
      }
      case 3:
        return pick(P, 'reconnect', httpBytes('GET', `${P}/conversations/${id}?watermark=${enc(String(anyValue(r)).slice(0, 50))}`, auth(r.chance(0.5))));
      case 4:
        return pick(P, 'get activities', httpBytes('GET', `${P}/conversations/${id}/activities?watermark=${enc(String(anyValue(r)).slice(0, 50))}`, auth(r.chance(0.5))));
      case 5:
      case 6:
      case 7: {
        const a = { type: maybe(r, 'message', 0.8), from: maybe(r, { id: r.pick(['user', 'bot', 'x', '']) , name: r.pick(INJECTIONS).slice(0, 50) }), text: maybe(r, r.pick(INJECTIONS)), locale: maybe(r, 'nl-NL', 0.5), value: r.chance(0.2) ? anyValue(r) : undefined, attachments: r.chance(0.1) ? anyValue(r) : undefined, channelData: r.chance(0.1) ? anyValue(r) : undefined };
        const b = body(r, a);
        return pick(P, 'post activity', httpBytes('POST', `${P}/conversations/${id}/activities`, { 'Content-Type': b.ct, ...auth(r.chance(0.6)) }, b.body));
      }
      case 8: {
        const big = Buffer.alloc(64 * 1024 + 1 + r.int(500_000), 'x');
        return pick(P, 'body over 64 kB', httpBytes('POST', `${P}/conversations/${dl.conversationId}/activities`, { 'Content-Type': 'application/json', ...auth(true) }, big), 'the server may answer 413 and close before the client has written the whole body');
      }
      case 9:
        return pick(P, 'upload / odd method', httpBytes(r.pick(['POST', ...METHODS_ODD]), `${P}/conversations/${id}/${r.pick(['upload', 'activities', 'stream', ''])}`, auth(r.chance(0.5)), 'data'));
      default: {
        // a WebSocket upgrade: the right stream path with good, bad or missing tokens, or a wrong path
        const key = randomBytes(16).toString('base64');
        const t = new URL(`http://x${dl.streamPath}`).searchParams.get('t') ?? '';
        const path = r.pick([
          dl.streamPath,
          `${P}/conversations/${dl.conversationId}/stream?t=${enc(bogusToken(r, s))}`,
          `${P}/conversations/${dl.conversationId}/stream`,
          `${P}/conversations/${id}/stream?t=${t}`,
          `${P}/conversations/${dl.conversationId}/streamx?t=${t}`,
          `${P}/conversations/${dl.conversationId}/../${dl.conversationId}/stream?t=${t}`,
          '/',
          '/api/messages',
          '/staff/api/me',
          '/healthz',
          `${P}/conversations/${'%'.repeat(30)}/stream`,
          `/${r.hex(8)}/../../etc/passwd`,
        ]);
        const headers: Record<string, string> = { Upgrade: r.pick(['websocket', 'websocket', 'WebSocket', 'h2c', 'foo']), Connection: 'Upgrade', 'Sec-WebSocket-Version': r.pick(['13', '13', '8', 'x']) };
        if (r.chance(0.85)) headers['Sec-WebSocket-Key'] = r.chance(0.9) ? key : 'not-a-key';
        return pick(P, 'stream upgrade', httpBytes('GET', path, headers));
      }
    }
  }

  // --- /api/directline/token, the chat page's token (10%)
  if (roll < 75) {
    const sub = r.int(4);
    if (sub === 0) return pick('/api/directline/token', 'odd method', httpBytes(r.pick(['GET', ...METHODS_ODD]), '/api/directline/token', {}, ''));
    const b = body(r, r.chance(0.6) ? { locale: r.pick(['nl-NL', 'en', ...INJECTIONS]) } : anyValue(r));
    return pick('/api/directline/token', 'page token', httpBytes('POST', '/api/directline/token', { 'Content-Type': b.ct, 'X-Forwarded-For': `10.0.0.${r.int(255)}` }, b.body));
  }

  // --- /staff/api (15%)
  if (roll < 90) {
    const authz = r.pick([
      undefined,
      `Bearer ${headerSafe(bogusToken(r, s))}`,
      `Basic ${Buffer.from("admin:' OR 1=1 --").toString('base64')}`,
      `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"roles":["klachtenfunctionaris"],"sub":"x"}').toString('base64url')}.`,
      `Bearer ${s.staffToken}`,
      `Bearer ${s.staffToken}`,
      `Bearer ${s.staffToken}x`,
    ]);
    const headers: Record<string, string> = authz ? { Authorization: authz } : {};
    const inj = () => enc(r.pick(INJECTIONS).slice(0, 300));
    const sub = r.int(8);
    if (sub <= 3) {
      const path = r.pick([
        `/staff/api/complaints?q=${inj()}&status=${inj()}&limit=${r.pick(['-1', '1e9', 'x', '20', '0'])}&cursor=${inj()}&from=${inj()}`,
        `/staff/api/complaints/${inj()}`,
        `/staff/api/complaints/KL-2026-${r.hex(6).toUpperCase()}/transcript`,
        `/staff/api/complaints/..%2f..%2f..%2fetc%2fpasswd`,
        `/staff/api/callbacks?status=${inj()}`,
        `/staff/api/audit?reference=${inj()}&actor=${inj()}&action=${inj()}&cursor=${r.pick(['1', 'x', '-5', '9'.repeat(30)])}`,
        '/staff/api/me',
        `/staff/api/${inj()}`,
        '/staff/../staff/api/me',
        '/staff/api/complaints%00',
      ]);
      return pick('/staff/api', 'staff read', httpBytes(r.chance(0.9) ? 'GET' : r.pick(METHODS_ODD), path, headers));
    }
    const b = body(r, r.chance(0.6) ? { status: r.pick(['informal', 'formal', 'resolved', 'received', ...INJECTIONS]), note: r.pick(INJECTIONS) } : anyValue(r));
    const path = r.pick([
      `/staff/api/complaints/KL-2026-${r.hex(6).toUpperCase()}/status`,
      `/staff/api/complaints/${inj()}/status`,
      `/staff/api/complaints/KL-2026-${r.hex(6).toUpperCase()}/extension`,
      `/staff/api/callbacks/${r.pick(['1', '0', '-1', '1e3', inj(), '99999999999999999999'])}/done`,
    ]);
    return pick('/staff/api', 'staff write', httpBytes('POST', path, { 'Content-Type': b.ct, ...headers }, b.body));
  }

  // --- malformed HTTP on any path (10%)
  const junkPath = r.pick(['/', '/api/messages', '/v3/directline/conversations', '/staff/api/me', '/api/directline/token', '/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/etc/passwd', '/..\\..\\windows\\win.ini', `/${'a'.repeat(9000)}`]);
  switch (r.int(10)) {
    case 0:
      return pick('http', 'garbage request line', Buffer.concat([randomBytes(40 + r.int(200)), Buffer.from('\r\n\r\n')]));
    case 1:
      return pick('http', 'unknown HTTP version', Buffer.from(`GET ${junkPath} HTTP/${r.pick(['9.9', '0.9', '1.2', 'x'])}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    case 2:
      return pick('http', 'header over 16 kB', httpBytes('GET', junkPath, { 'X-Big': 'a'.repeat(17_000 + r.int(60_000)) }), 'Node answers 431 and may close before reading the rest of the header');
    case 3:
      return pick('http', 'null byte in path', Buffer.from(`GET /api/messages\u0000/../staff HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'utf8'));
    case 4:
      return pick('http', 'Content-Length and Transfer-Encoding', httpBytes('POST', junkPath, { 'Content-Type': 'application/json', 'Content-Length': '2', 'Transfer-Encoding': 'chunked' }, '0\r\n\r\n'));
    case 5:
      return pick('http', 'bad chunk', httpBytes('POST', junkPath, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, 'zz\r\n{}\r\n0\r\n\r\n'));
    case 6:
      return pick('http', 'bad Content-Length', httpBytes('POST', junkPath, { 'Content-Type': 'application/json', 'Content-Length': r.pick(['-1', 'abc', '1, 2', '0x10']) }, '{}'));
    case 7:
      return pick('http', 'unicode path', httpBytes('GET', `/${r.pick(INJECTIONS).replace(/[\s\u0000]/g, '')}`, {}));
    case 8:
      return pick('http', 'many headers', httpBytes('GET', junkPath, Object.fromEntries(Array.from({ length: 150 }, (_, k) => [`X-H${k}`, 'v']))));
    default:
      return pick('http', 'odd method', httpBytes(r.pick(METHODS_ODD), junkPath, {}));
  }
}

/** A sink for the bot's replies on 127.0.0.1: answers every request with 200 and closes the connection. */
async function startSink(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const srv = http.createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify({ id: `sink-${hits}` }));
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => new Promise((resolve) => srv.close(() => resolve())),
  };
}

async function startCitizen(server: ServerProcess, n: number): Promise<Setup['dl'][number]> {
  const from = `127.0.0.${200 + n}`;
  const page = await request(`${server.url}/api/directline/token`, { body: { locale: 'nl-NL' }, from });
  if (page.status !== 200) throw new Error(`page token: ${page.status} ${page.text}`);
  const start = await request(`${server.url}/v3/directline/conversations`, { method: 'POST', headers: { Authorization: `Bearer ${page.json.token}` }, from });
  if (start.status !== 201 && start.status !== 200) throw new Error(`start: ${start.status} ${start.text}`);
  const said = await request(`${server.url}/v3/directline/conversations/${start.json.conversationId}/activities`, {
    headers: { Authorization: `Bearer ${start.json.token}` },
    body: { type: 'message', from: { id: 'user' }, text: 'Ik wil een klacht indienen', locale: 'nl-NL' },
    from,
  });
  if (said.status !== 200) throw new Error(`post: ${said.status} ${said.text}`);
  const stream = new URL(start.json.streamUrl);
  return { conversationId: start.json.conversationId, token: start.json.token, streamPath: `${stream.pathname}${stream.search}` };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fuzz: hostile requests against the real server process', () => {
  let server: ServerProcess;
  let sink: Awaited<ReturnType<typeof startSink>>;

  beforeAll(async () => {
    sink = await startSink();
    server = await startServer({
      env: {
        STAFF_API_TOKENS: `fuzz:${createHash('sha256').update(STAFF_TOKEN).digest('hex')}`,
        RETENTION_PURGE_EVERY_HOURS: '0',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await sink?.close();
  });

  test(`${REQUESTS} hostile requests: no 5xx, none over ${SLOW_MS / 1000} s, no leaked file descriptors, still healthy`, async () => {
    const dl = [];
    for (let n = 0; n < 6; n++) dl.push(await startCitizen(server, n));
    const setup: Setup = { port: server.port, sinkUrl: sink.url, dl, staffToken: STAFF_TOKEN };

    const r = prng(SEED);
    const plan = Array.from({ length: REQUESTS }, (_, i) => next(r, setup, i));
    await sleep(1000); // the citizens' first turns settle
    const fdBefore = server.fdCount();
    let fdPeak = fdBefore;
    const sampler = setInterval(() => {
      if (server.alive()) fdPeak = Math.max(fdPeak, server.fdCount());
    }, 250);

    const results: (RawResult & { f: Fuzz })[] = [];
    const started = Date.now();
    let cursor = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (cursor < plan.length) {
          const f = plan[cursor++];
          const res = await raw(server.port, f.bytes, { from: f.from, timeoutMs: HANG_MS });
          results.push({ ...res, f });
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);

    // settle: the server closes what the clients left, then the descriptors are counted again
    let fdAfter = server.fdCount();
    for (let waited = 0; waited < 15_000 && fdAfter > fdBefore + FD_SLACK; waited += 250) {
      await sleep(250);
      fdAfter = server.fdCount();
    }
    const alive = server.alive();
    const health = await server.health(5000);

    // figures
    const histogram: Record<string, number> = {};
    for (const x of results) {
      const key = x.status > 0 ? String(x.status) : x.error ?? 'none';
      histogram[key] = (histogram[key] ?? 0) + 1;
    }
    const perTarget: Record<string, Record<string, number>> = {};
    for (const x of results) {
      const t = (perTarget[x.f.target] ??= {});
      const key = x.status > 0 ? String(x.status) : x.error ?? 'none';
      t[key] = (t[key] ?? 0) + 1;
    }
    const latencies = results.map((x) => x.ms).sort((a, b) => a - b);
    const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 5).map((x) => `${x.f.target} ${x.f.kind}: ${x.status > 0 ? x.status : x.error} in ${x.ms.toFixed(0)} ms`);
    const tooMany = results.filter((x) => x.status === 429).length;
    const explain = (x: RawResult & { f: Fuzz }) => `${x.f.target} ${x.f.kind} from ${x.f.from}: ${x.status > 0 ? x.status : x.error} in ${x.ms.toFixed(0)} ms — ${x.f.bytes.subarray(0, 160).toString('utf8').replace(/\r\n/g, ' | ')}`;
    const serverErrors = results.filter((x) => x.status >= 500 && !allowed(x.f, x.status));
    const allowedErrors = results.filter((x) => x.status >= 500 && allowed(x.f, x.status));
    const slow = results.filter((x) => x.ms > SLOW_MS || x.status === -1);
    const unanswered = results.filter((x) => x.status === 0 && !x.f.mayClose);
    const crossChannel = results.filter((x) => x.f.kind === 'cross-channel directline id');
    console.log(
      [
        `fuzz seed ${SEED}: ${results.length} requests in ${seconds.toFixed(1)} s (${(results.length / seconds).toFixed(0)}/s), ${CONCURRENCY} at a time, from ${new Set(plan.map((p) => p.from)).size} client addresses`,
        `status histogram: ${JSON.stringify(Object.fromEntries(Object.entries(histogram).sort()))}`,
        `429 (rate limited): ${tooMany}`,
        ...Object.entries(perTarget).map(([t, h]) => `  ${t}: ${JSON.stringify(Object.fromEntries(Object.entries(h).sort()))}`),
        `latency until the status line: p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms (a request without an answer counts as ${HANG_MS} ms)`,
        `slowest: ${slowest.join('; ')}`,
        `documented 5xx: ${allowedErrors.length} (${[...new Set(allowedErrors.map((x) => `${x.status} ${x.f.target}`))].join(', ') || 'none'})`,
        `cross-channel attempts (a Web Chat conversation id over /api/messages) answered 2xx: ${crossChannel.filter((x) => x.status >= 200 && x.status < 300).length} of ${crossChannel.length}`,
        `open file descriptors of the server: before ${fdBefore}, peak ${fdPeak}, after ${fdAfter}`,
        `bot replies that reached the local sink: ${sink.hits()}`,
        `server alive: ${alive}, /healthz ${health.status}`,
      ].join('\n'),
    );

    const failures = [
      ...serverErrors.map((x) => `5xx: ${explain(x)}`),
      ...slow.map((x) => `over ${SLOW_MS} ms: ${explain(x)}`),
      ...unanswered.map((x) => `closed without an answer: ${explain(x)}`),
    ];
    if (failures.length) console.log(`${failures.length} failures, the first 25:\n${failures.slice(0, 25).join('\n')}`);

    expect(results.length).toBeGreaterThanOrEqual(2000);
    expect({ serverErrors: serverErrors.length, slow: slow.length, unanswered: unanswered.length }).toEqual({ serverErrors: 0, slow: 0, unanswered: 0 });
    expect(fdAfter).toBeLessThanOrEqual(fdBefore + FD_SLACK);
    expect(alive).toBe(true);
    expect(health.status).toBe(200);
  }, 240_000);
});
