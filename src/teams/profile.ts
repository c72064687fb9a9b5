/**
 * On Teams the bot may suggest the citizen's name and e-mail address from their Teams profile
 * (TeamsInfo.getMember). A suggestion is only shown; the citizen confirms it or gives another value.
 * A failed or slow lookup yields no suggestion, and the bot simply asks.
 */
import { TeamsInfo, type TurnContext } from 'botbuilder';
import { checkEmail, checkName } from '../domain/contact';

export interface ProfileSuggestion {
  name?: string;
  email?: string;
}

/** Finds what the channel knows about the citizen of this turn; may throw. */
export type ProfileLookup = (context: TurnContext) => Promise<ProfileSuggestion | undefined>;

/** The bot puts the lookup for this turn here (only in a personal Teams chat); the contact dialog reads it. */
export const PROFILE_LOOKUP_KEY = Symbol('klachtbot.profileLookup');

/** Name and e-mail of the turn's sender from the Teams roster, only when they pass the bot's own checks. */
export async function teamsProfile(context: TurnContext): Promise<ProfileSuggestion | undefined> {
  const userId = context.activity.from?.id;
  if (!userId) return undefined;
  const member = await TeamsInfo.getMember(context, userId);
  const suggestion: ProfileSuggestion = {};
  const fullName = [member.givenName, member.surname].filter((s) => s && s.trim()).join(' ') || member.name || '';
  const name = checkName(fullName);
  if (name.ok) suggestion.name = name.value;
  // Only the mail address; userPrincipalName is a sign-in name and need not receive mail.
  const email = member.email ? checkEmail(member.email) : undefined;
  if (email?.ok) suggestion.email = email.value;
  return suggestion.name || suggestion.email ? suggestion : undefined;
}

/** Runs `lookup` for at most `timeoutMs`; any failure means: no suggestion. */
export async function suggestProfile(
  context: TurnContext,
  lookup: ProfileLookup,
  timeoutMs: number,
  onError?: (err: unknown) => void,
): Promise<ProfileSuggestion | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`profile lookup took over ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([lookup(context), timeout]);
  } catch (err) {
    onError?.(err);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

export interface TurnProfile {
  lookup: ProfileLookup;
  timeoutMs: number;
  onError?: (err: unknown) => void;
}

/** The suggestion for this turn, or undefined when the bot set no lookup (not a personal Teams chat). */
export async function turnProfileSuggestion(context: TurnContext): Promise<ProfileSuggestion | undefined> {
  const profile = context.turnState.get(PROFILE_LOOKUP_KEY) as TurnProfile | undefined;
  if (!profile) return undefined;
  return suggestProfile(context, profile.lookup, profile.timeoutMs, profile.onError);
}
