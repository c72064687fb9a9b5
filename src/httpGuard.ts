/**
 * What every HTTP server of the product needs so that no client can hold its sockets:
 *
 * - Upgrade requests (WebSocket) are all answered. Node hands the socket of an upgrade request to
 *   the server's 'upgrade' listeners and then forgets it; restify 11 (handleUpgrades: false, the
 *   default) adds a listener that only re-emits the event on the restify object, where nothing
 *   listens. So an upgrade nobody answered stayed open for ever (CLOSE-WAIT), and a few hundred of
 *   them used up the process's file descriptors. Here one dispatcher owns the event: a handler
 *   registered for the request's path answers it (the built-in Direct Line's streams,
 *   src/directline/http.ts); every other upgrade gets a 4xx and its socket is closed.
 * - A connection that never completes its request headers is closed after HEADERS_TIMEOUT_MS, and
 *   one that never completes its request after REQUEST_TIMEOUT_MS (Node checks every 30 s).
 */
import type { IncomingMessage, Server } from 'http';
import type { Duplex } from 'stream';

/** Node's default is 60 s; a browser sends its headers at once. */
export const HEADERS_TIMEOUT_MS = 15_000;
/** Node's default is 300 s; request bodies here are at most 256 KiB. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** an upgrade's socket is destroyed this long after its refusal was sent, if the client keeps it open */
const LINGER_MS = 2_000;

/**
 * Answers an upgrade request on `path` (the URL's path, without query). Returns false when the path
 * is not its own; otherwise it must answer (101 or an error status) and close the socket on error.
 */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, path: string) => boolean;

const handlers = new WeakMap<Server, Set<UpgradeHandler>>();

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Refuses an upgrade: a complete HTTP response with a JSON error in Azure's shape, then the socket
 * is closed (ended at once, destroyed after a short linger if the client does not close it).
 */
export function refuseUpgrade(socket: Duplex, status: number, message: string, retryAfterSeconds?: number): void {
  if (socket.destroyed) return;
  const reason = REASONS[status] ?? 'Error';
  const body = JSON.stringify({ error: { code: reason.replace(/ /g, ''), message } });
  socket.on('error', () => socket.destroy());
  socket.resume(); // read (and discard) whatever the client still sends, so the close is a clean FIN
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Cache-Control: no-store\r\n${retryAfterSeconds ? `Retry-After: ${retryAfterSeconds}\r\n` : ''}Connection: close\r\n\r\n${body}`,
  );
}

/** The request's path, or undefined when the request line's target is not a plain path. */
function pathOf(req: IncomingMessage): string | undefined {
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//') || target.length > 8192) return undefined;
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q);
}

function dispatch(server: Server, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  try {
    const path = pathOf(req);
    if (path === undefined) return refuseUpgrade(socket, 400, 'invalid request target');
    for (const h of handlers.get(server) ?? []) if (h(req, socket, head, path)) return;
    refuseUpgrade(socket, 404, 'no WebSocket endpoint at this path');
  } catch {
    refuseUpgrade(socket, 500, 'internal error');
  }
}

/**
 * Makes `server` answer every upgrade request (idempotent): removes the listeners others added
 * (restify's re-emitter), installs the dispatcher, and bounds how long a request may take to arrive.
 */
export function guardServer(server: Server, timeouts: { headersMs?: number; requestMs?: number } = {}): void {
  server.headersTimeout = timeouts.headersMs ?? HEADERS_TIMEOUT_MS;
  server.requestTimeout = timeouts.requestMs ?? REQUEST_TIMEOUT_MS;
  if (handlers.has(server)) return;
  handlers.set(server, new Set());
  server.removeAllListeners('upgrade');
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => dispatch(server, req, socket, head));
  // a listener added later (by a library) would take over sockets it might not answer
  server.on('newListener', (event: string | symbol) => {
    if (event === 'upgrade') process.emitWarning('an upgrade listener was added after guardServer(); upgrades are dispatched by src/httpGuard.ts');
  });
}

/** Registers an upgrade handler on `server` (guarding it first); returns its removal. */
export function addUpgradeHandler(server: Server, handler: UpgradeHandler): () => void {
  guardServer(server);
  const set = handlers.get(server)!;
  set.add(handler);
  return () => set.delete(handler);
}
