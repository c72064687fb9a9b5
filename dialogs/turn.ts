/**
 * What a turn knows about its citizen: the locale, and the services the dialogs use. The bot puts
 * them in turnState at the start of each turn; dialogs read them here.
 */
import { MessageFactory, type Activity, type CardAction, type TurnContext } from 'botbuilder';
import { formatDate } from '../src/domain/dates';
import { formatPhone } from '../src/domain/contact';
import type { Locale } from '../src/domain/routes';
import { translator, type Translate } from '../src/i18n';
import type { Asked, Understanding } from '../src/understanding/types';
import { normalise } from './text';

export const LOCALE_KEY = Symbol('klachtbot.locale');
export const NOW_KEY = Symbol('klachtbot.now');
/** What the one understanding step found in this turn's message (set by the bot before the dialogs run). */
export const UNDERSTANDING_KEY = Symbol('klachtbot.understanding');
/** The question the bot asked in this turn (set by the prompt; the bot keeps it for the next message). */
export const ASKED_KEY = Symbol('klachtbot.asked');

const NOTHING: Understanding = Object.freeze({ intent: 'answer', fields: Object.freeze({}) }) as Understanding;

/**
 * What this turn's message says, understood once per turn by the bot. A turn without a message (or
 * a bot without an understander) understands nothing: an answer without fields.
 */
export function turnUnderstanding(context: TurnContext): Understanding {
  return (context.turnState.get(UNDERSTANDING_KEY) as Understanding | undefined) ?? NOTHING;
}

export function setTurnUnderstanding(context: TurnContext, u: Understanding | undefined): void {
  context.turnState.set(UNDERSTANDING_KEY, u);
}

/** The question the bot asked: what it asks for, and the buttons it showed (normalised titles). */
export interface AskedQuestion {
  asked?: Asked;
  buttons?: string[];
}

/** Records which question the bot asked in this turn, so the next message is understood as its answer. */
export function setAsked(context: TurnContext, asked: Asked | undefined, buttons: string[] = []): void {
  context.turnState.set(ASKED_KEY, { asked, buttons: buttons.map(normalise).filter(Boolean) } satisfies AskedQuestion);
}

export function askedThisTurn(context: TurnContext): AskedQuestion | undefined {
  return context.turnState.get(ASKED_KEY) as AskedQuestion | undefined;
}

/** The question the citizen is answering with this turn's message (kept by the bot from the last turn). */
export const PREVIOUS_ASKED_KEY = Symbol('klachtbot.previousAsked');
export function previousAsked(context: TurnContext): Asked | undefined {
  return (context.turnState.get(PREVIOUS_ASKED_KEY) as AskedQuestion | undefined)?.asked;
}

/** True when this turn's message is one of the buttons the bot showed last: a button is always an answer. */
export function pressedButton(context: TurnContext): boolean {
  const buttons = (context.turnState.get(PREVIOUS_ASKED_KEY) as AskedQuestion | undefined)?.buttons ?? [];
  const text = typeof context.activity.text === 'string' ? normalise(context.activity.text) : '';
  return !!text && buttons.includes(text);
}

export function turnLocale(context: TurnContext): Locale {
  return (context.turnState.get(LOCALE_KEY) as Locale | undefined) ?? 'nl';
}

export function turnNow(context: TurnContext): Date {
  const clock = context.turnState.get(NOW_KEY) as (() => Date) | undefined;
  return clock ? clock() : new Date();
}

/**
 * Variables for a text. `{ $date: 'YYYY-MM-DD' }` and `{ $phone: '+31...' }` are formatted when the
 * text is rendered, so a text re-rendered after a language switch shows dates in the new language.
 */
export type Vars = Record<string, unknown>;

export function renderVars(vars: Vars | undefined, locale: Locale): Vars {
  const out: Vars = {};
  for (const [k, v] of Object.entries(vars ?? {})) {
    if (v && typeof v === 'object' && '$date' in v) out[k] = formatDate(String((v as { $date: string }).$date), locale);
    else if (v && typeof v === 'object' && '$phone' in v) out[k] = formatPhone(String((v as { $phone: string }).$phone));
    else if (v && typeof v === 'object' && '$key' in v) out[k] = translator(locale)(String((v as { $key: string }).$key));
    else out[k] = v;
  }
  return out;
}

export function tr(context: TurnContext): Translate {
  const t = translator(turnLocale(context));
  const locale = turnLocale(context);
  return (key, vars) => t(key, renderVars(vars, locale));
}

export interface Button {
  title: string;
  /** the text the button sends */
  value: string;
}

/**
 * A message with buttons. Web Chat and most channels show suggested actions; Teams shows at most
 * three of those, so there the buttons go on a hero card.
 */
export function withButtons(context: TurnContext, text: string, buttons: Button[]): Partial<Activity> {
  if (buttons.length === 0) return MessageFactory.text(text);
  const actions: CardAction[] = buttons.map((b) => ({ type: 'imBack', title: b.title, value: b.value }));
  if (context.activity.channelId === 'msteams' && buttons.length > 3) {
    return MessageFactory.attachment({
      contentType: 'application/vnd.microsoft.card.hero',
      content: { text, buttons: actions },
    });
  }
  const msg = MessageFactory.text(text);
  msg.suggestedActions = { actions, to: [] };
  return msg;
}

export async function say(context: TurnContext, key: string, vars?: Vars): Promise<void> {
  await context.sendActivity(MessageFactory.text(tr(context)(key, vars)));
}

/** A waterfall's scratch values (botbuilder types them as `object`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const vals = (step: { values: object }) => step.values as Record<string, any>;
