/**
 * src/httpGuard.ts on a real HTTP server (a restify one, as the app makes them): every upgrade request
 * is answered and a refused one's socket closed by the server; a registered handler gets its paths;
 * connections that never complete their headers are closed.
 */
import http from 'http';
import net, { type AddressInfo } from 'net';
import restify from 'restify';
import { addUpgradeHandler, guardServer, refuseUpgrade } from '../src/httpGuard';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function listen(s: http.Server): Promise<number> {
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

/** Sends `bytes`; resolves with what came back and whether the server closed within `ms`. */
function exchange(port: number, bytes: string, ms = 2000): Promise<{ text: string; closed: boolean; after: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => socket.write(bytes));
    let text = '';
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed, after: Date.now() - started });
    };
    const timer = setTimeout(() => done(false), ms);
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('end', () => done(true));
    socket.on('error', () => done(true));
  });
}

const upgradeTo = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;

test("restify's own upgrade listener is replaced: an upgrade nobody handles gets 404 and a closed socket", async () => {
  const server = restify.createServer({ handleUncaughtExceptions: false });
  expect(server.server.listenerCount('upgrade')).toBe(1); // restify's re-emitter, which answers nothing
  guardServer(server.server);
  guardServer(server.server); // idempotent
  expect(server.server.listenerCount('upgrade')).toBe(1);
  const port = await listen(server.server);
  const r = await exchange(port, upgradeTo('/anything'));
  expect(r.text).toMatch(/^HTTP\/1\.1 404 Not Found\r\n[\s\S]*Connection: close\r\n\r\n\{"error":\{"code":"NotFound"/);
  expect(r.closed).toBe(true);
  const absolute = await exchange(port, upgradeTo('http://elsewhere/x'));
  expect(absolute.text).toMatch(/^HTTP\/1\.1 400 /);
  expect(absolute.closed).toBe(true);
});

test('a registered handler answers its own paths, others are refused; a handler that throws gives 500, not a hang', async () => {
  const server = http.createServer();
  const seen: string[] = [];
  const remove = addUpgradeHandler(server, (_req, socket, _head, path) => {
    if (!path.startsWith('/mine')) return false;
    seen.push(path);
    if (path === '/mine/throw') throw new Error('boom');
    refuseUpgrade(socket, 429, 'busy', 7);
    return true;
  });
  const port = await listen(server);
  const mine = await exchange(port, upgradeTo('/mine/x?q=1'));
  expect(mine.text).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n[\s\S]*Retry-After: 7\r\n/);
  expect(mine.closed).toBe(true);
  const thrown = await exchange(port, upgradeTo('/mine/throw'));
  expect(thrown.text).toMatch(/^HTTP\/1\.1 500 /);
  expect(thrown.closed).toBe(true);
  expect((await exchange(port, upgradeTo('/other'))).text).toMatch(/^HTTP\/1\.1 404 /);
  expect(seen).toEqual(['/mine/x', '/mine/throw']);
  remove();
  expect((await exchange(port, upgradeTo('/mine/x'))).text).toMatch(/^HTTP\/1\.1 404 /);
});

test('a connection that sends nothing, or never finishes its headers, is closed after the headers time-out', async () => {
  const server = http.createServer({ connectionsCheckingInterval: 100 }, (_req, res) => res.end('ok'));
  guardServer(server, { headersMs: 400, requestMs: 800 });
  const port = await listen(server);
  const [silent, partial] = await Promise.all([exchange(port, '', 3000), exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\n', 3000)]);
  expect(silent.closed).toBe(true);
  expect(silent.after).toBeLessThan(2000);
  expect(partial.closed).toBe(true);
  expect(partial.text).toMatch(/^HTTP\/1\.1 408 /);
  // the defaults for the app's servers: much shorter than Node's (60 s and 300 s)
  const plain = http.createServer();
  guardServer(plain);
  expect(plain.headersTimeout).toBe(15_000);
  expect(plain.requestTimeout).toBe(30_000);
});
