/**
 * What this turn's message says, for the contact and call-back dialogs. The bot understands every
 * message once and keeps the result in turnState (dialogs/turn.ts); a turn that has none (a test
 * driving a dialog alone, a bot built without an understander) gets it from the same understanding
 * step here, with the question the dialog asked, so the dialogs work the same either way.
 */
import type { TurnContext } from 'botbuilder';
import { createUnderstander } from '../src/understanding';
import type { Asked, Understander, Understanding } from '../src/understanding/types';
import { turnLocale, turnNow, UNDERSTANDING_KEY } from './turn';

let shared: Promise<Understander> | undefined;

/** One understander for the process, without the route recogniser (contact answers are no stories). */
function understander(): Promise<Understander> {
  shared ??= createUnderstander({ classifier: null });
  return shared;
}

const EMPTY: Understanding = { intent: 'answer', fields: {} };

export async function understood(context: TurnContext, asked: Asked): Promise<Understanding> {
  const known = context.turnState.get(UNDERSTANDING_KEY) as Understanding | undefined;
  if (known) return known;
  const text = typeof context.activity.text === 'string' ? context.activity.text : '';
  if (!text.trim()) return EMPTY;
  const u = await (await understander()).understand({ text, locale: turnLocale(context), now: turnNow(context), asked });
  context.turnState.set(UNDERSTANDING_KEY, u);
  return u;
}
