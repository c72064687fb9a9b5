/**
 * The HTTP server: POST /api/messages through the CloudAdapter, GET /healthz. Malformed requests get
 * a 4xx with a short reason; nothing a client sends can crash the process.
 *
 * /api/messages is the door for the Bot Framework channels (Teams, Azure's Direct Line, the Emulator).
 * With app credentials (MicrosoftAppId) the CloudAdapter lets in only requests with a valid Bot
 * Framework token. Without them there is no such check, so here:
 * - only callers on this machine (the Bot Framework Emulator) are served, unless API_MESSAGES_OPEN;
 * - replies may only go to a serviceUrl on this machine (checked before the turn runs, and again
 *   where the reply client is made: src/bot/adapter.ts);
 * and always:
 * - the channels this process serves itself (the built-in Direct Line, 'directline') are refused, so
 *   nobody reaches a Web Chat conversation (its state, transcript, complaint) through this door;
 * - only http(s) serviceUrls (in-process channels use urn: ones, which must never be reachable here);
 * - rate limits per client address and per conversation (429 with Retry-After).
 */
import type { ActivityHandlerBase, CloudAdapter } from 'botbuilder';
import restify from 'restify';
import { z } from 'zod';
import { clientAddress } from './directline/http';
import { guardServer } from './httpGuard';
import { KeyedBuckets } from './directline/limits';
import type { Logger } from './logger';
import { logId, logPath, scrubIds } from './logIds';
import { isLocalRequest, isLoopbackUrl } from './loopback';

const Account = z.looseObject({ id: z.string().min(1).max(512), name: z.string().max(512).optional(), role: z.string().max(64).optional() });

/** The least an activity needs before the adapter sees it: the fields botbuilder and the bot rely on, with their types. */
export const IncomingActivity = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.string().min(1).max(2048),
  conversation: z.looseObject({ id: z.string().min(1).max(512) }),
  // every channel names the sender (the Emulator and Teams always do); the transcript, the state and
  // the replies need it
  from: Account,
  recipient: Account.optional(),
  text: z.string().max(10000).optional(),
  locale: z.string().max(64).optional(),
  replyToId: z.string().max(512).optional(),
  name: z.string().max(256).optional(),
  timestamp: z.string().max(64).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  entities: z.array(z.record(z.string(), z.unknown())).max(64).optional(),
  attachments: z.array(z.record(z.string(), z.unknown())).max(64).optional(),
  membersAdded: z.array(Account).max(256).optional(),
  membersRemoved: z.array(Account).max(256).optional(),
});

export const MAX_BODY_BYTES = 256 * 1024;
/** staff document uploads: 10 MB as base64 in JSON */
export const MAX_UPLOAD_BYTES = 14 * 1024 * 1024;
const UPLOAD_PATH = /^\/staff\/api\/complaints\/[^/]+\/documents\/?$/;

/** Who may use /api/messages and how much; from configuration (see app.ts and .env.example). */
export interface ApiMessagesPolicy {
  /** app credentials are configured: the CloudAdapter's Bot Framework authentication decides who may call */
  authenticated: boolean;
  /** API_MESSAGES_OPEN: without credentials, also serve callers that are not on this machine */
  open: boolean;
  /** channel ids served inside this process (the built-in Direct Line): never accepted here */
  reservedChannelIds: string[];
  /** DIRECTLINE_TRUST_PROXY: the client address for rate limits comes from X-Forwarded-For */
  trustProxy: boolean;
  maxPerClientPerMinute: number;
  maxPerConversationPerMinute: number;
}

export const DEFAULT_API_MESSAGES_POLICY: ApiMessagesPolicy = {
  authenticated: false,
  open: false,
  reservedChannelIds: ['directline'],
  trustProxy: false,
  maxPerClientPerMinute: 300,
  maxPerConversationPerMinute: 60,
};

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: ActivityHandlerBase;
  log: Logger;
  /** reports whether the store is open */
  health: () => Promise<Record<string, unknown>>;
  apiMessages?: Partial<ApiMessagesPolicy>;
  now?: () => number;
}

const SWEEP_MS = 60_000;

/**
 * A restify server with the query and body parsers and error logging, no routes. `beforeBody` runs
 * after routing and before the body is read.
 */
export function createBaseServer(name: string, log: Logger, beforeBody?: restify.RequestHandler): restify.Server {
  const server = restify.createServer({ name, handleUncaughtExceptions: false });
  // every WebSocket upgrade answered and closed, slow requests timed out (src/httpGuard.ts)
  guardServer(server.server);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  if (beforeBody) server.use(beforeBody);
  // staff document uploads (POST /staff/api/complaints/:reference/documents, base64 of up to 10 MB) get a larger limit
  const parsers = {
    small: restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }),
    upload: restify.plugins.bodyParser({ maxBodySize: MAX_UPLOAD_BYTES, mapParams: false, rejectUnknown: true }),
  };
  server.use((req, res, next) => {
    const chain = [...(UPLOAD_PATH.test(req.path()) ? parsers.upload : parsers.small)];
    const step = (err?: unknown): void => {
      const h = chain.shift();
      if (err !== undefined || !h) return next(err as Error | undefined);
      h(req, res, step as restify.Next);
    };
    step();
  });
  server.on('restifyError', (req: restify.Request, res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
    // the path may hold a conversation id (Direct Line URLs): only its log id is logged
    log.warn({ event: 'http.error', method: req.method, path: logPath(req.getPath?.()), status: err.statusCode }, err.name);
    return cb();
  });
  return server;
}

/** Why an activity may not enter through /api/messages, or undefined when it may. */
export function refusal(activity: z.infer<typeof IncomingActivity>, policy: ApiMessagesPolicy): { status: number; error: string } | undefined {
  const channel = activity.channelId.trim().toLowerCase();
  if (policy.reservedChannelIds.some((c) => c.toLowerCase() === channel)) {
    return { status: 403, error: `channel '${channel}' is served by this bot itself and is not accepted on /api/messages` };
  }
  if (!/^https?:\/\//i.test(activity.serviceUrl)) return { status: 400, error: 'serviceUrl must be an http(s) URL' };
  if (!policy.authenticated && !isLoopbackUrl(activity.serviceUrl)) {
    return { status: 400, error: 'without app credentials, replies go only to a serviceUrl on this machine' };
  }
  return undefined;
}

export function createServer(deps: ServerDeps): restify.Server {
  const { adapter, bot, log } = deps;
  const policy: ApiMessagesPolicy = { ...DEFAULT_API_MESSAGES_POLICY, ...deps.apiMessages };
  const now = deps.now ?? Date.now;
  const perClient = new KeyedBuckets(policy.maxPerClientPerMinute, 60_000);
  const perConversation = new KeyedBuckets(policy.maxPerConversationPerMinute, 60_000);
  // Before the body is read: who may call, and how often (routing has run, so the route is exact).
  const gate: restify.RequestHandler = (req, res, next) => {
    if (req.getRoute?.()?.path !== '/api/messages') return next();
    if (!policy.authenticated && !policy.open && !isLocalRequest(req)) {
      res.send(403, { error: 'without app credentials /api/messages serves only this machine (see API_MESSAGES_OPEN)' });
      return next(false);
    }
    const wait = perClient.take(clientAddress(req, policy.trustProxy), now());
    if (wait > 0) {
      res.header('Retry-After', String(Math.ceil(wait / 1000)));
      res.send(429, { error: `more than ${policy.maxPerClientPerMinute} requests per minute from this client` });
      return next(false);
    }
    return next();
  };
  const server = createBaseServer('klachtbot', log, gate);

  server.post('/api/messages', (req, res, next) => {
    const parsed = IncomingActivity.safeParse(req.body);
    if (!parsed.success) {
      res.send(400, { error: 'invalid activity', issues: parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.')}: ${i.message}`) });
      return next();
    }
    const refused = refusal(parsed.data, policy);
    if (refused) {
      res.send(refused.status, { error: refused.error });
      return next();
    }
    const wait = perConversation.take(`${parsed.data.channelId}\n${parsed.data.conversation.id}`, now());
    if (wait > 0) {
      res.header('Retry-After', String(Math.ceil(wait / 1000)));
      res.send(429, { error: `more than ${policy.maxPerConversationPerMinute} activities per minute in this conversation` });
      return next();
    }
    adapter
      .process(req, res, (context) => bot.run(context))
      .catch((err: Error) => {
        const conversation = parsed.data.conversation.id;
        log.error({ event: 'http.process', conversation: logId(conversation), err: { message: scrubIds(err.message, [conversation]) } }, 'processing failed');
        if (!res.headersSent) res.send(500, { error: 'internal error' });
      })
      .finally(() => next());
  });

  server.get('/healthz', (_req, res, next) => {
    deps
      .health()
      .then((body) => res.send(200, { status: 'ok', ...body }))
      .catch(() => res.send(503, { status: 'unavailable' }))
      .finally(() => next());
  });

  const sweeper = setInterval(() => {
    perClient.sweep(now());
    perConversation.sweep(now());
  }, SWEEP_MS);
  sweeper.unref();
  server.server.on('close', () => clearInterval(sweeper));
  return server;
}
