/**
 * Issue 10, point 2: every WebSocket upgrade request is answered (101, or a 4xx) and a refused one's
 * socket is closed by the server; stream ids of any shape are handled; one client address cannot
 * hold more than DIRECTLINE_MAX_SOCKETS_PER_CLIENT streams while another client is still served.
 *
 * Against the real server as a process (`node dist/src/index.js`, default configuration). Before the
 * fix, restify's own 'upgrade' listener kept the server from refusing anything: a wrong-path upgrade
 * got no answer and its socket stayed open for ever (CLOSE-WAIT), one file descriptor each.
 */
import net from 'net';
import { WebSocket } from 'ws';
import { startServer, type ServerProcess } from '../helpers/serverProcess';
import { chatTurn, startChat } from './chat';
import { request } from './client';

let server: ServerProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

interface UpgradeResult {
  /** the answer's status code; 0 when the connection ended without one */
  status: number;
  /** the whole answer as received */
  text: string;
  /** the server ended the connection within `closeWithinMs` of answering */
  closedByServer: boolean;
}

const WS_HEADERS = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';

/**
 * Sends an upgrade request as raw bytes (`target` as it stands in the request line) and waits for the
 * answer, then up to `closeWithinMs` for the server to end the connection. The client never closes
 * first, so a server that does not close is seen.
 */
function upgrade(port: number, target: string | Buffer, opts: { from?: string; headers?: string; method?: string; closeWithinMs?: number } = {}): Promise<UpgradeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: opts.from, allowHalfOpen: true });
    let text = '';
    let answeredAt = 0;
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text, closedByServer });
    };
    // no answer at all within 4 s, or no close within closeWithinMs of the answer
    let timer = setTimeout(() => finish(false), 4000);
    socket.on('connect', () => {
      const line = Buffer.concat([Buffer.from(`${opts.method ?? 'GET'} `), Buffer.isBuffer(target) ? target : Buffer.from(target, 'latin1'), Buffer.from(' HTTP/1.1\r\n')]);
      socket.write(Buffer.concat([line, Buffer.from(`Host: 127.0.0.1\r\n${opts.headers ?? WS_HEADERS}\r\n`, 'latin1')]));
    });
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (!answeredAt && /\r\n\r\n/.test(text)) {
        answeredAt = Date.now();
        clearTimeout(timer);
        timer = setTimeout(() => finish(false), opts.closeWithinMs ?? 2000);
      }
    });
    socket.on('end', () => finish(answeredAt > 0));
    socket.on('close', () => finish(answeredAt > 0));
    socket.on('error', () => finish(answeredAt > 0));
  });
}

/** Opens a WebSocket stream from `from`: 101 with the socket, or the refusal's status. */
function openStream(url: string, from: string): Promise<{ status: number; ws?: WebSocket; retryAfter?: string; closed: Promise<number> }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { localAddress: from });
    const closed = new Promise<number>((res) => ws.on('close', (code) => res(code)));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, closed });
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => resolve({ status: 101, ws, closed }));
    ws.on('error', () => resolve({ status: 0, closed }));
  });
}

/** Upgrade targets that are not a valid stream: wrong paths, stream ids of every shape, query junk. */
function hostileTargets(realId: string): (string | Buffer)[] {
  const S = '/v3/directline/conversations';
  return [
    '/',
    '/foo',
    '/api/messages',
    '/staff/api/complaints',
    '/healthz',
    '/v3/directline',
    '/v3/directline/',
    S,
    `${S}/${realId}`,
    `${S}/${realId}/activities`,
    `${S}/${realId}/stream/extra`,
    `${S}//stream`, // empty id
    `${S}/abc/stream`, // too short
    `${S}/${'a'.repeat(65)}/stream`, // too long
    `${S}/${'a'.repeat(4000)}/stream`,
    `${S}/%61%62%63%64%65%66%67%68/stream`, // %-encoded
    `${S}/${encodeURIComponent('gemeenteé😀')}/stream`,
    Buffer.from(`${S}/gemeenteé😀/stream`, 'utf8'), // raw unicode bytes in the request line
    `${S}/..%2F..%2Fetc/stream`,
    `${S}/../stream`,
    `${S}/${realId}%00/stream`,
    `${S}/${realId}/stream`, // the real conversation, no token
    `${S}/${realId}/stream?t=`,
    `${S}/${realId}/stream?t=forged.token.here`,
    `${S}/${realId}/stream?t=${'x'.repeat(6000)}`,
    `${S}/${realId}/stream?%zz=%zz&t=%`,
    `${S}/${realId}/stream?t=a&t=b&watermark=-1`,
    `${S}/${realId}/stream?watermark=${'9'.repeat(40)}`,
    `${S}/${realId}/stream#fragment`,
    'http://evil.example/v3/directline', // absolute form
    '//evil.example/x',
    '*',
  ];
}

test('every upgrade on a wrong path, with a bad stream id or without a valid token gets a 4xx and the server closes the socket', async () => {
  server = await startServer();
  const chat = await startChat(server.url);
  const targets = hostileTargets(chat.conversationId);
  const results = [];
  for (const target of targets) results.push({ target: String(target).slice(0, 80), ...(await upgrade(server.port, target)) });
  // other methods and broken WebSocket headers on the real stream path (with its real token)
  const streamTarget = new URL(chat.streamUrl).pathname + new URL(chat.streamUrl).search;
  const variants = [
    { target: `POST ${streamTarget}`, ...(await upgrade(server.port, streamTarget, { method: 'POST' })) },
    { target: 'no Sec-WebSocket-Key', ...(await upgrade(server.port, streamTarget, { headers: 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' })) },
    { target: 'version 99', ...(await upgrade(server.port, streamTarget, { headers: WS_HEADERS.replace('Version: 13', 'Version: 99') })) },
    { target: 'Upgrade: h2c', ...(await upgrade(server.port, '/foo', { headers: 'Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n' })) },
  ];
  const wrong = [...results, ...variants].filter((r) => !(r.status >= 400 && r.status < 500 && r.closedByServer));
  expect(wrong).toEqual([]);
  // the refusals say why, in Direct Line's error shape where the bot answers them
  expect(results.find((r) => r.target.endsWith(`${chat.conversationId}/stream`))!.text).toMatch(/^HTTP\/1\.1 401[\s\S]*"error":\{"code":"Unauthorized"/);
  expect(results.find((r) => r.target.endsWith('stream?t=forged.token.here'))!.status).toBe(403);
  expect(results.find((r) => r.target === '/foo')!.status).toBe(404);

  // and the real stream still opens with its token
  const ok = await openStream(chat.streamUrl, '127.0.0.1');
  expect(ok.status).toBe(101);
  ok.ws!.close();
  await ok.closed;
});

test('300 hostile upgrades leave no sockets open in the server, and the chat still works', async () => {
  server = await startServer();
  const chat = await startChat(server.url, '127.0.0.5');
  const targets = hostileTargets(chat.conversationId);
  // warm up (lazy modules, the database's files), then count the server's open file descriptors
  await Promise.all(targets.slice(0, 10).map((t) => upgrade(server!.port, t)));
  await new Promise((r) => setTimeout(r, 300));
  const before = server.fdCount();

  const statuses = new Map<number, number>();
  let unclosed = 0;
  for (let round = 0; round < 10; round++) {
    const batch = await Promise.all(
      Array.from({ length: 30 }, (_, i) => upgrade(server!.port, targets[(round * 30 + i) % targets.length], { from: `127.0.0.${2 + (i % 3)}` })),
    );
    for (const r of batch) {
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (!r.closedByServer) unclosed++;
    }
  }
  expect(unclosed).toBe(0);
  expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
  expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(300);

  await new Promise((r) => setTimeout(r, 300));
  const after = server.fdCount();
  expect(after - before).toBeLessThanOrEqual(5);
  // the chat still works for a new visitor and for the existing conversation
  expect((await chatTurn(server.url, '127.0.0.6')).length).toBeGreaterThan(0);
  const stream = await openStream(chat.streamUrl, '127.0.0.5');
  expect(stream.status).toBe(101);
  stream.ws!.close();
  expect((await server.health(2000)).status).toBe(200);
});

test('one client address cannot hold more than DIRECTLINE_MAX_SOCKETS_PER_CLIENT streams; another client is still served', async () => {
  server = await startServer({ env: { DIRECTLINE_MAX_SOCKETS_PER_CLIENT: '4', DIRECTLINE_MAX_SOCKETS: '50' } });
  const greedy = '127.0.0.7';
  const other = '127.0.0.8';
  const convs = [await startChat(server.url, greedy), await startChat(server.url, greedy)];
  // 4 streams over two conversations (at most 3 per conversation): all open
  const open = [];
  for (const c of [convs[0], convs[0], convs[1], convs[1]]) open.push(await openStream(c.streamUrl, greedy));
  expect(open.map((s) => s.status)).toEqual([101, 101, 101, 101]);
  // the 5th from the same address: 429 with Retry-After, and the socket closed
  const fifth = await openStream(convs[1].streamUrl, greedy);
  expect(fifth.status).toBe(429);
  expect(Number(fifth.retryAfter)).toBeGreaterThan(0);
  const target = new URL(convs[1].streamUrl);
  const raw = await upgrade(server.port, target.pathname + target.search, { from: greedy });
  expect(raw.status).toBe(429);
  expect(raw.closedByServer).toBe(true);
  // many at once from that address cannot get past the cap either
  const burst = await Promise.all(Array.from({ length: 12 }, async () => {
    const c = await startChat(server!.url, greedy).catch(() => undefined); // starts are limited per minute too
    return c ? openStream(c.streamUrl, greedy) : { status: 429, ws: undefined, closed: Promise.resolve(0) };
  }));
  const held = await Promise.all(burst.map(async (s) => {
    if (s.status !== 101) return false;
    // a socket that got past the check at the handshake is closed right after it (1008)
    return Promise.race([s.closed.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 500))]);
  }));
  expect(held.filter(Boolean)).toEqual([]);

  // another client is served: a stream and a chat turn
  const mine = await startChat(server.url, other);
  const theirs = await openStream(mine.streamUrl, other);
  expect(theirs.status).toBe(101);
  expect((await chatTurn(server.url, other)).length).toBeGreaterThan(0);

  // when the greedy client closes a stream, it may open one again
  open[0].ws!.close();
  await open[0].closed;
  let again = await openStream(convs[0].streamUrl, greedy);
  for (let i = 0; i < 20 && again.status === 429; i++) {
    await new Promise((r) => setTimeout(r, 50));
    again = await openStream(convs[0].streamUrl, greedy);
  }
  expect(again.status).toBe(101);
  for (const s of [...open.slice(1), again, theirs]) s.ws?.terminate();
  expect((await request(`${server.url}/healthz`, { timeoutMs: 2000 })).status).toBe(200);
});

test('one client address cannot hold more than DIRECTLINE_MAX_CONVERSATIONS_PER_CLIENT open conversations; another client is still served', async () => {
  server = await startServer({ env: { DIRECTLINE_MAX_CONVERSATIONS_PER_CLIENT: '3', DIRECTLINE_MAX_STARTS_PER_MINUTE: '100' } });
  const greedy = '127.0.0.9';
  const convs = [];
  for (let i = 0; i < 3; i++) convs.push(await startChat(server.url, greedy));
  // the 4th: the page's token is refused with 429 and Retry-After, and so is a start with the secret-less API
  const page = await request(`${server.url}/api/directline/token`, { method: 'POST', body: { locale: 'nl-NL' }, from: greedy });
  expect(page.status).toBe(429);
  expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
  const generate = await request(`${server.url}/v3/directline/tokens/generate`, { method: 'POST', from: greedy });
  expect(generate.status).toBe(429);
  // the client's own conversations go on
  const posted = await request(`${server.url}/v3/directline/conversations/${convs[0].conversationId}/activities`, {
    body: { type: 'message', text: 'Ik wil een klacht indienen', locale: 'nl-NL' },
    headers: { Authorization: `Bearer ${convs[0].token}` },
    from: greedy,
  });
  expect(posted.status).toBe(200);
  // and another client is served
  expect((await chatTurn(server.url, '127.0.0.10')).length).toBeGreaterThan(0);
});
