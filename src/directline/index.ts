/**
 * The citizen's chat on the bot's own server: the built-in Direct Line 3.0 (/v3/directline) and
 * the chat page (GET /). With DIRECTLINE_ENDPOINT set (a gemeente on Azure Bot Service), the
 * built-in Direct Line stays off and the page talks to Azure's Direct Line instead: this server
 * exchanges DIRECTLINE_SECRET for a token per visitor, so the secret never reaches the browser.
 */
import type { TurnContext } from 'botbuilder';
import type restify from 'restify';
import { z } from 'zod';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Municipality } from '../municipality';
import type { DirectLineRepository, Store } from '../store/types';
import { attachWebPage, PageError, type TokenSource } from '../web/page';
import { DirectLineHttp, DIRECTLINE_PATH, clientAddress, publicOrigin } from './http';
import { KeyedBuckets } from './limits';
import type { LocalChannelAdapter } from './localChannelAdapter';
import { DirectLineService, newId, type DirectLineLimits } from './service';
import { TokenService } from './tokens';

export { DirectLineService } from './service';

export interface ChatDeps {
  server: restify.Server;
  adapter: LocalChannelAdapter;
  bot: { run(context: TurnContext): Promise<void> };
  store: Store;
  config: Config;
  municipality: Municipality;
  log: Logger;
  /** for tests */
  limits?: Partial<DirectLineLimits>;
  now?: () => number;
}

export interface Chat {
  /** the built-in Direct Line; undefined when the page uses Azure's */
  directLine?: DirectLineService;
  store?: DirectLineRepository;
  /** open WebSocket streams */
  openSockets(): number;
  close(): Promise<void>;
}

const SWEEP_MS = 60_000;

export async function attachChat(deps: ChatDeps): Promise<Chat> {
  const { server, config, municipality, log } = deps;
  const proxy = { publicUrl: config.DIRECTLINE_PUBLIC_URL, trustProxy: config.DIRECTLINE_TRUST_PROXY };
  const origin = (req: restify.Request) => publicOrigin(req, proxy);

  if (config.DIRECTLINE_ENDPOINT) {
    attachWebPage({ server, municipality, log, origin, tokens: azureTokens(config, log) });
    log.info({ event: 'chat.azure', endpoint: config.DIRECTLINE_ENDPOINT }, 'chat page uses Azure Direct Line');
    return { openSockets: () => 0, close: async () => undefined };
  }

  const store = deps.store.directLine;
  const tokens = new TokenService(await store.signingKey(), config.DIRECTLINE_TOKEN_TTL_SECONDS, deps.now);
  const service = new DirectLineService({
    store,
    coordination: deps.store.coordination,
    tokens,
    adapter: deps.adapter,
    logic: (context) => deps.bot.run(context),
    bot: { id: `${municipality.id}-klachtbot`, name: municipality.name, role: 'bot' },
    secret: config.DIRECTLINE_SECRET,
    limits: {
      maxTextLength: config.DIRECTLINE_MAX_TEXT_LENGTH,
      maxActivitiesPerMinute: config.DIRECTLINE_MAX_ACTIVITIES_PER_MINUTE,
      maxStartsPerMinute: config.DIRECTLINE_MAX_STARTS_PER_MINUTE,
      maxSockets: config.DIRECTLINE_MAX_SOCKETS,
      maxSocketsPerClient: config.DIRECTLINE_MAX_SOCKETS_PER_CLIENT,
      maxConversationsPerClient: config.DIRECTLINE_MAX_CONVERSATIONS_PER_CLIENT,
      idleMs: config.DIRECTLINE_IDLE_MINUTES * 60_000,
      ...deps.limits,
    },
    log,
    now: deps.now,
  });
  const http = new DirectLineHttp({
    server,
    service,
    log,
    maxBodyBytes: config.DIRECTLINE_MAX_BODY_BYTES,
    keepAliveMs: config.DIRECTLINE_KEEPALIVE_SECONDS * 1000,
    ...proxy,
  });
  const localTokens: TokenSource = {
    connectSources: (o) => [o.replace(/^http/, 'ws')],
    issue: async (req, locale) => {
      try {
        return { ...service.pageToken(locale, clientAddress(req, proxy.trustProxy)), domain: `${origin(req)}${DIRECTLINE_PATH}` };
      } catch (err) {
        const e = err as { status?: number; message: string; retryAfterSeconds?: number };
        if (e.status) throw new PageError(e.status, e.message, e.retryAfterSeconds);
        throw err;
      }
    },
  };
  attachWebPage({ server, municipality, log, origin, tokens: localTokens });

  const sweeper = setInterval(() => {
    service.sweep().catch((err: Error) => log.error({ event: 'directline.sweepFailed', err: { message: err.message } }, 'clean-up failed'));
  }, SWEEP_MS);
  sweeper.unref();

  return {
    directLine: service,
    store,
    openSockets: () => http.openSockets,
    close: async () => {
      clearInterval(sweeper);
      await service.close();
      http.close();
    },
  };
}

const AzureToken = z.object({ conversationId: z.string().min(1), token: z.string().min(1), expires_in: z.number().int().positive() });

/** Tokens from Azure's Direct Line, exchanged with the secret on this server. */
function azureTokens(config: Config, log: Logger): TokenSource {
  const endpoint = config.DIRECTLINE_ENDPOINT!.replace(/\/+$/, '');
  const endpointOrigin = new URL(endpoint).origin;
  const buckets = new KeyedBuckets(config.DIRECTLINE_MAX_STARTS_PER_MINUTE, 60_000);
  const sweeper = setInterval(() => buckets.sweep(Date.now()), SWEEP_MS);
  sweeper.unref();
  return {
    connectSources: () => [endpointOrigin, endpointOrigin.replace(/^http/, 'ws')],
    issue: async (req) => {
      const wait = buckets.take(clientAddress(req, config.DIRECTLINE_TRUST_PROXY), Date.now());
      if (wait > 0) throw new PageError(429, 'too many new conversations', Math.ceil(wait / 1000));
      let res: Response;
      try {
        res = await fetch(`${endpoint}/tokens/generate`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${config.DIRECTLINE_SECRET}`, 'Content-Type': 'application/json' },
          // a user id in the token (dl_ prefix, as Azure requires) so clients cannot pose as someone else
          body: JSON.stringify({ user: { id: `dl_${newId(12)}` } }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (err) {
        log.error({ event: 'chat.azureToken', err: { message: (err as Error).message } }, 'Direct Line not reachable');
        throw new PageError(502, 'chat not available');
      }
      const parsed = AzureToken.safeParse(res.ok ? await res.json().catch(() => undefined) : undefined);
      if (!parsed.success) {
        log.error({ event: 'chat.azureToken', status: res.status }, 'Direct Line refused the token request');
        throw new PageError(502, 'chat not available');
      }
      return { ...parsed.data, domain: endpoint };
    },
  };
}
