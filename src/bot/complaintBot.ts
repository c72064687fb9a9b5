/**
 * The bot: welcomes the citizen, decides the turn's language, runs the main dialog and saves state.
 * TeamsActivityHandler behaves as ActivityHandler on every other channel.
 */
import { TeamsActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { ConversationData, Draft } from '../../dialogs/draft';
import { DraftStore } from '../../dialogs/draft';
import { MainDialog } from '../../dialogs/mainDialog';
import { facts, type ComplaintFiler } from '../../dialogs/services';
import { LOCALE_KEY, NOW_KEY, say } from '../../dialogs/turn';
import type { Locale, RouteClassifier } from '../domain/routes';
import { toLocale } from '../i18n';
import type { Logger } from '../logger';
import type { Municipality } from '../municipality';

export interface BotDeps {
  conversationState: ConversationState;
  filer: ComplaintFiler;
  municipality: Municipality;
  classifier?: RouteClassifier;
  defaultLocale?: Locale;
  log?: Logger;
  /** for tests: the bot's notion of now */
  clock?: () => Date;
}

export class ComplaintBot extends TeamsActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly data: StatePropertyAccessor<ConversationData>;
  readonly dialog: MainDialog;

  constructor(private readonly deps: BotDeps) {
    super();
    const { conversationState } = deps;
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.data = conversationState.createProperty<ConversationData>('conversationData');
    const drafts = new DraftStore(conversationState.createProperty<Draft | undefined>('draft'));
    this.dialog = new MainDialog(
      {
        drafts,
        filer: deps.filer,
        municipality: deps.municipality,
        classifier: deps.classifier,
        setLocale: async (context, locale) => {
          const data = await this.data.get(context, {});
          data.locale = locale;
        },
      },
      deps.log,
    );

    this.onMembersAdded(async (context, next) => {
      const joined = (context.activity.membersAdded ?? []).some((m) => m.id !== context.activity.recipient?.id);
      if (joined) {
        await this.prepare(context);
        if (await this.welcome(context)) await this.dialog.run(context, this.dialogState);
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.prepare(context);
      await this.welcome(context);
      await this.dialog.run(context, this.dialogState);
      await next();
    });
  }

  /** Saves conversation state after every turn, also when a handler threw nothing. */
  async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
  }

  /** The citizen's chosen language, else the activity's locale, else the default. */
  private async prepare(context: TurnContext): Promise<void> {
    const data = await this.data.get(context, {});
    const locale = data.locale ?? toLocale(context.activity.locale) ?? this.deps.defaultLocale ?? 'nl';
    context.turnState.set(LOCALE_KEY, locale);
    if (this.deps.clock) context.turnState.set(NOW_KEY, this.deps.clock);
  }

  /** Welcomes once per conversation; true when it did so now. */
  private async welcome(context: TurnContext): Promise<boolean> {
    const data = await this.data.get(context, {});
    if (data.welcomed) return false;
    data.welcomed = true;
    await say(context, 'welcome', facts(this.deps.municipality, context));
    return true;
  }
}
