/**
 * The HTTP server: POST /api/messages through the CloudAdapter, GET /healthz. Malformed requests get
 * a 4xx with a short reason; nothing a client sends can crash the process.
 */
import type { ActivityHandlerBase, CloudAdapter } from 'botbuilder';
import restify from 'restify';
import { z } from 'zod';
import type { Logger } from './logger';

/** The least an activity needs before the adapter sees it. */
export const IncomingActivity = z.looseObject({
  type: z.string().min(1).max(64),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.string().min(1).max(2048),
  conversation: z.looseObject({ id: z.string().min(1).max(512) }),
  from: z.looseObject({ id: z.string().min(1).max(512) }).optional(),
  text: z.string().max(10000).optional(),
});

export const MAX_BODY_BYTES = 256 * 1024;

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: ActivityHandlerBase;
  log: Logger;
  /** reports whether the store is open */
  health: () => Promise<Record<string, unknown>>;
}

export function createServer(deps: ServerDeps): restify.Server {
  const { adapter, bot, log } = deps;
  const server = restify.createServer({ name: 'klachtbot', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', (req, res, next) => {
    const parsed = IncomingActivity.safeParse(req.body);
    if (!parsed.success) {
      res.send(400, { error: 'invalid activity', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      return next();
    }
    adapter
      .process(req, res, (context) => bot.run(context))
      .catch((err: Error) => {
        log.error({ event: 'http.process', err: { message: err.message } }, 'processing failed');
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

  server.on('restifyError', (req: restify.Request, res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
    log.warn({ event: 'http.error', method: req.method, path: req.getPath?.(), status: err.statusCode }, err.name);
    return cb();
  });
  return server;
}
