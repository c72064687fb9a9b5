/**
 * Direct Line 3.0 over HTTP and WebSocket on the bot's own restify server, under /v3/directline,
 * as botframework-directlinejs and Web Chat use it (domain = `${origin}/v3/directline`).
 * Errors have Azure's shape: `{ "error": { "code", "message" } }`, with Retry-After on 429.
 */
import type { IncomingMessage } from 'http';
import { isIP, isIPv6 } from 'net';
import type { Duplex } from 'stream';
import type restify from 'restify';
import { WebSocket, WebSocketServer } from 'ws';
import { addUpgradeHandler, refuseUpgrade } from '../httpGuard';
import type { Logger } from '../logger';
import { DirectLineError, type ConversationInfo, type DirectLineService, type StreamHandle } from './service';

export const DIRECTLINE_PATH = '/v3/directline';
const ID = '[A-Za-z0-9_-]{8,64}';
const STREAM_PATH = new RegExp(`^${DIRECTLINE_PATH}/conversations/(${ID})/stream$`);
const ID_PATTERN = new RegExp(`^${ID}$`);
/** a client whose socket buffers more than this is too slow to keep */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** an upgrade not answered within this time (a stuck store) is refused with 503 */
const UPGRADE_CHECK_MS = 10_000;

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

/**
 * The client's address, as the key of per-client limits. Behind a reverse proxy (trustProxy) it is
 * the last X-Forwarded-For entry, the one the proxy added: the entries before it are whatever the
 * client sent, so a client choosing its own key would escape every per-client limit. IPv4 in IPv6
 * notation is plain IPv4, and an IPv6 address counts as its /64 (one subscriber's whole network).
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = req.headers['x-forwarded-for'];
    const entries = (Array.isArray(fwd) ? fwd.join(',') : (fwd ?? '')).split(',');
    const last = entries[entries.length - 1]?.trim();
    if (last) return clientKey(last);
  }
  return clientKey(req.socket.remoteAddress ?? 'unknown');
}

/** An address as a limit key: ::ffff:a.b.c.d is a.b.c.d, IPv6 is its /64 prefix. */
export function clientKey(address: string): string {
  const a = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/.exec(a);
  if (mapped) return mapped[1];
  if (!isIPv6(a)) return isIP(a) ? a : address.slice(0, 64);
  const [head, tail = ''] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = a.includes('::') && tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
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
  private readonly removeUpgradeHandler: () => void;

  constructor(private readonly opts: DirectLineHttpOptions) {
    this.routes();
    // every upgrade under /v3/directline is answered here (101 or a 4xx); others by src/httpGuard.ts
    this.removeUpgradeHandler = addUpgradeHandler(opts.server.server, (req, socket, head, path) => {
      if (path !== DIRECTLINE_PATH && !path.startsWith(`${DIRECTLINE_PATH}/`)) return false;
      this.upgrade(req, socket, head, path);
      return true;
    });
    this.keepAlive = setInterval(() => this.ping(), opts.keepAliveMs);
    this.keepAlive.unref();
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  /** Closes every stream (after the service said goodbye) and stops listening for upgrades. */
  close(): void {
    clearInterval(this.keepAlive);
    this.removeUpgradeHandler();
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

  /**
   * A stream upgrade: the path must be a stream of a valid conversation id, `t` its stream token, the
   * client under its socket limits; otherwise a 4xx and the socket is closed. Answered within
   * UPGRADE_CHECK_MS in any case.
   */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string): void {
    const m = STREAM_PATH.exec(path);
    if (!m) return refuseUpgrade(socket, 404, 'not found');
    let params: URLSearchParams;
    try {
      params = new URL(req.url ?? '/', 'http://localhost').searchParams;
    } catch {
      return refuseUpgrade(socket, 400, 'invalid request target');
    }
    const client = clientAddress(req, this.opts.trustProxy);
    let answered = false;
    const timer = setTimeout(() => {
      answered = true;
      refuseUpgrade(socket, 503, 'service busy', 5);
    }, UPGRADE_CHECK_MS);
    timer.unref();
    const check = async () => {
      const claims = this.opts.service.authenticateStream(params.get('t'), m[1]);
      await this.opts.service.checkStream(claims.conv, client);
      return claims;
    };
    check().then(
      (claims) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        const watermark = params.get('watermark') ?? '';
        this.wss.handleUpgrade(req, socket, head, (ws) => void this.attach(ws, claims, watermark, client));
      },
      (err) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        const e = err instanceof DirectLineError ? err : new DirectLineError(500, 'ServiceError', 'internal error');
        if (!(err instanceof DirectLineError)) this.opts.log.error({ event: 'directline.upgrade', err: { message: (err as Error)?.message } }, 'upgrade failed');
        refuseUpgrade(socket, e.status, e.message, e.retryAfterSeconds);
      },
    );
  }

  private async attach(ws: WebSocket, claims: Parameters<DirectLineService['subscribe']>[0], watermark: string, client: string): Promise<void> {
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
      handle = await this.opts.service.subscribe(claims, watermark, sink, client);
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
