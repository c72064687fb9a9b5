/**
 * Direct Line 3.0 over HTTP and WebSocket on the bot's own restify server, under /v3/directline,
 * as botframework-directlinejs and Web Chat use it (domain = `${origin}/v3/directline`).
 * Errors have Azure's shape: `{ "error": { "code", "message" } }`, with Retry-After on 429.
 */
import type { IncomingMessage } from 'http';
import type { Duplex } from 'stream';
import type restify from 'restify';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger';
import { DirectLineError, type ConversationInfo, type DirectLineService, type StreamHandle } from './service';

export const DIRECTLINE_PATH = '/v3/directline';
const ID = '[A-Za-z0-9_-]{8,64}';
const STREAM_PATH = new RegExp(`^${DIRECTLINE_PATH}/conversations/(${ID})/stream$`);
const ID_PATTERN = new RegExp(`^${ID}$`);
/** a client whose socket buffers more than this is too slow to keep */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface DirectLineHttpOptions {
  server: restify.Server;
  service: DirectLineService;
  log: Logger;
  maxBodyBytes: number;
  keepAliveMs: number;
  /** DIRECTLINE_PUBLIC_URL: the origin browsers use, when it differs from the Host header */
  publicUrl?: string;
  /** DIRECTLINE_TRUST_PROXY: take client address, scheme and host from X-Forwarded-* */
  trustProxy: boolean;
}

/** The client's address, for per-client limits. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = req.headers['x-forwarded-for'];
    const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** The origin the client reached us on, e.g. http://localhost:3978. */
export function publicOrigin(req: IncomingMessage, opts: { publicUrl?: string; trustProxy: boolean }): string {
  if (opts.publicUrl) return opts.publicUrl.replace(/\/+$/, '');
  const header = (name: string) => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();
  };
  const proto = (opts.trustProxy && header('x-forwarded-proto')) || ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http');
  const host = (opts.trustProxy && header('x-forwarded-host')) || header('host');
  if (!host || !/^[A-Za-z0-9.\-:[\]]{1,255}$/.test(host) || !/^https?$/.test(proto)) {
    throw new DirectLineError(400, 'BadArgument', 'missing or invalid Host header');
  }
  return `${proto}://${host}`;
}

function streamUrl(origin: string, info: ConversationInfo): string {
  const ws = origin.replace(/^http/, 'ws');
  const q = new URLSearchParams({ watermark: info.watermark ?? '', t: info.streamToken });
  return `${ws}${DIRECTLINE_PATH}/conversations/${info.conversationId}/stream?${q.toString()}`;
}

function conversationBody(origin: string, info: ConversationInfo) {
  return { conversationId: info.conversationId, token: info.token, expires_in: info.expires_in, streamUrl: streamUrl(origin, info) };
}

function sendError(res: restify.Response, err: unknown, log: Logger): void {
  if (err instanceof DirectLineError) {
    if (err.retryAfterSeconds) res.header('Retry-After', String(err.retryAfterSeconds));
    res.send(err.status, { error: { code: err.code, message: err.message } });
    return;
  }
  log.error({ event: 'directline.http', err: { message: (err as Error)?.message } }, 'request failed');
  res.send(500, { error: { code: 'ServiceError', message: 'internal error' } });
}

export class DirectLineHttp {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false, clientTracking: false });
  private readonly sockets = new Map<WebSocket, { alive: boolean }>();
  private readonly keepAlive: NodeJS.Timeout;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(req, socket, head);

  constructor(private readonly opts: DirectLineHttpOptions) {
    this.routes();
    opts.server.server.on('upgrade', this.onUpgrade);
    this.keepAlive = setInterval(() => this.ping(), opts.keepAliveMs);
    this.keepAlive.unref();
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  /** Closes every stream (after the service said goodbye) and stops listening for upgrades. */
  close(): void {
    clearInterval(this.keepAlive);
    this.opts.server.server.off('upgrade', this.onUpgrade);
    for (const ws of this.sockets.keys()) ws.terminate();
    this.sockets.clear();
  }

  private routes(): void {
    const { server, service } = this.opts;
    const P = DIRECTLINE_PATH;
    const handle =
      (fn: (req: restify.Request, res: restify.Response) => Promise<{ status?: number; body: unknown }>) =>
      (req: restify.Request, res: restify.Response, next: restify.Next) => {
        res.header('Cache-Control', 'no-store');
        Promise.resolve()
          .then(() => {
            this.checkBody(req);
            return fn(req, res);
          })
          .then(({ status, body }) => res.send(status ?? 200, body))
          .catch((err) => sendError(res, err, this.opts.log))
          .finally(() => next());
      };
    const auth = (req: restify.Request) => service.authenticate(req.headers.authorization);
    const conversationId = (req: restify.Request) => {
      const id = String(req.params?.conversationId ?? '');
      if (!ID_PATTERN.test(id)) throw new DirectLineError(404, 'NotFound', 'conversation not found');
      return id;
    };
    const client = (req: restify.Request) => clientAddress(req, this.opts.trustProxy);
    const origin = (req: restify.Request) => publicOrigin(req, this.opts);

    server.post(
      `${P}/tokens/generate`,
      handle(async (req) => {
        const principal = req.headers.authorization || service.secretRequired ? auth(req) : undefined;
        return { body: service.generateToken(principal, req.body, client(req)) };
      }),
    );
    server.post(
      `${P}/tokens/refresh`,
      handle(async (req) => ({ body: await service.refreshToken(auth(req)) })),
    );
    server.post(
      `${P}/conversations`,
      handle(async (req) => {
        const o = origin(req);
        const { created, info } = await service.startConversation(auth(req), req.body, client(req));
        return { status: created ? 201 : 200, body: conversationBody(o, info) };
      }),
    );
    server.get(
      `${P}/conversations/:conversationId`,
      handle(async (req) => {
        const o = origin(req);
        const info = await service.reconnect(auth(req), conversationId(req), req.query?.watermark);
        return { body: conversationBody(o, info) };
      }),
    );
    server.post(
      `${P}/conversations/:conversationId/activities`,
      handle(async (req) => ({ body: await service.postActivity(auth(req), conversationId(req), req.body) })),
    );
    server.get(`${P}/conversations/:conversationId/activities`, (req, res, next) => {
      res.header('Cache-Control', 'no-store');
      Promise.resolve()
        .then(() => service.getActivities(auth(req), conversationId(req), req.query?.watermark))
        .then((json) => {
          res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
          res.end(json);
        })
        .catch((err) => sendError(res, err, this.opts.log))
        .finally(() => next());
    });
    server.post(
      `${P}/conversations/:conversationId/upload`,
      handle(async (req) => {
        auth(req);
        throw new DirectLineError(415, 'BadArgument', 'uploads are not supported');
      }),
    );
  }

  private checkBody(req: restify.Request): void {
    const declared = Number(req.headers['content-length'] ?? 0);
    const size = declared || (req.body && typeof req.body === 'object' ? Buffer.byteLength(JSON.stringify(req.body)) : 0);
    if (size > this.opts.maxBodyBytes) {
      throw new DirectLineError(413, 'BadArgument', `request body larger than ${this.opts.maxBodyBytes} bytes`);
    }
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = STREAM_PATH.exec(url.pathname);
    if (!m) {
      // another upgrade handler may own this path; without one, refuse
      if (this.opts.server.server.listenerCount('upgrade') === 1) refuse(socket, 404, 'Not Found');
      return;
    }
    socket.on('error', () => socket.destroy());
    let claims;
    try {
      claims = this.opts.service.authenticateStream(url.searchParams.get('t'), m[1]);
      await this.opts.service.checkStream(claims.conv);
    } catch (err) {
      const e = err instanceof DirectLineError ? err : new DirectLineError(500, 'ServiceError', 'internal error');
      refuse(socket, e.status, e.message, e.retryAfterSeconds);
      return;
    }
    const watermark = url.searchParams.get('watermark') ?? '';
    this.wss.handleUpgrade(req, socket, head, (ws) => void this.attach(ws, claims, watermark));
  }

  private async attach(ws: WebSocket, claims: Parameters<DirectLineService['subscribe']>[0], watermark: string): Promise<void> {
    const state = { alive: true };
    this.sockets.set(ws, state);
    let handle: StreamHandle | undefined;
    let closed = false;
    ws.on('pong', () => (state.alive = true));
    ws.on('message', () => (state.alive = true)); // directlinejs sends empty messages as pings
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      closed = true;
      this.sockets.delete(ws);
      handle?.close();
    });
    const sink = {
      send: (frame: string) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.terminate();
        else ws.send(frame);
      },
      close: (code: number, reason: string) => {
        if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(code, reason);
      },
    };
    try {
      handle = await this.opts.service.subscribe(claims, watermark, sink);
      if (closed) handle.close();
    } catch (err) {
      const e = err instanceof DirectLineError ? err : undefined;
      if (!e) this.opts.log.error({ event: 'directline.stream', err: { message: (err as Error).message } }, 'stream failed');
      // 1008 policy violation (limits), 1011 server error; directlinejs then reconnects over REST
      sink.close(e?.status === 429 ? 1008 : e?.status === 404 ? 1000 : 1011, e?.message ?? 'internal error');
    }
  }

  /** Keep-alive: an empty frame (Direct Line's keep-alive) and a ping; a socket silent for a whole round is dropped. */
  private ping(): void {
    for (const [ws, state] of this.sockets) {
      if (!state.alive) {
        ws.terminate();
        continue;
      }
      state.alive = false;
      try {
        ws.ping();
        ws.send('');
      } catch {
        ws.terminate();
      }
    }
  }
}

function refuse(socket: Duplex, status: number, message: string, retryAfter?: number): void {
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status] ?? 'Error';
  const body = JSON.stringify({ error: { code: reason.replace(/ /g, ''), message } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `${retryAfter ? `Retry-After: ${retryAfter}\r\n` : ''}Connection: close\r\n\r\n${body}`,
  );
}
