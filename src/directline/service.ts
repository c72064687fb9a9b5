/**
 * Direct Line 3.0 conversations, independent of HTTP: tokens, conversations, the activity log with
 * watermarks, live streams, limits and clean-up. Client activities run through the bot's one
 * adapter (see localChannelAdapter.ts); the bot's replies come back through `send`.
 *
 * Memory: only conversations used in the last few minutes, or with an open stream, are held in
 * memory (a small `Live` record each); everything else is in the store and is loaded again on use.
 *
 * Several instances (PostgreSQL; `Coordination.shared`): any instance serves any conversation.
 * - Turns of one conversation run one at a time across instances: each queued piece of work (the echo
 *   of the user's activity with its sequence number, and the turn) holds the conversation's turn lock
 *   (the same key as src/bot/turnLock.ts), and under it the sequence numbers continue from the highest
 *   one stored, so (conversation, seq) stays unique and in order whichever instance writes.
 * - After an activity is committed, the change feed says `<conversation> <seq>` (no content) to every
 *   instance; an instance with an open stream for that conversation reads what it has not sent yet from
 *   the store. Polls (GET activities) always read the store. After the feed's connection was lost,
 *   every open stream reads the store again.
 * - Ending idle conversations runs on one instance at a time; the others hear which ended and close
 *   their streams. Tokens verify everywhere (the signing key is in the store, one for all).
 * Limits counted in memory (activities per minute, starts and open conversations per client address)
 * are per instance.
 */
import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import type { Activity, ChannelAccount, ResourceResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../logger';
import { logId } from '../logIds';
import { turnLockKey } from '../bot/turnLock';
import { LocalCoordination, LockTimeoutError, type Coordination, type Unsubscribe } from '../store/coordination';
import { Bucket, KeyedBuckets } from './limits';
import type { LocalChannel, LocalChannelAdapter } from './localChannelAdapter';
import type { DirectLineRepository } from '../store/types';
import type { TokenClaims, TokenService } from './tokens';

export const CHANNEL_ID = 'directline';
export const LOCAL_SERVICE_URL = 'urn:klachtbot:directline';

/** An error with the status and body Azure's Direct Line would give. */
export class DirectLineError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface DirectLineLimits {
  maxTextLength: number;
  maxActivitiesPerMinute: number;
  maxStartsPerMinute: number;
  maxSockets: number;
  maxSocketsPerConversation: number;
  /** open streams of one client address (so one client cannot take every socket of maxSockets) */
  maxSocketsPerClient: number;
  /** conversations one client address started that have not ended (idleMs after their last use) */
  maxConversationsPerClient: number;
  /** a conversation without activity for this long is ended and its activities deleted */
  idleMs: number;
  /** lifetime of a stream token (the `t` in a streamUrl) */
  streamTokenSeconds: number;
  /** a quiet conversation leaves memory after this long */
  evictMs: number;
  /** activities per GET and per stream frame of backlog */
  pageSize: number;
}

export const DEFAULT_LIMITS: DirectLineLimits = {
  maxTextLength: 10000,
  maxActivitiesPerMinute: 60,
  maxStartsPerMinute: 30,
  maxSockets: 1000,
  maxSocketsPerConversation: 3,
  maxSocketsPerClient: 10,
  maxConversationsPerClient: 50,
  idleMs: 120 * 60_000,
  streamTokenSeconds: 300,
  evictMs: 2 * 60_000,
  pageSize: 100,
};

export interface DirectLineServiceOptions {
  store: DirectLineRepository;
  tokens: TokenService;
  adapter: LocalChannelAdapter;
  /** the bot: runs one turn */
  logic: (context: TurnContext) => Promise<void>;
  bot: ChannelAccount;
  /** DIRECTLINE_SECRET: accepted as a bearer credential, required for tokens/generate when set */
  secret?: string;
  limits?: Partial<DirectLineLimits>;
  log: Logger;
  now?: () => number;
  /** change feed and locks shared with other instances (default: this process only, as with SQLite) */
  coordination?: Coordination;
}

/** change-feed topics: an activity was stored (`<conversation> <seq>`); conversations ended (`<id>`) */
export const ACTIVITY_TOPIC = 'directline';
export const ENDED_TOPIC = 'directline.ended';

/** Who is calling: the holder of the secret (a trusted server), or a token holder. */
export type Principal = { kind: 'secret' } | { kind: 'token'; claims: TokenClaims };

/** Where a stream sends frames; the WebSocket layer implements it. */
export interface StreamSink {
  send(frame: string): void;
  close(code: number, reason: string): void;
}

export interface StreamHandle {
  close(): void;
}

export interface ConversationInfo {
  conversationId: string;
  token: string;
  expires_in: number;
  /** for the streamUrl */
  streamToken: string;
  watermark?: string;
}

interface Subscriber {
  sink: StreamSink;
  lastSent: number;
  catchingUp: boolean;
  pending: { seq: number; json: string }[];
}

class Live {
  readonly sockets = new Set<Subscriber>();
  chain: Promise<unknown> = Promise.resolve();
  busy = 0;
  lastUsed: number;
  /** when last_active_at was last written */
  lastTouched: number;
  readonly recentClientIds = new Map<string, Promise<{ id: string }>>();
  readonly bucket: Bucket;
  /** bot activities the store could not take (it failed): delivered from memory, the last few kept for GET */
  readonly unstored: { seq: number; json: string }[] = [];
  /** this instance holds the conversation's turn lock (several instances) */
  inTurn = false;
  /** streams are being filled from the store (after a change on another instance); again when more came */
  reading = false;
  readAgain = false;

  constructor(
    readonly id: string,
    readonly userId: string,
    readonly locale: string | undefined,
    public nextSeq: number,
    now: number,
    perMinute: number,
  ) {
    this.lastUsed = now;
    this.lastTouched = now;
    this.bucket = new Bucket(perMinute, 60_000, now);
  }
}

const Locale = z.string().max(35).regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/);
const UserId = z.string().min(1).max(64).regex(/^[\w\-:.@]+$/);

/** What a client may send as an activity; unknown fields are dropped. */
const ClientActivity = z.object({
  type: z.enum(['message', 'event', 'typing']),
  text: z.string().optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: Locale.optional(),
  localTimestamp: z.string().max(64).optional(),
  localTimezone: z.string().max(64).optional(),
  name: z.string().max(256).optional(),
  value: z.unknown().optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  entities: z.array(z.record(z.string(), z.unknown())).max(16).optional(),
  attachments: z.array(z.unknown()).max(0, 'attachments are not supported').optional(),
  from: z.object({ id: z.string().max(256).optional(), name: z.string().max(100).optional() }).optional(),
});

const StartBody = z
  .object({
    user: z.object({ id: z.string().max(256).optional(), name: z.string().max(100).optional() }).optional(),
    locale: z.string().max(64).optional(),
  })
  .optional();

/** Retry-After when the store cannot take a write */
const STORE_RETRY_SECONDS = 5;
/** bot activities kept in memory per conversation while the store fails */
const MAX_UNSTORED = 20;

/** stored activities searched for a retried clientActivityID (several instances) */
const RECENT_FOR_RETRIES = 20;

/** how long a turn waits for the conversation's turn on another instance */
const TURN_LOCK_TIMEOUT_MS = 30_000;

/** last_active_at is written at most this often per conversation (idle times are much longer) */
const TOUCH_MS = 60_000;

/** An ActivitySet frame from stored JSON texts. */
function activitySet(rows: { json: string }[], watermark: number): string {
  return `{"activities":[${rows.map((r) => r.json).join(',')}],"watermark":"${watermark}"}`;
}

export function newId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

function parseWatermark(raw: unknown): number {
  return typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
}

function validLocale(raw: unknown): string | undefined {
  return Locale.safeParse(raw).success ? (raw as string) : undefined;
}

export class DirectLineService implements LocalChannel {
  readonly serviceUrl = LOCAL_SERVICE_URL;
  private readonly limits: DirectLineLimits;
  private readonly now: () => number;
  private readonly live = new Map<string, Live>();
  private readonly loading = new Map<string, Promise<Live | undefined>>();
  private readonly starts: KeyedBuckets;
  private readonly secretHash?: Buffer;
  private sockets = 0;
  /** open streams per client address; an address leaves the map when its last stream closes */
  private readonly clientSockets = new Map<string, number>();
  /** conversations started per client address and not ended yet (since this process started) */
  private readonly clientConversations = new Map<string, Set<string>>();
  private readonly conversationClient = new Map<string, string>();
  private closed = false;
  private readonly coordination: Coordination;
  private readonly unsubscribe: Unsubscribe[] = [];

  constructor(private readonly opts: DirectLineServiceOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.now = opts.now ?? Date.now;
    this.starts = new KeyedBuckets(this.limits.maxStartsPerMinute, 60_000);
    if (opts.secret) this.secretHash = createHash('sha256').update(opts.secret).digest();
    this.coordination = opts.coordination ?? new LocalCoordination();
    if (this.coordination.shared) {
      this.unsubscribe.push(
        this.coordination.subscribe(ACTIVITY_TOPIC, (m) => this.changed(m)),
        this.coordination.subscribe(ENDED_TOPIC, (id) => this.endedElsewhere(id)),
        // notifications may have been missed: every open stream reads the store again
        this.coordination.onResync(() => {
          for (const l of this.live.values()) if (l.sockets.size > 0) this.readInto(l);
        }),
      );
    }
    opts.adapter.addLocalChannel(this);
  }

  get secretRequired(): boolean {
    return !!this.secretHash;
  }

  /** Numbers for health checks and tests. */
  stats(): { conversationsInMemory: number; sockets: number; socketClients: number; conversationClients: number; startBuckets: number } {
    return {
      conversationsInMemory: this.live.size,
      sockets: this.sockets,
      socketClients: this.clientSockets.size,
      conversationClients: this.clientConversations.size,
      startBuckets: this.starts.size,
    };
  }

  // ---- authentication ----

  /** From an Authorization header: 401 when missing or not a bearer credential, 403 when invalid or expired. */
  authenticate(header: string | undefined): Principal {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!m) throw new DirectLineError(401, 'Unauthorized', 'an Authorization header with a Bearer token is required');
    const credential = m[1];
    if (this.secretHash && this.isSecret(credential)) return { kind: 'secret' };
    const result = this.opts.tokens.verify(credential);
    if (!result.ok) {
      throw new DirectLineError(403, result.reason === 'expired' ? 'TokenExpired' : 'Forbidden', result.reason === 'expired' ? 'token expired' : 'token not valid');
    }
    if (result.claims.use !== 'conv') throw new DirectLineError(403, 'Forbidden', 'token not valid for this request');
    return { kind: 'token', claims: result.claims };
  }

  /** Verifies the `t` of a streamUrl for `conversationId`. */
  authenticateStream(token: string | null, conversationId: string): TokenClaims {
    if (!token) throw new DirectLineError(401, 'Unauthorized', 'stream token missing');
    const result = this.opts.tokens.verify(token);
    if (!result.ok) throw new DirectLineError(403, result.reason === 'expired' ? 'TokenExpired' : 'Forbidden', 'stream token not valid');
    if (result.claims.use !== 'stream' || result.claims.conv !== conversationId) {
      throw new DirectLineError(403, 'Forbidden', 'stream token not valid for this conversation');
    }
    return result.claims;
  }

  private isSecret(credential: string): boolean {
    const given = createHash('sha256').update(credential).digest();
    return !!this.secretHash && timingSafeEqual(given, this.secretHash);
  }

  /** A token may only touch its own conversation. */
  private checkAccess(principal: Principal, conversationId: string): void {
    if (principal.kind === 'token' && principal.claims.conv !== conversationId) {
      throw new DirectLineError(403, 'Forbidden', 'token not valid for this conversation');
    }
  }

  // ---- tokens ----

  /**
   * POST tokens/generate: a token for a new conversation. With the secret, the caller may name the
   * user (`dl_...` ids as Azure does); without it, the user id is made here.
   */
  generateToken(principal: Principal | undefined, body: unknown, client: string): { conversationId: string; token: string; expires_in: number } {
    if (this.secretHash && principal?.kind !== 'secret') {
      throw new DirectLineError(principal ? 403 : 401, principal ? 'Forbidden' : 'Unauthorized', 'tokens/generate requires the Direct Line secret');
    }
    if (principal?.kind === 'token') throw new DirectLineError(403, 'Forbidden', 'tokens/generate requires the Direct Line secret');
    if (principal?.kind !== 'secret') this.takeStart(client);
    return this.newToken(principal, body);
  }

  /** A token for the chat page (this server's own page: trusted, but limited per client address). */
  pageToken(locale: string | undefined, client: string): { conversationId: string; token: string; expires_in: number } {
    this.assertOpen();
    this.takeStart(client);
    return this.newToken(undefined, { locale });
  }

  private newToken(principal: Principal | undefined, body: unknown): { conversationId: string; token: string; expires_in: number } {
    const parsed = StartBody.safeParse(body ?? undefined);
    const b = parsed.success ? parsed.data : undefined;
    const requested = principal?.kind === 'secret' && b?.user?.id && UserId.safeParse(b.user.id).success ? b.user.id : undefined;
    const conversationId = newId();
    const { token, expiresIn } = this.opts.tokens.issue({
      conv: conversationId,
      user: requested ?? `dl_${newId(12)}`,
      locale: validLocale(b?.locale),
    });
    return { conversationId, token, expires_in: expiresIn };
  }

  /** POST tokens/refresh: a fresh token for the same conversation and user. */
  async refreshToken(principal: Principal): Promise<{ conversationId: string; token: string; expires_in: number }> {
    if (principal.kind !== 'token') throw new DirectLineError(400, 'BadArgument', 'only a token can be refreshed');
    const { conv, user, locale } = principal.claims;
    const stored = await this.opts.store.getConversation(conv);
    if (stored?.endedAt) throw new DirectLineError(403, 'Forbidden', 'conversation ended');
    const { token, expiresIn } = this.opts.tokens.issue({ conv, user, locale });
    return { conversationId: conv, token, expires_in: expiresIn };
  }

  // ---- conversations ----

  /** POST conversations: starts the token's conversation (or a new one with the secret); 201 when new. */
  async startConversation(principal: Principal, body: unknown, client: string): Promise<{ created: boolean; info: ConversationInfo }> {
    this.assertOpen();
    const parsed = StartBody.safeParse(body ?? undefined);
    if (!parsed.success) throw new DirectLineError(400, 'BadArgument', 'invalid conversation parameters');
    const b = parsed.data;
    let conversationId: string;
    let userId: string;
    let locale: string | undefined;
    if (principal.kind === 'token') {
      conversationId = principal.claims.conv;
      userId = principal.claims.user;
      locale = validLocale(b?.locale) ?? principal.claims.locale;
    } else {
      conversationId = newId();
      userId = b?.user?.id && UserId.safeParse(b.user.id).success ? b.user.id : `dl_${newId(12)}`;
      locale = validLocale(b?.locale);
    }
    const existing = await this.opts.store.getConversation(conversationId);
    if (existing) {
      if (existing.endedAt) throw new DirectLineError(404, 'NotFound', 'conversation ended');
      if (existing.userId !== userId) throw new DirectLineError(403, 'Forbidden', 'token not valid for this conversation');
      return { created: false, info: this.info(conversationId, userId, existing.locale ?? undefined) };
    }
    if (principal.kind !== 'secret') this.takeStart(client);
    const now = this.now();
    const created = await this.opts.store.createConversation({ id: conversationId, userId, locale: locale ?? null, now }).catch(() => {
      throw new DirectLineError(503, 'ServiceUnavailable', 'the conversation could not be stored; try again', STORE_RETRY_SECONDS);
    });
    if (!created) return this.startConversation(principal, body, client);
    if (principal.kind !== 'secret') this.rememberConversation(client, conversationId);
    const live = new Live(conversationId, userId, locale, 1, now, this.limits.maxActivitiesPerMinute);
    this.live.set(conversationId, live);
    // The bot hears that the user joined (membersAdded), so it welcomes them. Queued, not awaited:
    // the welcome reaches the client through its stream or its next GET.
    const update = this.baseActivity(live, {
      type: 'conversationUpdate',
      id: newId(),
      membersAdded: [{ ...this.opts.bot }, { id: userId, role: 'user' }],
      ...(locale ? { locale } : {}),
    });
    this.enqueue(live, () => this.runTurn(update)).catch((err: Error) =>
      this.opts.log.error({ event: 'directline.welcomeFailed', err: { message: err.message } }, 'conversation start turn failed'),
    );
    this.opts.log.info({ event: 'directline.started', conversation: logId(conversationId) }, 'conversation started');
    return { created: true, info: this.info(conversationId, userId, locale) };
  }

  /** GET conversations/{id}?watermark=: reconnect; a fresh token and streamUrl. */
  async reconnect(principal: Principal, conversationId: string, watermark: unknown): Promise<ConversationInfo> {
    this.assertOpen();
    this.checkAccess(principal, conversationId);
    const live = await this.getLive(conversationId);
    if (!live) throw new DirectLineError(404, 'NotFound', 'conversation not found or ended');
    live.lastUsed = this.now();
    const info = this.info(conversationId, live.userId, principal.kind === 'token' ? principal.claims.locale : live.locale);
    const w = parseWatermark(watermark);
    return { ...info, ...(w > 0 ? { watermark: String(w) } : {}) };
  }

  private info(conversationId: string, userId: string, locale: string | undefined): ConversationInfo {
    const { token, expiresIn } = this.opts.tokens.issue({ conv: conversationId, user: userId, locale });
    const stream = this.opts.tokens.issue({ conv: conversationId, user: userId, use: 'stream', ttlSeconds: this.limits.streamTokenSeconds });
    return { conversationId, token, expires_in: expiresIn, streamToken: stream.token };
  }

  // ---- activities ----

  /** POST conversations/{id}/activities: echoes the activity with its id, runs the turn, answers { id }. */
  async postActivity(principal: Principal, conversationId: string, body: unknown): Promise<{ id: string }> {
    this.assertOpen();
    this.checkAccess(principal, conversationId);
    const parsed = ClientActivity.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DirectLineError(400, 'BadArgument', `invalid activity: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    const input = parsed.data;
    if (input.text !== undefined && input.text.length > this.limits.maxTextLength) {
      throw new DirectLineError(400, 'BadArgument', `text is longer than ${this.limits.maxTextLength} characters`);
    }
    const live = await this.getLive(conversationId);
    if (!live) throw new DirectLineError(404, 'NotFound', 'conversation not found or ended');
    const now = this.now();
    live.lastUsed = now;
    const wait = live.bucket.take(now);
    if (wait > 0) {
      throw new DirectLineError(429, 'TooManyRequests', `more than ${this.limits.maxActivitiesPerMinute} activities per minute`, Math.ceil(wait / 1000));
    }
    // A client retrying the same activity (same clientActivityID) gets the first one's id; it runs once.
    const clientActivityId = typeof input.channelData?.clientActivityID === 'string' ? input.channelData.clientActivityID : undefined;
    const earlier = clientActivityId ? live.recentClientIds.get(clientActivityId) : undefined;
    if (earlier) return earlier;

    const { from: sentFrom, ...rest } = input;
    const from: ChannelAccount = { id: live.userId, role: 'user', ...(sentFrom?.name ? { name: sentFrom.name } : {}) } as ChannelAccount;
    const result = this.enqueue(live, async () => {
      // several instances: the first try may have gone to another instance; if it was stored and answered, it is not run again
      if (clientActivityId && this.coordination.shared) {
        const earlierId = await this.answeredElsewhere(live, clientActivityId);
        if (earlierId) return { id: earlierId };
      }
      const activity = this.baseActivity(live, { ...rest, from, locale: input.locale ?? live.locale });
      let id: string;
      let echoed: Promise<void> = Promise.resolve();
      if (activity.type === 'typing') {
        id = newId(); // typing is passed to the bot but not kept or echoed
        activity.id = id;
      } else {
        // The echo (Web Chat waits for its clientActivityID with an id). It has its sequence number
        // now, so the bot's replies come after it; the turn need not wait for its COMMIT.
        ({ id, stored: echoed } = this.record(live, activity));
      }
      try {
        await this.runTurn(activity);
      } finally {
        await echoed.catch(() => {
          // not stored: the client keeps the text and may send it again (the same clientActivityID runs again)
          throw new DirectLineError(503, 'ServiceUnavailable', 'the message could not be stored; send it again', STORE_RETRY_SECONDS);
        });
      }
      return { id };
    });
    if (clientActivityId) this.rememberClientId(live, clientActivityId, result);
    return result;
  }

  /**
   * GET conversations/{id}/activities?watermark=: what came after the watermark, as ActivitySet JSON
   * text (the stored JSON is not parsed and serialised again).
   */
  async getActivities(principal: Principal, conversationId: string, watermark: unknown): Promise<string> {
    this.assertOpen();
    this.checkAccess(principal, conversationId);
    const live = await this.getLive(conversationId);
    if (!live) throw new DirectLineError(404, 'NotFound', 'conversation not found or ended');
    const after = parseWatermark(watermark);
    let rows = await this.opts.store.activitiesAfter(conversationId, after, this.limits.pageSize);
    const unstored = live.unstored.filter((u) => u.seq > after);
    if (unstored.length > 0) rows = [...rows, ...unstored].sort((a, b) => a.seq - b.seq).slice(0, this.limits.pageSize);
    return activitySet(rows, rows.length > 0 ? rows[rows.length - 1].seq : after);
  }

  /** LocalChannel: an activity from the bot (reply, proactive message or error notice). */
  async send(activity: Partial<Activity>): Promise<ResourceResponse> {
    const conversationId = activity.conversation?.id;
    const live = conversationId ? await this.getLive(conversationId) : undefined;
    if (!live) throw new DirectLineError(404, 'NotFound', 'Direct Line conversation not found or ended');
    // several instances: a message outside this instance's turn (proactive) is written under the lock too
    if (this.coordination.shared && !live.inTurn) return this.enqueue(live, () => this.sendNow(live, activity));
    return this.sendNow(live, activity);
  }

  private async sendNow(live: Live, activity: Partial<Activity>): Promise<ResourceResponse> {
    // when the store fails, the bot's message (the error notice among them) still reaches the citizen from memory
    const { id, stored } = this.record(live, { ...activity, channelId: CHANNEL_ID }, true);
    await stored;
    return { id };
  }

  // ---- streams ----

  /**
   * Opens a stream for a verified stream token: sends what came after `watermark`, then every new
   * activity. Throws 404 for an unknown conversation and 429 over the socket limits (in all, per
   * conversation and per client address).
   */
  async subscribe(claims: TokenClaims, watermark: unknown, sink: StreamSink, client: string): Promise<StreamHandle> {
    this.assertOpen();
    const live = await this.getLive(claims.conv);
    if (!live) throw new DirectLineError(404, 'NotFound', 'conversation not found or ended');
    this.checkSocketRoom(live, client);
    const sub: Subscriber = { sink, lastSent: parseWatermark(watermark), catchingUp: true, pending: [] };
    live.sockets.add(sub);
    this.sockets++;
    this.clientSockets.set(client, (this.clientSockets.get(client) ?? 0) + 1);
    live.lastUsed = this.now();
    let open = true;
    const handle: StreamHandle = {
      close: () => {
        if (!open) return;
        open = false;
        if (live.sockets.delete(sub)) this.sockets--;
        const left = (this.clientSockets.get(client) ?? 1) - 1;
        if (left > 0) this.clientSockets.set(client, left);
        else this.clientSockets.delete(client);
        live.lastUsed = this.now();
      },
    };
    // Registered before reading the backlog: what is committed meanwhile waits in `pending`, and
    // sequence numbers drop what the backlog already had.
    try {
      for (;;) {
        const rows = await this.opts.store.activitiesAfter(live.id, sub.lastSent, this.limits.pageSize);
        if (rows.length === 0 || !open) break;
        sub.lastSent = rows[rows.length - 1].seq;
        sink.send(activitySet(rows, sub.lastSent));
      }
    } catch (err) {
      handle.close();
      throw err;
    }
    sub.catchingUp = false;
    const pending = sub.pending;
    sub.pending = [];
    for (const p of pending) this.push(sub, p.seq, p.json);
    return handle;
  }

  /** Before a WebSocket upgrade: 404 for an unknown or ended conversation, 429 over the socket limits. */
  async checkStream(conversationId: string, client: string): Promise<void> {
    this.assertOpen();
    this.checkSocketRoom(undefined, client); // before the database is asked
    const live = await this.getLive(conversationId);
    if (!live) throw new DirectLineError(404, 'NotFound', 'conversation not found or ended');
    this.checkSocketRoom(live, client);
  }

  /** Whether another socket may open (in all, per conversation, per client address); throws 429 if not. */
  checkSocketRoom(live?: { sockets: Set<unknown> }, client?: string): void {
    if (this.sockets >= this.limits.maxSockets) throw new DirectLineError(429, 'TooManyRequests', 'too many open streams', 30);
    if (live && live.sockets.size >= this.limits.maxSocketsPerConversation) {
      throw new DirectLineError(429, 'TooManyRequests', 'too many open streams for this conversation', 30);
    }
    if (client !== undefined && (this.clientSockets.get(client) ?? 0) >= this.limits.maxSocketsPerClient) {
      throw new DirectLineError(429, 'TooManyRequests', 'too many open streams from this address', 30);
    }
  }

  private push(sub: Subscriber, seq: number, json: string): void {
    if (sub.catchingUp) {
      sub.pending.push({ seq, json });
      return;
    }
    if (seq <= sub.lastSent) return;
    sub.lastSent = seq;
    try {
      sub.sink.send(activitySet([{ json }], seq));
    } catch {
      // a broken socket is closed by the WebSocket layer
    }
  }

  // ---- clean-up ----

  /**
   * Ends idle conversations (their activities are deleted and their streams closed), forgets the
   * tombstones of conversations whose tokens can no longer be valid, and drops quiet conversations
   * and full rate-limit buckets from memory.
   */
  async sweep(now: number = this.now()): Promise<{ ended: number; purged: number }> {
    const inStore = async () => {
      const ended = await this.opts.store.endIdle(now - this.limits.idleMs, now, (id) => {
        const l = this.live.get(id);
        return !!l && (l.busy > 0 || now - l.lastUsed < this.limits.idleMs);
      });
      for (const id of ended) {
        this.endedElsewhere(id);
        if (this.coordination.shared) this.coordination.publish(ENDED_TOPIC, id);
      }
      const purged = await this.opts.store.purgeEnded(now - (this.opts.tokens.lifetimeSeconds + 60) * 1000);
      return { ended, purged };
    };
    // several instances: one sweeps the store at a time; the others hear which conversations ended
    const run = this.coordination.shared ? await this.coordination.tryLock('job:directline.sweep', inStore) : { ran: true as const, value: await inStore() };
    const { ended, purged } = run.ran ? run.value : { ended: [] as string[], purged: 0 };
    for (const [id, l] of this.live) {
      if (l.sockets.size === 0 && l.busy === 0 && now - l.lastUsed > this.limits.evictMs) this.live.delete(id);
    }
    this.starts.sweep(now);
    if (ended.length || purged) this.opts.log.info({ event: 'directline.sweep', ended: ended.length, purged }, 'idle conversations ended');
    return { ended: ended.length, purged };
  }

  /** Stops taking work, waits for running turns and writes, closes streams. */
  async close(): Promise<void> {
    this.closed = true;
    for (const off of this.unsubscribe.splice(0)) off();
    await Promise.all([...this.live.values()].map((l) => l.chain.catch(() => undefined)));
    await this.opts.store.drain();
    for (const l of this.live.values()) for (const s of l.sockets) s.sink.close(1001, 'server shutting down');
    this.live.clear();
    this.opts.adapter.removeLocalChannel(this);
  }

  // ---- internals ----

  private assertOpen(): void {
    if (this.closed) throw new DirectLineError(503, 'ServiceError', 'shutting down');
  }

  private takeStart(client: string): void {
    const open = this.clientConversations.get(client)?.size ?? 0;
    if (open >= this.limits.maxConversationsPerClient) {
      // they end after idleMs without use; the client's own conversations can go on meanwhile
      throw new DirectLineError(429, 'TooManyRequests', `more than ${this.limits.maxConversationsPerClient} open conversations from this address`, 60);
    }
    const wait = this.starts.take(client, this.now());
    if (wait > 0) {
      throw new DirectLineError(429, 'TooManyRequests', `more than ${this.limits.maxStartsPerMinute} new conversations per minute`, Math.ceil(wait / 1000));
    }
  }

  private rememberConversation(client: string, conversationId: string): void {
    let set = this.clientConversations.get(client);
    if (!set) this.clientConversations.set(client, (set = new Set()));
    set.add(conversationId);
    this.conversationClient.set(conversationId, client);
  }

  private forgetConversation(conversationId: string): void {
    const client = this.conversationClient.get(conversationId);
    if (client === undefined) return;
    this.conversationClient.delete(conversationId);
    const set = this.clientConversations.get(client);
    set?.delete(conversationId);
    if (set?.size === 0) this.clientConversations.delete(client);
  }

  private rememberClientId(live: Live, clientActivityId: string, result: Promise<{ id: string }>): void {
    live.recentClientIds.set(clientActivityId, result);
    if (live.recentClientIds.size > 32) live.recentClientIds.delete(live.recentClientIds.keys().next().value as string);
    // a failed activity may be retried
    result.catch(() => live.recentClientIds.get(clientActivityId) === result && live.recentClientIds.delete(clientActivityId));
  }

  /** The conversation in memory, loaded from SQLite when needed; undefined when unknown or ended. */
  private async getLive(conversationId: string): Promise<Live | undefined> {
    const hit = this.live.get(conversationId);
    if (hit) return hit;
    let p = this.loading.get(conversationId);
    if (!p) {
      p = (async () => {
        const row = await this.opts.store.getConversation(conversationId);
        if (!row || row.endedAt) return undefined;
        const lastSeq = await this.opts.store.lastSeq(conversationId);
        const again = this.live.get(conversationId);
        if (again) return again;
        const live = new Live(row.id, row.userId, row.locale ?? undefined, lastSeq + 1, this.now(), this.limits.maxActivitiesPerMinute);
        live.lastTouched = row.lastActiveAt;
        this.live.set(conversationId, live);
        return live;
      })().finally(() => this.loading.delete(conversationId));
      this.loading.set(conversationId, p);
    }
    return p;
  }

  /** Runs `fn` after the conversation's earlier turns: one turn at a time per conversation. */
  private enqueue<T>(live: Live, fn: () => Promise<T>): Promise<T> {
    live.busy++;
    const run = live.chain.then(() => (this.coordination.shared ? this.underTurnLock(live, fn) : fn()));
    live.chain = run.catch(() => undefined).finally(() => {
      live.busy--;
      live.lastUsed = this.now();
    });
    return run;
  }

  /**
   * Several instances: runs `fn` holding the conversation's turn lock, with the sequence numbers
   * continuing from the highest one stored (another instance may have written since).
   */
  private async underTurnLock<T>(live: Live, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.coordination.withLock(
        turnLockKey(CHANNEL_ID, live.id),
        async () => {
          let last: number;
          try {
            last = await this.opts.store.lastSeq(live.id);
          } catch {
            throw new DirectLineError(503, 'ServiceUnavailable', 'the conversation could not be read; try again', STORE_RETRY_SECONDS);
          }
          live.nextSeq = Math.max(live.nextSeq, last + 1);
          live.inTurn = true;
          try {
            return await fn();
          } finally {
            live.inTurn = false;
          }
        },
        { timeoutMs: TURN_LOCK_TIMEOUT_MS },
      );
    } catch (err) {
      if (err instanceof LockTimeoutError) throw new DirectLineError(503, 'ServiceUnavailable', 'the conversation is busy; try again', STORE_RETRY_SECONDS);
      throw err;
    }
  }

  /**
   * The id of the user's activity with this clientActivityID among the conversation's last stored
   * ones, if the bot answered it (a reply with that replyToId follows); undefined otherwise (not sent,
   * not stored, or its turn died before answering: it runs again). Called under the turn lock.
   */
  private async answeredElsewhere(live: Live, clientActivityId: string): Promise<string | undefined> {
    let rows: { seq: number; json: string }[];
    try {
      rows = await this.opts.store.activitiesAfter(live.id, Math.max(0, live.nextSeq - 1 - RECENT_FOR_RETRIES), RECENT_FOR_RETRIES);
    } catch {
      throw new DirectLineError(503, 'ServiceUnavailable', 'the conversation could not be read; try again', STORE_RETRY_SECONDS);
    }
    let echo: string | undefined;
    for (const r of rows) {
      const a = JSON.parse(r.json) as { id?: string; replyToId?: string; from?: { role?: string }; channelData?: { clientActivityID?: unknown } };
      if (echo === undefined) {
        if (a.from?.role === 'user' && a.channelData?.clientActivityID === clientActivityId) echo = a.id;
      } else if (a.replyToId === echo) return echo;
    }
    return undefined;
  }

  /** The change feed: an activity was stored on some instance; open streams here get what they lack. */
  private changed(message: string): void {
    const m = /^(\S+) (\d{1,15})$/.exec(message);
    if (!m) return;
    const live = this.live.get(m[1]);
    if (!live || live.sockets.size === 0) return;
    const seq = Number(m[2]);
    live.lastUsed = this.now();
    if ([...live.sockets].every((s) => s.lastSent >= seq && !s.catchingUp)) return; // sent already (written here)
    this.readInto(live);
  }

  /** Reads what the conversation's streams have not had yet from the store and sends it (one reader at a time). */
  private readInto(live: Live): void {
    if (live.reading) {
      live.readAgain = true;
      return;
    }
    live.reading = true;
    void (async () => {
      try {
        do {
          live.readAgain = false;
          if (live.sockets.size === 0) break;
          let after = Math.min(...[...live.sockets].map((s) => s.lastSent));
          for (;;) {
            const rows = await this.opts.store.activitiesAfter(live.id, after, this.limits.pageSize);
            for (const r of rows) for (const sub of live.sockets) this.push(sub, r.seq, r.json);
            if (rows.length < this.limits.pageSize) break;
            after = rows[rows.length - 1].seq;
          }
        } while (live.readAgain);
      } catch (err) {
        this.opts.log.warn({ event: 'directline.readFailed', err: { message: (err as Error).message } }, 'stream could not read the store');
      } finally {
        live.reading = false;
      }
    })();
  }

  /**
   * A committed activity to this instance's streams. Several instances: a stream that lacks earlier
   * activities (written on another instance and still being read) gets them from the store first, so
   * it never skips any.
   */
  private deliver(live: Live, seq: number, json: string): void {
    let behind = false;
    for (const sub of live.sockets) {
      if (this.coordination.shared && !sub.catchingUp && sub.lastSent < seq - 1) behind = true;
      else this.push(sub, seq, json);
    }
    if (behind) this.readInto(live);
  }

  /** The conversation ended (here or on another instance): its streams close and it leaves memory. */
  private endedElsewhere(id: string): void {
    this.forgetConversation(id);
    const l = this.live.get(id);
    if (!l) return;
    for (const s of l.sockets) s.sink.close(1000, 'conversation ended');
    this.live.delete(id);
  }

  /**
   * Gives the activity the next sequence number and id (at once, so order is fixed now), queues it
   * for storage, and pushes it to open streams once it is committed. With `deliverUnstored` (the bot's
   * activities) a failed write does not lose it: it is pushed from memory and kept for GET a while.
   */
  private record(live: Live, activity: Record<string, unknown>, deliverUnstored = false): { id: string; stored: Promise<void> } {
    const seq = live.nextSeq++;
    const id = activityId(live.id, seq);
    const now = this.now();
    activity.id = id;
    activity.timestamp = new Date(now).toISOString();
    const { serviceUrl: _bots, ...out } = activity; // the client's copy: the serviceUrl is the bot's business
    const json = JSON.stringify(out);
    live.busy++;
    live.lastUsed = now;
    if (now - live.lastTouched > TOUCH_MS) {
      live.lastTouched = now;
      this.opts.store.touch(live.id, now).catch((err: Error) => this.opts.log.warn({ event: 'directline.touchFailed', err: { message: err.message } }, 'could not mark conversation active'));
    }
    const stored = this.opts.store.append(live.id, seq, json).then(
      () => {
        live.busy--;
        this.deliver(live, seq, json);
        if (this.coordination.shared) this.coordination.publish(ACTIVITY_TOPIC, `${live.id} ${seq}`);
      },
      (err: Error) => {
        live.busy--;
        if (!deliverUnstored) throw err;
        this.opts.log.warn({ event: 'directline.storeFailed', err: { message: err.message } }, 'activity not stored; delivered from memory');
        live.unstored.push({ seq, json });
        if (live.unstored.length > MAX_UNSTORED) live.unstored.shift();
        for (const sub of live.sockets) this.push(sub, seq, json);
      },
    );
    stored.catch(() => undefined); // the caller awaits it; never an unhandled rejection
    return { id, stored };
  }

  private baseActivity(live: Live, fields: Record<string, unknown>): Record<string, unknown> {
    return {
      channelId: CHANNEL_ID,
      serviceUrl: LOCAL_SERVICE_URL,
      conversation: { id: live.id },
      from: { id: live.userId, role: 'user' },
      recipient: { ...this.opts.bot },
      timestamp: new Date(this.now()).toISOString(),
      ...fields,
    };
  }

  /** One turn through the bot's adapter, middleware and bot. */
  private async runTurn(activity: Record<string, unknown>): Promise<void> {
    try {
      await this.opts.adapter.processLocalActivity(activity as unknown as Activity, this.opts.logic);
    } catch (err) {
      this.opts.log.error(
        { event: 'directline.turnFailed', conversation: logId((activity.conversation as { id: string }).id), err: { message: (err as Error).message } },
        'turn failed',
      );
      throw new DirectLineError(502, 'BotError', 'the bot could not handle the activity');
    }
  }
}
