/**
 * Where on Teams a conversation takes place. A complaint holds personal data (name, phone, address,
 * what happened), so the bot takes one only in a personal (1:1) chat; in a group chat or a team's
 * channel it explains why not and offers a personal chat.
 */
import { MessageFactory, type Activity, type CardAction, type TurnContext } from 'botbuilder';

export const TEAMS = 'msteams';

export function isTeams(context: TurnContext): boolean {
  return context.activity.channelId === TEAMS;
}

/**
 * A Teams group chat or channel. Teams sets conversation.conversationType ('personal', 'groupChat',
 * 'channel'); without it, conversation.isGroup decides.
 */
export function isSharedTeamsConversation(context: TurnContext): boolean {
  if (!isTeams(context)) return false;
  const conversation = context.activity.conversation;
  const type = conversation?.conversationType;
  if (type) return type !== 'personal';
  return conversation?.isGroup === true;
}

export function isPersonalTeamsChat(context: TurnContext): boolean {
  return isTeams(context) && !isSharedTeamsConversation(context);
}

/**
 * Teams' deep link that opens a 1:1 chat with this bot ("28:" + its app id). Undefined when the
 * activity does not name the bot.
 */
export function personalChatLink(context: TurnContext): string | undefined {
  const id = context.activity.recipient?.id;
  if (!id) return undefined;
  const botId = id.startsWith('28:') ? id : `28:${id}`;
  return `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(botId)}`;
}

/**
 * The explanation for a group chat or channel (Markdown, as message text) with a hero card whose one
 * button opens the personal chat.
 */
export function sharedConversationNotice(context: TurnContext, text: string, buttonTitle: string): Partial<Activity> {
  const link = personalChatLink(context);
  if (!link) return MessageFactory.text(text);
  const open: CardAction = { type: 'openUrl', title: buttonTitle, value: link };
  return MessageFactory.attachment({ contentType: 'application/vnd.microsoft.card.hero', content: { buttons: [open] } }, text);
}
