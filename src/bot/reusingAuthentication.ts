/**
 * botbuilder's CloudAdapter asks its BotFrameworkAuthentication for a new ConnectorClient and a new
 * UserTokenClient on every turn, and each of those builds a complete HTTP pipeline (serializer,
 * policies, credentials): measured, about a tenth of the CPU of a whole intake turn and a third of
 * its allocations. Both clients are stateless apart from their credentials, which keep their own
 * token cache, so this wrapper hands out the same client again for the same app id, audience and
 * service URL, as botbuilder's older BotFrameworkAdapter did with its connector client cache.
 * Authentication itself (JWT validation of every request) is not cached: it is delegated unchanged.
 */
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';

/** Time limits of the bot's outgoing HTTP calls to a channel (replies), per client. */
export interface ReplyLimits {
  /** one attempt (connect and response headers), in ms */
  attemptMs: number;
  /** the whole call including the connector's retries, in ms */
  totalMs: number;
  /** false: no retries (core-rest-pipeline's default retries three times, with back-off) */
  retry?: boolean;
  /** false: a redirect is not followed (the answer is an error) */
  followRedirects?: boolean;
}

export interface ReusingOptions {
  /** time limits for every connector client; default: botframework-connector's (none, three retries) */
  replyLimits?: ReplyLimits;
  /** whether replies may go to this serviceUrl; a refused one gets no client (the send fails) */
  allowServiceUrl?: (serviceUrl: string) => boolean;
}

/** The parts of @azure/core-rest-pipeline used here (a transitive dependency: only its shape). */
interface PipelineRequestLike {
  timeout: number;
  abortSignal?: AbortSignal;
}
interface PipelineLike {
  removePolicy(options: { name?: string; phase?: 'Retry' }): unknown[];
  addPolicy(policy: { name: string; sendRequest(request: PipelineRequestLike, next: (r: PipelineRequestLike) => Promise<unknown>): Promise<unknown> }): void;
}

/**
 * Bounds every request of a connector client: each attempt ends after `attemptMs`, and the call with
 * all its retries (core-rest-pipeline retries three times, with back-off) after `totalMs`. The policy
 * sits before the retry phase, so the deadline covers the retries and their waits.
 * ConnectorFactoryImpl replaces `requestPolicyFactories` from the options, so the policy is added to
 * the client's pipeline (botbuilder-stdlib's ServiceClientContext keeps its core-client ServiceClient
 * in `client`); a missing pipeline is an error, not a silently unbounded client.
 */
export function limitReplies(connector: ConnectorClient, limits: ReplyLimits): ConnectorClient {
  const pipeline = (connector as unknown as { client?: { pipeline?: PipelineLike } }).client?.pipeline;
  if (!pipeline || typeof pipeline.addPolicy !== 'function') throw new Error('connector client without a pipeline: cannot bound its requests');
  if (limits.retry === false) pipeline.removePolicy({ phase: 'Retry' });
  if (limits.followRedirects === false) pipeline.removePolicy({ name: 'redirectPolicy' });
  pipeline.addPolicy({
    name: 'klachtbotReplyLimits',
    sendRequest: async (request, next) => {
      // A deadline cleared when the call ends. AbortSignal.timeout() cannot be cleared: every reply
      // left a timer behind that fired seconds later (making a DOMException for nobody) and kept its
      // signal alive past several young-generation GCs, so that it was copied and promoted.
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(new DOMException('the reply took too long', 'TimeoutError')), limits.totalMs);
      request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal, deadline.signal]) : deadline.signal;
      if (!(request.timeout > 0) || request.timeout > limits.attemptMs) request.timeout = limits.attemptMs;
      try {
        return await next(request);
      } finally {
        clearTimeout(timer);
      }
    },
  });
  return connector;
}

/** Clients kept at most (service URLs: a handful per channel; the Emulator uses a new port per session). */
const MAX_CLIENTS = 100;

/** A small least-recently-used map of promises; a rejected promise is forgotten, so the next turn tries again. */
class ClientCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  get(key: string, make: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key); // re-insert: most recently used last
    } else {
      entry = make();
      entry.catch(() => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      });
      if (this.entries.size >= MAX_CLIENTS) this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(key, entry);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The bot's app id as botframework-connector reads it from the claims ('' without authentication). */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return (
    claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

export class ReusingBotFrameworkAuthentication extends BotFrameworkAuthentication {
  private readonly connectors = new ClientCache<ConnectorClient>();
  private readonly userTokenClients = new ClientCache<UserTokenClient>();

  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly options: ReusingOptions = {},
  ) {
    super();
  }

  /** How many connector clients are kept (for tests). */
  get connectorClientCount(): number {
    return this.connectors.size;
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.reuse(await this.inner.authenticateRequest(activity, authHeader));
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.reuse(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusingFactory(this.inner.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity));
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.userTokenClients.get(appIdOf(claimsIdentity), () => this.inner.createUserTokenClient(claimsIdentity));
  }

  createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private reuse(result: AuthenticateRequestResult): AuthenticateRequestResult {
    if (!result.connectorFactory) return result;
    return { ...result, connectorFactory: this.reusingFactory(result.connectorFactory, appIdOf(result.claimsIdentity)) };
  }

  /**
   * The factory's clients are determined by the app id (from the claims), the audience (the OAuth scope
   * the client's token is for) and the service URL, so those three are the key.
   */
  private reusingFactory(factory: ConnectorFactory, appId: string): ConnectorFactory {
    const { connectors, options } = this;
    const make = async (serviceUrl: string, audience?: string): Promise<ConnectorClient> => {
      if (options.allowServiceUrl && !options.allowServiceUrl(serviceUrl)) {
        throw new Error('replies to this serviceUrl are not allowed (without app credentials only to this machine)');
      }
      const client = await factory.create(serviceUrl, audience);
      return options.replyLimits ? limitReplies(client, options.replyLimits) : client;
    };
    return {
      create: (serviceUrl: string, audience?: string) =>
        connectors.get(JSON.stringify([appId, audience ?? null, serviceUrl]), () => make(serviceUrl, audience)),
    } as ConnectorFactory;
  }
}
