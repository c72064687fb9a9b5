/**
 * The CloudAdapter with Bot Framework authentication from configuration (empty app id: local use,
 * e.g. with the Bot Framework Emulator), and a turn-error handler that tells the citizen and logs
 * without personal data. Conversation state is kept on errors, so nothing the citizen typed is lost.
 */
import {
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import { turnLocale } from '../../dialogs/turn';
import type { Config } from '../config';
import { translator } from '../i18n';
import type { Logger } from '../logger';
import { logId, scrubIds } from '../logIds';
import { isLoopbackUrl } from '../loopback';
import type { ReplyLimits } from './reusingAuthentication';
import type { Municipality } from '../municipality';
import { LocalChannelAdapter } from '../directline/localChannelAdapter';

/**
 * Time limits of replies over HTTP. Without app credentials replies only go to this machine (the
 * Emulator): one attempt of at most 2 seconds, no retries, no redirects (so a turn whose replies
 * cannot be delivered, and its error notice, end within a few seconds). With credentials they go to
 * the Bot Framework channel service: botframework-connector's retries, within 30 seconds.
 */
export const LOCAL_REPLY_LIMITS: ReplyLimits = { attemptMs: 2_000, totalMs: 2_000, retry: false, followRedirects: false };
export const CHANNEL_REPLY_LIMITS: ReplyLimits = { attemptMs: 15_000, totalMs: 30_000 };

/**
 * Where replies may go: with app credentials anywhere the authenticated channel says; without, only
 * to an http(s) URL on this machine. Non-HTTP service URLs belong to in-process channels (the
 * built-in Direct Line's urn:) whose clients never make a request.
 */
export function replyTargetAllowed(config: Pick<Config, 'MicrosoftAppId'>, serviceUrl: string): boolean {
  if (config.MicrosoftAppId) return true;
  return !/^https?:/i.test(serviceUrl) || isLoopbackUrl(serviceUrl);
}

export function createAdapter(config: Config, municipality: Municipality, log: Logger): LocalChannelAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  } as ConfigurationBotFrameworkAuthenticationOptions);
  // A CloudAdapter that can also host the built-in Direct Line in-process: same middleware and bot
  // for every channel, local replies never go over the network (see src/directline/localChannelAdapter.ts).
  const adapter = new LocalChannelAdapter(auth, config.MicrosoftAppId ?? '', {
    replyLimits: config.MicrosoftAppId ? CHANNEL_REPLY_LIMITS : LOCAL_REPLY_LIMITS,
    allowServiceUrl: (serviceUrl) => replyTargetAllowed(config, serviceUrl),
  });
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error(
      {
        event: 'turn.error',
        channel: context.activity?.channelId,
        activityType: context.activity?.type,
        conversation: logId(context.activity?.conversation?.id),
        // an error message may quote a URL with the conversation id in it
        err: {
          name: error?.name,
          message: scrubIds(error?.message, [context.activity?.conversation?.id]),
          stack: scrubIds(error?.stack, [context.activity?.conversation?.id]),
        },
      },
      'unhandled error in turn',
    );
    try {
      const t = translator(turnLocale(context));
      await context.sendActivity(MessageFactory.text(t('errors.turn', { phone: municipality.phone })));
    } catch {
      // the channel could not be reached either; the log above has it
    }
  };
  return adapter;
}
