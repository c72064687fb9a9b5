/**
 * Makes outgoing messages render in Teams (Microsoft's Teams docs, "Types of cards" and "Format cards
 * in Microsoft Teams"):
 * - Teams shows at most 3 suggested actions: more go on hero cards;
 * - a hero card shows at most 6 buttons ("any additional buttons ... aren't shown"): more buttons are
 *   spread over several hero cards, stacked;
 * - hero card text takes a little HTML but no Markdown, while message text takes Markdown: the card's
 *   text moves to the message text, so **bold** and numbered lists render, and the cards carry only
 *   the buttons.
 * Everything the citizen can click can also be typed; nothing here changes what a button sends.
 */
import type { Activity, Attachment, CardAction } from 'botbuilder';

export const TEAMS_MAX_SUGGESTED_ACTIONS = 3;
export const TEAMS_MAX_CARD_BUTTONS = 6;
const HERO = 'application/vnd.microsoft.card.hero';

interface HeroContent {
  title?: string;
  subtitle?: string;
  text?: string;
  buttons?: CardAction[];
  [key: string]: unknown;
}

function buttonCards(buttons: CardAction[]): Attachment[] {
  const cards: Attachment[] = [];
  for (let i = 0; i < buttons.length; i += TEAMS_MAX_CARD_BUTTONS) {
    cards.push({ contentType: HERO, content: { buttons: buttons.slice(i, i + TEAMS_MAX_CARD_BUTTONS) } });
  }
  return cards;
}

/** Rewrites one outgoing activity in place for Teams. */
export function fitForTeams(activity: Partial<Activity>): Partial<Activity> {
  if (activity.type && activity.type !== 'message') return activity;
  const attachments: Attachment[] = [];
  const suggested = activity.suggestedActions?.actions ?? [];
  if (suggested.length > TEAMS_MAX_SUGGESTED_ACTIONS) {
    delete activity.suggestedActions;
    attachments.push(...buttonCards(suggested));
  }
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType !== HERO) {
      attachments.push(attachment);
      continue;
    }
    const { text, buttons = [], ...rest } = (attachment.content ?? {}) as HeroContent;
    let cardText = text;
    if (text && !activity.text) {
      activity.text = text;
      cardText = undefined;
    }
    const hasOther = cardText || rest.title || rest.subtitle || rest.images || rest.tap;
    if (!hasOther) {
      attachments.push(...buttonCards(buttons));
    } else {
      attachments.push({ ...attachment, content: { ...rest, ...(cardText ? { text: cardText } : {}), buttons: buttons.slice(0, TEAMS_MAX_CARD_BUTTONS) } });
      attachments.push(...buttonCards(buttons.slice(TEAMS_MAX_CARD_BUTTONS)));
    }
  }
  if (activity.attachments || attachments.length > 0) {
    activity.attachments = attachments;
    if (attachments.length > 1) activity.attachmentLayout = 'list';
  }
  return activity;
}
