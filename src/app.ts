/**
 * Builds the whole product from configuration: store, state, bot, adapter and HTTP server. Used by
 * index.ts and by tests, so tests run exactly what production runs.
 */
import { closeBackgroundThread } from './delivery/background/thread';
import { ConversationState } from 'botbuilder';
import type { AddressInfo } from 'net';
import type restify from 'restify';
import { ComplaintBot } from './bot/complaintBot';
import { createAdapter } from './bot/adapter';
import { DedupeMiddleware } from './bot/dedupe';
import { StateStorage } from './bot/stateStorage';
import { BotTranscriptStore, TranscriptMiddleware } from './bot/transcriptStore';
import { TurnLockMiddleware } from './bot/turnLock';
import type { Config } from './config';
import type { RouteClassifier } from './domain/routes';
import { createLogger, logHealth, type Logger } from './logger';
import type { Municipality } from './municipality';
import { createStaff, type Staff } from './staff';
import { Housekeeping } from './staff/housekeeping';
import { registerStaffRoutes } from './staff/api';
import { registerDeliveryRoutes } from './staff/deliveriesApi';
import { createDelivery, type DeliveryService } from './delivery';
import type { DeliveryPlugin } from './delivery/types';
import { ReferralCounter } from './staff/reports/referrals';
import { registerReportRoutes } from './staff/reportsApi';
import { registerLetterRoutes } from './staff/lettersApi';
import { openStore } from './store';
import { ComplaintStore } from './store/complaintStore';
import type { Store } from './store/types';
import { createRouteClassifier } from './routing/classifier';
import { createUnderstander } from './understanding';
import { createBaseServer, createServer } from './server';
import { setLogIdSecret } from './logIds';
import { CHANNEL_ID as BUILT_IN_DIRECTLINE, LOCAL_SERVICE_URL } from './directline/service';
import { attachChat, type Chat } from './directline';

export interface AppOptions {
  log?: Logger;
  clock?: () => Date;
  /** the route recogniser; default: the trained one from src/routing; null: always ask with buttons */
  classifier?: RouteClassifier | null;
  /** delivery plugins instead of the configured ones (tests); [] = none */
  deliveryPlugins?: DeliveryPlugin[];
  /** the delivery worker's poll interval in ms (default 30 s) */
  deliveryPollMs?: number;
}

export interface App {
  config: Config;
  /** the store layer (src/store): SQLite or PostgreSQL by DATABASE_URL */
  store: Store;
  /** filing, as the dialogs see it */
  complaints: ComplaintStore;
  /** deliveries after filing: plugins, the outbox worker and the daily digest (src/delivery) */
  delivery: DeliveryService;
  storage: StateStorage;
  /** every activity in and out (TranscriptLoggerMiddleware) */
  transcripts: BotTranscriptStore;
  /** staff API (/staff/api), page (/staff), audit log and retention */
  staff: Staff;
  /** the scheduled retention purge */
  housekeeping: Housekeeping;
  /** de-duplication of re-delivered activities */
  dedupe: DedupeMiddleware;
  bot: ComplaintBot;
  adapter: ReturnType<typeof createAdapter>;
  server: restify.Server;
  /** the staff back office's own server when STAFF_PORT is set (otherwise /staff is on `server`) */
  staffServer?: restify.Server;
  /** its port once listening */
  staffPort?: number;
  /** the built-in Direct Line and the chat page (GET /) */
  chat: Chat;
  log: Logger;
  /** starts the public server (resolves with its port) and the staff server when configured */
  listen(port?: number): Promise<number>;
  close(): Promise<void>;
}

export async function createApp(config: Config, municipality: Municipality, opts: AppOptions = {}): Promise<App> {
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  setLogIdSecret(config.LOG_ID_SECRET);
  const store = await openStore(config.DATABASE_URL, { clock: opts.clock, log });
  const delivery = await createDelivery({ store, config, municipality, log, clock: opts.clock, plugins: opts.deliveryPlugins, pollMs: opts.deliveryPollMs });
  const complaints = new ComplaintStore(store, delivery.registry);
  const storage = new StateStorage(store.conversationState);
  const dedupe = new DedupeMiddleware(store.dedupe, store.coordination.owner);
  const transcripts = new BotTranscriptStore(store.transcripts, { log, clock: opts.clock });
  const conversationState = new ConversationState(storage);
  const classifier = opts.classifier === undefined ? await createRouteClassifier() : (opts.classifier ?? undefined);
  const bot = new ComplaintBot({
    conversationState,
    filer: complaints,
    municipality,
    classifier,
    // every citizen message goes through this one understanding step (with the same route recogniser)
    understander: await createUnderstander({ classifier: classifier ?? null }),
    defaultLocale: config.DEFAULT_LOCALE,
    log,
    clock: opts.clock,
    referrals: new ReferralCounter(store.referrals, opts.clock, log),
  });
  const adapter = createAdapter(config, municipality, log);
  // one turn per conversation across instances (PostgreSQL); the built-in Direct Line takes the same lock itself
  adapter.use(new TurnLockMiddleware(store.coordination, { skip: (a) => a.serviceUrl === LOCAL_SERVICE_URL }));
  adapter.use(dedupe);
  adapter.use(new TranscriptMiddleware(transcripts)); // after dedupe: a re-delivered activity is not logged twice
  let open = true;
  const credentials = Boolean(config.MicrosoftAppId);
  const server = createServer({
    adapter,
    bot,
    log,
    apiMessages: {
      authenticated: credentials,
      open: config.API_MESSAGES_OPEN,
      // the built-in Direct Line's conversations are never reachable here; only with Azure's Direct Line
      // (DIRECTLINE_ENDPOINT, the built-in one off) and credentials does 'directline' come in this way
      reservedChannelIds: config.DIRECTLINE_ENDPOINT && credentials ? [] : [BUILT_IN_DIRECTLINE],
      trustProxy: config.DIRECTLINE_TRUST_PROXY,
      maxPerClientPerMinute: config.API_MESSAGES_MAX_PER_CLIENT_PER_MINUTE,
      maxPerConversationPerMinute: config.API_MESSAGES_MAX_PER_CONVERSATION_PER_MINUTE,
    },
    health: async () => {
      if (!open) throw new Error('closed');
      await store.ping();
      // a log that cannot be written is dropped and counted, never a stop (src/logger.ts)
      const logState = logHealth();
      return { ...(logState.status === 'failing' ? { status: 'degraded' } : {}), store: 'open', log: logState };
    },
  });
  const staff = await createStaff(store, transcripts, config, { clock: opts.clock, log, deliveries: complaints });
  // STAFF_PORT: the back office only on its own server (STAFF_HOST, default 127.0.0.1); /staff on the public port is 404
  const staffServer = config.STAFF_PORT !== undefined ? createBaseServer('klachtbot-staff', log) : undefined;
  registerStaffRoutes(staffServer ?? server, staff, log);
  registerDeliveryRoutes(staffServer ?? server, staff, log, { store, clock: opts.clock });
  registerReportRoutes(staffServer ?? server, staff, log, { store, municipality, clock: opts.clock });
  registerLetterRoutes(staffServer ?? server, staff, log, { store, municipality, clock: opts.clock });
  if (!credentials && config.API_MESSAGES_OPEN) {
    log.warn(
      { event: 'security.apiMessagesOpen' },
      'API_MESSAGES_OPEN=true without MicrosoftAppId: /api/messages accepts unauthenticated activities from any address (replies still go only to this machine)',
    );
  }
  const chat = await attachChat({ server, adapter, bot, store, config, municipality, log });
  // retention enforced by the server itself (RETENTION_PURGE_EVERY_HOURS; 0 = off)
  const housekeeping = new Housekeeping(staff.retention, dedupe, {
    everyHours: config.RETENTION_PURGE_EVERY_HOURS,
    log,
    clock: opts.clock,
    locks: store.coordination,
  }).start();
  delivery.start();

  const app: App = {
    config,
    store,
    complaints,
    delivery,
    storage,
    transcripts,
    staff,
    housekeeping,
    dedupe,
    bot,
    adapter,
    server,
    staffServer,
    chat,
    log,
    listen: async (port = config.PORT) => {
      const publicPort = await new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => resolve((server.address() as AddressInfo).port));
      });
      if (staffServer) {
        app.staffPort = await new Promise<number>((resolve, reject) => {
          staffServer.once('error', reject);
          staffServer.listen(config.STAFF_PORT, config.STAFF_HOST, () => resolve((staffServer.address() as AddressInfo).port));
        });
        log.info({ event: 'listening.staff', host: config.STAFF_HOST, staffPort: app.staffPort }, 'staff back office on its own port');
      }
      return publicPort;
    },
    close: async () => {
      open = false;
      await housekeeping.stop();
      await delivery.stop();
      await chat.close();
      await new Promise<void>((resolve) => (server.server.listening ? server.close(() => resolve()) : resolve()));
      await new Promise<void>((resolve) => (staffServer?.server.listening ? staffServer.close(() => resolve()) : resolve()));
      await transcripts.flush();
      await closeBackgroundThread();
      await store.close();
    },
  };
  return app;
}
