/**
 * The bot's one CloudAdapter, able to host channels that live inside this process (our own Direct
 * Line) next to the channels that reach it over HTTP (/api/messages: Emulator, Teams, Azure's Direct
 * Line).
 *
 * Why a subclass, and not a second adapter or a loopback HTTP call to /api/messages:
 * - One pipeline. Every activity, from any channel, runs through this same instance: its middleware
 *   (dedupe, the transcript logger), its onTurnError and the bot. Incoming local activities enter
 *   through CloudAdapterBase's protected `processActivity(authenticateRequestResult, ...)`, exactly
 *   where an authenticated /api/messages request enters after JWT validation. A loopback HTTP call
 *   would fail as soon as MicrosoftAppId is set (it needs a Bot Framework JWT), and its replies would
 *   still be POSTed to a serviceUrl.
 * - No network for local replies. CloudAdapterBase sends every reply with the turn's
 *   ConnectorClient, i.e. an HTTP POST to `${serviceUrl}/v3/conversations/...`. A local channel
 *   stamps its activities with its own non-HTTP serviceUrl (`urn:...`); `sendActivities`,
 *   `updateActivity` and `deleteActivity` hand activities with that serviceUrl to the channel
 *   and pass all others to CloudAdapter unchanged. This also covers proactive messages
 *   (`continueConversationAsync` with a stored reference) and replies sent from onTurnError.
 * - Works with and without MicrosoftAppId. The local channel authenticates its own clients (signed
 *   Direct Line tokens); to the adapter the turn is the bot acting for itself: the claims identity
 *   is the one CloudAdapterBase builds for proactive and named-pipe turns (`createClaimsIdentity`
 *   with the bot's app id, empty when there is none), which is not a skill claim, so the bot never
 *   treats it as a skill call. The connector factory comes from the configured authentication, so
 *   the turn context looks like any other (a UserTokenClient can be created); its ConnectorClient
 *   points at the local serviceUrl and is never called, and it fetches no AAD token unless used.
 */
import {
  CloudAdapter,
  ActivityTypes,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import { ReusingBotFrameworkAuthentication, type ReusingOptions } from '../bot/reusingAuthentication';

/** A channel served by this process. */
export interface LocalChannel {
  /** the serviceUrl its activities carry; not an http(s) URL, so nothing can send to it by mistake */
  readonly serviceUrl: string;
  /** stores and delivers one activity from the bot; resolves with the id the channel gave it */
  send(activity: Partial<Activity>): Promise<ResourceResponse>;
}

/** The argument `processActivity` takes after authentication (botframework-connector's type). */
type AuthenticateRequestResult = Exclude<Parameters<CloudAdapter['processActivityDirect']>[0], string>;

/** Activity types CloudAdapterBase handles without the network (delay, invoke response, trace). */
const NOT_SENT = new Set<string>(['delay', ActivityTypes.InvokeResponse, ActivityTypes.Trace]);

export class LocalChannelError extends Error {}

export class LocalChannelAdapter extends CloudAdapter {
  private readonly localChannels = new Map<string, LocalChannel>();

  constructor(
    botFrameworkAuthentication: BotFrameworkAuthentication,
    /** the bot's MicrosoftAppId ('' for local use) */
    private readonly botAppId = '',
    /** time limits and allowed serviceUrls of replies over HTTP (src/bot/reusingAuthentication.ts) */
    reusing: ReusingOptions = {},
  ) {
    // CloudAdapter would build a new ConnectorClient and UserTokenClient (each a whole HTTP pipeline)
    // for every turn; these are reused instead (src/bot/reusingAuthentication.ts).
    super(new ReusingBotFrameworkAuthentication(botFrameworkAuthentication, reusing));
  }

  addLocalChannel(channel: LocalChannel): void {
    if (/^https?:/i.test(channel.serviceUrl)) throw new LocalChannelError('a local channel needs a non-HTTP serviceUrl');
    this.localChannels.set(channel.serviceUrl, channel);
  }

  removeLocalChannel(channel: LocalChannel): void {
    if (this.localChannels.get(channel.serviceUrl) === channel) this.localChannels.delete(channel.serviceUrl);
  }

  /**
   * Runs an activity from a local channel through the middleware and `logic` (the bot), like
   * `process()` does for /api/messages. The caller has authenticated the client.
   */
  async processLocalActivity(activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    if (!this.localChannelOf(activity)) throw new LocalChannelError(`no local channel for serviceUrl ${activity.serviceUrl}`);
    await this.processActivity(this.localAuth(), activity, logic);
  }

  private localAuthResult: AuthenticateRequestResult | undefined;

  /** The same for every local turn, so made once. */
  private localAuth(): AuthenticateRequestResult {
    if (!this.localAuthResult) {
      const claimsIdentity = this.createClaimsIdentity(this.botAppId);
      this.localAuthResult = {
        claimsIdentity,
        // No audience, as in CloudAdapterBase's own proactive turns: the connector factory then uses
        // the configured cloud's default scope. (ConfigurationBotFrameworkAuthentication does not
        // implement getOriginatingAudience.)
        audience: undefined as unknown as string,
        // reuses its clients (see the constructor)
        connectorFactory: this.botFrameworkAuthentication.createConnectorFactory(claimsIdentity),
      };
    }
    return this.localAuthResult;
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    if (!activities.some((a) => this.localChannelOf(a))) return super.sendActivities(context, activities);
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      const channel = this.localChannelOf(activity);
      if (!channel || NOT_SENT.has(activity.type ?? '')) {
        responses.push(...(await super.sendActivities(context, [activity])));
        continue;
      }
      delete activity.id;
      responses.push(await channel.send(activity));
    }
    return responses;
  }

  async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    if (this.localChannelOf(activity)) throw new LocalChannelError('updating an activity is not supported on this channel (as on Direct Line)');
    return super.updateActivity(context, activity);
  }

  async deleteActivity(context: TurnContext, reference: Partial<ConversationReference>): Promise<void> {
    if (this.localChannelOf(reference)) throw new LocalChannelError('deleting an activity is not supported on this channel (as on Direct Line)');
    return super.deleteActivity(context, reference);
  }

  private localChannelOf(a: { serviceUrl?: string } | undefined): LocalChannel | undefined {
    return a?.serviceUrl ? this.localChannels.get(a.serviceUrl) : undefined;
  }
}
