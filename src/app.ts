/**
 * Builds the whole product from configuration: store, state, bot, adapter and HTTP server. Used by
 * index.ts and by tests, so tests run exactly what production runs.
 */
import { ConversationState } from 'botbuilder';
import type { AddressInfo } from 'net';
import type restify from 'restify';
import { ComplaintBot } from './bot/complaintBot';
import { createAdapter } from './bot/adapter';
import { DedupeMiddleware } from './bot/dedupe';
import { SqliteStorage } from './bot/sqliteStorage';
import { SqliteTranscriptStore, TranscriptMiddleware } from './bot/sqliteTranscriptStore';
import type { Config } from './config';
import type { RouteClassifier } from './domain/routes';
import { createLogger, logHealth, type Logger } from './logger';
import type { Municipality } from './municipality';
import { createStaff, type Staff } from './staff';
import { Housekeeping } from './staff/housekeeping';
import { registerStaffRoutes } from './staff/api';
import { ComplaintStore } from './store/complaintStore';
import { Db } from './store/db';
import { createRouteClassifier } from './routing/classifier';
import { createUnderstander } from './understanding';
import { createBaseServer, createServer } from './server';
import { setLogIdSecret } from './logIds';
import { CHANNEL_ID as BUILT_IN_DIRECTLINE } from './directline/service';
import { attachChat, type Chat } from './directline';

export interface AppOptions {
  log?: Logger;
  clock?: () => Date;
  /** the route recogniser; default: the trained one from src/routing; null: always ask with buttons */
  classifier?: RouteClassifier | null;
}

export interface App {
  config: Config;
  db: Db;
  complaints: ComplaintStore;
  storage: SqliteStorage;
  /** every activity in and out (TranscriptLoggerMiddleware) */
  transcripts: SqliteTranscriptStore;
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
  const db = await Db.open(config.databaseFile);
  const complaints = await new ComplaintStore(db, opts.clock).init();
  const storage = await new SqliteStorage(db).init();
  const dedupe = await new DedupeMiddleware(db).init();
  const transcripts = await new SqliteTranscriptStore(db, { log, clock: opts.clock }).init();
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
  });
  const adapter = createAdapter(config, municipality, log);
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
      await db.get('SELECT 1');
      // a log that cannot be written is dropped and counted, never a stop (src/logger.ts)
      const logState = logHealth();
      return { ...(logState.status === 'failing' ? { status: 'degraded' } : {}), store: 'open', log: logState };
    },
  });
  const staff = await createStaff(db, transcripts, config, { clock: opts.clock, log });
  // STAFF_PORT: the back office only on its own server (STAFF_HOST, default 127.0.0.1); /staff on the public port is 404
  const staffServer = config.STAFF_PORT !== undefined ? createBaseServer('klachtbot-staff', log) : undefined;
  registerStaffRoutes(staffServer ?? server, staff, log);
  if (!credentials && config.API_MESSAGES_OPEN) {
    log.warn(
      { event: 'security.apiMessagesOpen' },
      'API_MESSAGES_OPEN=true without MicrosoftAppId: /api/messages accepts unauthenticated activities from any address (replies still go only to this machine)',
    );
  }
  const chat = await attachChat({ server, adapter, bot, db, config, municipality, log });
  // retention enforced by the server itself (RETENTION_PURGE_EVERY_HOURS; 0 = off)
  const housekeeping = new Housekeeping(staff.retention, dedupe, {
    everyHours: config.RETENTION_PURGE_EVERY_HOURS,
    log,
    clock: opts.clock,
  }).start();

  const app: App = {
    config,
    db,
    complaints,
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
      await chat.close();
      await new Promise<void>((resolve) => (server.server.listening ? server.close(() => resolve()) : resolve()));
      await new Promise<void>((resolve) => (staffServer?.server.listening ? staffServer.close(() => resolve()) : resolve()));
      await db.close();
    },
  };
  return app;
}
