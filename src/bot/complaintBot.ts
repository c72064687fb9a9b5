/**
 * The bot: welcomes the citizen, decides the turn's language, runs the main dialog and saves state.
 * TeamsActivityHandler behaves as ActivityHandler on every other channel. On Teams the intake runs
 * only in a personal chat: in a group chat or channel the bot explains why not and offers a personal
 * chat, and in a personal chat the contact dialog may suggest the name and e-mail of the Teams profile.
 */
import { TeamsActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { ConversationData, Draft } from '../../dialogs/draft';
import { DraftStore } from '../../dialogs/draft';
import { MainDialog } from '../../dialogs/mainDialog';
import { facts, type ComplaintFiler, type DialogServices } from '../../dialogs/services';
import { askedThisTurn, LOCALE_KEY, NOW_KEY, PREVIOUS_ASKED_KEY, say, setTurnUnderstanding, tr, turnLocale, turnNow } from '../../dialogs/turn';
import type { Understander } from '../understanding/types';
import type { Locale, RouteClassifier } from '../domain/routes';
import { toLocale } from '../i18n';
import type { Logger } from '../logger';
import type { Municipality } from '../municipality';
import { isPersonalTeamsChat, isSharedTeamsConversation, isTeams, sharedConversationNotice } from '../teams/conversation';
import { fitForTeams } from '../teams/rendering';
import { isDeduped, REDELIVERY_KEY } from './dedupe';
import { PROFILE_LOOKUP_KEY, teamsProfile, type ProfileLookup, type TurnProfile } from '../teams/profile';

/** how many ids of completed turns a conversation keeps (a channel delivers again within minutes) */
const HANDLED_KEPT = 8;

export interface BotDeps {
  conversationState: ConversationState;
  filer: ComplaintFiler;
  municipality: Municipality;
  /** the route recogniser; the dialogs do not use it themselves (the understander runs it): kept so callers can pass one */
  classifier?: RouteClassifier;
  /** the one understanding step every citizen message goes through (src/understanding); without one the bot understands nothing but buttons */
  understander?: Understander;
  defaultLocale?: Locale;
  log?: Logger;
  /** for tests: the bot's notion of now */
  clock?: () => Date;
  /**
   * Where a personal Teams chat finds the citizen's name and e-mail to suggest; default the Teams
   * roster (TeamsInfo.getMember); null: never suggest.
   */
  profileLookup?: ProfileLookup | null;
  /** how long the profile lookup may take before the bot just asks (default 3000 ms) */
  profileTimeoutMs?: number;
  /** counts the referrals the bot gives, for the annual report (src/staff/reports/referrals.ts) */
  referrals?: DialogServices['referrals'];
}

export class ComplaintBot extends TeamsActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly data: StatePropertyAccessor<ConversationData>;
  /** ids of the last activities whose turn completed: saved in the same write as the state they made */
  private readonly handled: StatePropertyAccessor<string[]>;
  readonly dialog: MainDialog;

  constructor(private readonly deps: BotDeps) {
    super();
    const { conversationState } = deps;
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.data = conversationState.createProperty<ConversationData>('conversationData');
    this.handled = conversationState.createProperty<string[]>('handledActivities');
    const drafts = new DraftStore(conversationState.createProperty<Draft | undefined>('draft'));
    this.dialog = new MainDialog(
      {
        drafts,
        filer: deps.filer,
        municipality: deps.municipality,
        referrals: deps.referrals,
        setLocale: async (context, locale) => {
          const data = await this.data.get(context, {});
          data.locale = locale;
        },
      },
      deps.log,
    );

    this.onMembersAdded(async (context, next) => {
      const added = context.activity.membersAdded ?? [];
      const botAdded = added.some((m) => m.id === context.activity.recipient?.id);
      const userJoined = added.some((m) => m.id !== context.activity.recipient?.id);
      if (isSharedTeamsConversation(context)) {
        // the bot was added to a group chat or team: say once what it does and does not do here
        if (botAdded) {
          await this.prepare(context);
          await this.explainShared(context, 'teams.shared.welcome');
        }
      } else if (userJoined || (botAdded && isTeams(context))) {
        // Teams announces a personal install with the bot itself as the member added
        await this.prepare(context);
        if (await this.welcome(context)) {
          await this.dialog.run(context, this.dialogState);
          await this.rememberAsked(context);
        }
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.prepare(context);
      if (isSharedTeamsConversation(context)) {
        // nothing of a group conversation reaches the intake or the draft
        await this.explainShared(context, 'teams.shared.refuse');
        await next();
        return;
      }
      await this.welcome(context);
      await this.understand(context);
      await this.dialog.run(context, this.dialogState);
      await this.rememberAsked(context);
      await next();
    });
  }

  /** turns waiting or running, per conversation (see run) */
  private readonly turns = new Map<string, Promise<void>>();

  /**
   * Runs the turns of one conversation one after the other, as the built-in Direct Line does: two
   * activities of one conversation arriving at once over /api/messages (a repeated conversationUpdate,
   * a double click) would otherwise both read the same state, both welcome, and the last save would win.
   */
  async run(context: TurnContext): Promise<void> {
    const key = `${context.activity.channelId ?? ''}\n${context.activity.conversation?.id ?? ''}`;
    const mine = (this.turns.get(key) ?? Promise.resolve()).then(() => this.runTurn(context));
    const tail = mine.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(key, tail);
    void tail.then(() => {
      if (this.turns.get(key) === tail) this.turns.delete(key);
    });
    return mine;
  }

  /**
   * Saves conversation state after every turn, also when a handler threw nothing. On Teams, fits replies to what Teams renders.
   * The activity's id is saved with the state, in the same write: when the channel delivers an activity
   * again whose turn did not complete by the dedupe mark (src/bot/dedupe.ts), but whose state was saved
   * (the process died between the two writes), the turn is not run a second time on the newer state.
   */
  private async runTurn(context: TurnContext): Promise<void> {
    const id = isDeduped(context.activity) ? context.activity.id : undefined;
    if (id && context.turnState.get(REDELIVERY_KEY) && (await this.handled.get(context, [])).includes(id)) return;
    if (isTeams(context)) {
      context.onSendActivities(async (_context, activities, next) => {
        activities.forEach(fitForTeams);
        return next();
      });
    }
    await super.run(context);
    if (id) await this.handled.set(context, [...(await this.handled.get(context, [])), id].slice(-HANDLED_KEPT));
    await this.deps.conversationState.saveChanges(context, false);
  }

  /** The citizen's chosen language, else the activity's locale, else the default. */
  private async prepare(context: TurnContext): Promise<void> {
    const data = await this.data.get(context, {});
    const locale = data.locale ?? toLocale(context.activity.locale) ?? this.deps.defaultLocale ?? 'nl';
    context.turnState.set(LOCALE_KEY, locale);
    if (this.deps.clock) context.turnState.set(NOW_KEY, this.deps.clock);
    if (isPersonalTeamsChat(context) && this.deps.profileLookup !== null) {
      const profile: TurnProfile = {
        lookup: this.deps.profileLookup ?? teamsProfile,
        timeoutMs: this.deps.profileTimeoutMs ?? 3000,
        onError: (err) =>
          this.deps.log?.warn(
            {
              event: 'teams.profileLookupFailed',
              err: { name: (err as Error)?.name, message: (err as Error)?.message, status: (err as { statusCode?: number })?.statusCode },
            },
            'Teams profile lookup failed; the bot asks instead',
          ),
      };
      context.turnState.set(PROFILE_LOOKUP_KEY, profile);
    }
  }

  /**
   * The one understanding step: the message is read once, as the answer to the question asked last,
   * and what it says is kept in turnState for the dialogs (turnUnderstanding). A failure is logged
   * (without the text) and the turn goes on with the message understood as a plain answer.
   */
  private async understand(context: TurnContext): Promise<void> {
    const data = await this.data.get(context, {});
    context.turnState.set(PREVIOUS_ASKED_KEY, data.asked);
    const text = typeof context.activity.text === 'string' ? context.activity.text.trim() : '';
    if (!this.deps.understander || !text) return;
    try {
      const understanding = await this.deps.understander.understand({
        text: text.slice(0, 5000),
        locale: turnLocale(context),
        now: turnNow(context),
        asked: data.asked?.asked,
      });
      setTurnUnderstanding(context, understanding);
    } catch (err) {
      this.deps.log?.warn({ event: 'understanding.failed', err: { name: (err as Error)?.name } }, 'message not understood; taken as a plain answer');
    }
  }

  /** Keeps the question the bot asked in this turn, so the next message is read as its answer. */
  private async rememberAsked(context: TurnContext): Promise<void> {
    const data = await this.data.get(context, {});
    data.asked = askedThisTurn(context);
  }

  /** Why the bot takes no complaint in a group chat or channel, with a button to a personal chat. */
  private async explainShared(context: TurnContext, key: string): Promise<void> {
    const t = tr(context);
    await context.sendActivity(
      sharedConversationNotice(context, t(key, facts(this.deps.municipality, context)), t('teams.shared.openChat')),
    );
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
