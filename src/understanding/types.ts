/**
 * The one understanding step (issue 11): every citizen message goes through `understand` once; the
 * dialogs act on what it found. No botbuilder here. This file is the contract; the implementation
 * lives beside it in src/understanding/ and the command-line contract in src/understanding/cli.ts
 * (`npm run --silent understand`).
 */
import type { Locale, Route } from '../domain/routes';

/** The question the bot just asked (the `asked` of the command-line contract). */
export const ASKED = [
  'story', 'when', 'where', 'who', 'solution', 'name', 'phone', 'address', 'street', 'postcode', 'city', 'email', 'summary', 'more',
] as const;
export type Asked = (typeof ASKED)[number];

export const INTENTS = ['answer', 'person', 'help', 'stop', 'restart', 'language', 'correction', 'question', 'goodbye', 'unclear'] as const;
export type Intent = (typeof INTENTS)[number];

/** Common questions with a short answer from the locale texts and the municipality file. */
/** `other`: a question none of the kinds answers ("kost dit geld?"): a general answer, then the same question again. */
export const QUESTIONS = ['anonymous', 'privacy', 'why-data', 'duration', 'procedure', 'who-handles', 'capabilities', 'other'] as const;
export type Question = (typeof QUESTIONS)[number];

/** A day has from == to; a period has both; a date too vague for either has neither. */
export interface UnderstoodDate {
  text: string;
  from?: string;
  to?: string;
}

export interface UnderstoodFields {
  date?: UnderstoodDate;
  place?: { kind?: string; text: string };
  person?: { kind?: string; text: string };
  solution?: string;
  name?: string;
  /** E.164 */
  phone?: string;
  email?: string;
  street?: string;
  houseNumber?: string;
  /** "1234 AB"; abroad the postcode as written ("10115", "NW1 6XE") */
  postcode?: string;
  city?: string;
  /** a country other than the Netherlands, as the citizen named it ("Duitsland", "United Kingdom") */
  country?: string;
}

export interface Understanding {
  intent: Intent;
  /** for intent 'language' (the language asked for), or the language the message is written in when it is neither nl nor en is unknown */
  language?: Locale;
  question?: Question;
  /**
   * The message is written in a language the bot does not speak (ISO 639-1: 'tr', 'pl', 'ar', 'de', 'fr', ...);
   * intent is then 'unclear'. The dialog can say in that language that only Dutch and English are understood.
   */
  unsupportedLanguage?: string;
  /** every route that applies to a story, as the route recogniser gives them */
  routes?: Route[];
  fields: UnderstoodFields;
}

export interface UnderstandInput {
  text: string;
  locale: Locale;
  /** the instant of the message; default now */
  now?: Date;
  asked?: Asked;
}

export interface Understander {
  /** async because the route recogniser may be; everything else is synchronous and cheap (target: median under 2 ms) */
  understand(input: UnderstandInput): Promise<Understanding>;
}
