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
import type { Municipality } from '../municipality';
import { LocalChannelAdapter } from '../directline/localChannelAdapter';

export function createAdapter(config: Config, municipality: Municipality, log: Logger): LocalChannelAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  } as ConfigurationBotFrameworkAuthenticationOptions);
  // A CloudAdapter that can also host the built-in Direct Line in-process: same middleware and bot
  // for every channel, local replies never go over the network (see src/directline/localChannelAdapter.ts).
  const adapter = new LocalChannelAdapter(auth, config.MicrosoftAppId ?? '');
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error(
      {
        event: 'turn.error',
        channel: context.activity?.channelId,
        activityType: context.activity?.type,
        err: { name: error?.name, message: error?.message, stack: error?.stack },
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
