/**
 * One prompt for every question the bot asks. Its options carry an `AskSpec` (an i18n key, the
 * buttons, the check to apply) instead of rendered text, so the question is rendered in the current
 * language each time it is shown: after a language switch the same question appears in the new
 * language. Buttons are matched in both languages, by title, number or synonym; free text is
 * accepted where the spec allows it. A wrong answer gets a specific explanation and the question
 * again; after `giveUpAfter` wrong answers the prompt ends with `failed: true` so the dialog can
 * offer another way.
 */
import {
  Prompt,
  type DialogContext,
  type PromptOptions,
  type PromptRecognizerResult,
  type PromptValidatorContext,
} from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { Fields } from '../src/domain/complaint';
import { checkCity, checkEmail, checkName, checkPhone, checkPostcode, checkStreet, type Check } from '../src/domain/contact';
import { toAmsterdamDate } from '../src/domain/workingDays';
import { translator } from '../src/i18n';
import type { Asked, UnderstoodDate } from '../src/understanding/types';
import { isIntentOnly } from './commands';
import { normalise } from './text';
import { setAsked, tr, turnNow, turnUnderstanding, withButtons, type Vars } from './turn';

export { normalise };

export type CheckName = 'story' | 'date' | 'place' | 'text' | 'name' | 'phone' | 'street' | 'postcode' | 'city' | 'email';

export interface ChoiceSpec {
  value: string;
  /** i18n key of the title */
  key?: string;
  /** a literal title (e.g. a formatted date); wins over key */
  title?: string;
  /** extra words that pick this choice, in any language */
  synonyms?: string[];
  /** i18n variables for the title */
  vars?: Vars;
  /** picked only when the answer says exactly this (a skip inside a longer answer is no skip) */
  exact?: boolean;
}

export interface AskSpec {
  key: string;
  vars?: Vars;
  choices?: ChoiceSpec[];
  /** accept text that matches no button */
  freeText?: boolean;
  /** the rule free text must meet */
  check?: CheckName;
  /** after this many wrong answers end with failed: true (0 = keep asking) */
  giveUpAfter?: number;
  /** which question this is for the understanding step; default worked out from the key */
  asked?: Asked;
}

const ASKED_BY_KEY: [RegExp, Asked][] = [
  [/^(intake\.askStory|summary\.newStory)$/, 'story'],
  [/^when\./, 'when'],
  [/^place\./, 'where'],
  [/^person\./, 'who'],
  [/^solution\./, 'solution'],
  [/\.(ask|suggest)\.name$|suggestName$/, 'name'],
  [/\.ask\.phone$|askPhone$/, 'phone'],
  [/\.ask\.street$/, 'street'],
  [/\.ask\.(postcode|postcodeCity)$/, 'postcode'],
  [/\.ask\.city$/, 'city'],
  [/\.(ask|suggest)\.email$/, 'email'],
  [/\.ask\.address$/, 'address'],
  [/^summary\./, 'summary'],
];

/** The `asked` of the understanding step for a question. */
export function askedFor(spec: AskSpec): Asked | undefined {
  return spec.asked ?? ASKED_BY_KEY.find(([re]) => re.test(spec.key))?.[1];
}

export interface Answer {
  text: string;
  /** the value of the chosen button */
  choice?: string;
  /** the normalised value from the check (null: the citizen does not know, e.g. a date) */
  value?: string | null;
  /** for a date question: the date as understood (a day, a period, or text too vague for either) */
  date?: UnderstoodDate;
  failed?: boolean;
}

const checks: Record<Exclude<CheckName, 'date'>, (s: string) => Check> = {
  story: (s) => (isIntentOnly(s) ? { ok: false, reason: 'intentOnly' } : fromZod(Fields.story.safeParse(s))),
  // "ja" or "nee" where a place is asked is not a place
  place: (s) => (isBareYesOrNo(s) ? { ok: false, reason: 'tooShort' } : fromZod(Fields.place.safeParse(s))),
  text: (s) => (s.trim().length === 0 ? { ok: false, reason: 'empty' } : s.length > 2000 ? { ok: false, reason: 'tooLong' } : { ok: true, value: s.trim() }),
  name: checkName,
  phone: checkPhone,
  street: checkStreet,
  postcode: checkPostcode,
  city: checkCity,
  email: checkEmail,
};

function fromZod(r: { success: true; data: string } | { success: false; error: { issues: { message: string }[] } }): Check {
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: r.error.issues[0]?.message ?? 'invalid' };
}


/** Words for yes and no in both languages, so a yes/no question never depends on the channel's locale. */
export const YES_WORDS = ['ja', 'yes', 'jawel', 'klopt', 'ok', 'oke', 'okay', 'prima', 'goed', 'graag', 'yep', 'yeah', 'sure', 'correct', 'y', 'j'];
export const NO_WORDS = ['nee', 'no', 'neen', 'niet', 'nope', 'klopt niet', 'n', 'liever niet', 'not'];

/** The titles of a choice in every language, plus its value and synonyms, normalised. */
function choiceWords(choice: ChoiceSpec): string[] {
  const words = [choice.value, ...(choice.synonyms ?? [])];
  if (choice.title) words.push(choice.title);
  if (choice.key) for (const l of ['nl', 'en'] as const) words.push(translator(l)(choice.key, choice.vars ?? {}));
  return [...new Set(words.map(normalise).filter(Boolean))];
}

/** Which choice a text picks: an exact title/synonym, a number, or the one choice whose words it contains. */
export function matchChoice(text: string, choices: ChoiceSpec[]): ChoiceSpec | undefined {
  const n = normalise(text);
  if (!n) return undefined;
  const exact = choices.find((c) => choiceWords(c).includes(n));
  if (exact) return exact;
  if (/^\d{1,2}$/.test(n)) {
    const i = Number(n) - 1;
    return i >= 0 && i < choices.length ? choices[i] : undefined;
  }
  // Otherwise the choice with the longest word inside the text ("nee, klopt niet" -> no), if only one.
  const padded = ` ${n} `;
  const scored = choices
    .filter((c) => !c.exact)
    .map((c) => ({ c, len: Math.max(0, ...choiceWords(c).filter((w) => padded.includes(` ${w} `)).map((w) => w.length)) }))
    .filter((s) => s.len > 0)
    .sort((a, b) => b.len - a.len);
  if (scored.length === 0 || (scored.length > 1 && scored[0].len === scored[1].len)) return undefined;
  return scored[0].c;
}

/** Every way of pressing one of the question's buttons (titles in both languages, values, synonyms): such a message is an answer. */
function answerWords(spec: AskSpec): string[] {
  return (spec.choices ?? []).flatMap(choiceWords);
}

export function buttonsFor(context: TurnContext, choices: ChoiceSpec[] = []) {
  const t = tr(context);
  return choices.map((c) => {
    const title = c.title ?? t(c.key ?? c.value, c.vars);
    return { title, value: title };
  });
}

export class AskPrompt extends Prompt<Answer> {
  constructor(dialogId: string) {
    super(dialogId, (pc) => this.validate(pc));
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions): Promise<void> {
    const spec = options.validations as AskSpec;
    const buttons = buttonsFor(context, spec.choices);
    setAsked(context, askedFor(spec), answerWords(spec));
    await context.sendActivity(withButtons(context, tr(context)(spec.key, spec.vars), buttons));
  }

  protected async onRecognize(context: TurnContext): Promise<PromptRecognizerResult<Answer>> {
    const a = context.activity;
    const text = typeof a.text === 'string' ? a.text : typeof a.value === 'string' ? a.value : '';
    return { succeeded: a.type === 'message', value: { text: text.trim() } };
  }

  private async validate(pc: PromptValidatorContext<Answer>): Promise<boolean> {
    const spec = pc.options.validations as AskSpec;
    const answer = pc.recognized.value as Answer;
    const context = pc.context;
    const t = tr(context);
    let reason: string | undefined;
    const choice = spec.choices ? matchChoice(answer.text, spec.choices) : undefined;
    if (choice) {
      answer.choice = choice.value;
      return true;
    }
    if (!answer.text) reason = 'errors.empty';
    else if (spec.choices && !spec.freeText) reason = 'errors.choice';
    else if (spec.check === 'date') {
      // the date as the understanding step read it for this turn's message (not parsed again here)
      const date = turnUnderstanding(context).fields.date;
      if (date?.from && date.from > toAmsterdamDate(turnNow(context))) {
        reason = 'errors.date.future';
      } else if (date) {
        answer.date = date;
        answer.value = date.from ?? null;
      } else if (isDontKnow(answer.text)) {
        answer.value = null;
      } else reason = 'errors.date.invalid';
    } else if (spec.check) {
      const r = checks[spec.check](answer.text);
      if (r.ok) answer.value = r.value;
      else reason = `errors.${spec.check}.${r.reason}`;
    } else {
      answer.value = answer.text;
    }
    if (!reason) return true;
    if (spec.giveUpAfter && pc.attemptCount >= spec.giveUpAfter) {
      answer.failed = true;
      return true;
    }
    const buttons = buttonsFor(context, spec.choices);
    setAsked(context, askedFor(spec), answerWords(spec));
    await context.sendActivity(withButtons(context, `${t(reason)}\n\n${t(spec.key, spec.vars)}`, buttons));
    return false;
  }
}

/** Starts the ask prompt. */
export function ask(dc: DialogContext, dialogId: string, spec: AskSpec) {
  return dc.prompt(dialogId, { validations: spec } as PromptOptions);
}

export const yesNo = (extra: { yes?: string; no?: string } = {}): ChoiceSpec[] => [
  { value: 'yes', key: extra.yes ?? 'choices.yes', synonyms: YES_WORDS },
  { value: 'no', key: extra.no ?? 'choices.no', synonyms: NO_WORDS },
];

/** Words that say "I don't know" or "skip", and nothing else. */
export const SKIP_WORDS = [
  'overslaan', 'skip', 'weet ik niet', 'ik weet het niet', 'weet niet', 'geen idee', 'weet ik niet meer', 'niet bekend', 'onbekend',
  "don't know", 'dont know', 'i dont know', "i don't know", 'no idea', 'not sure', 'pass', 'sla over',
  'weet ik niet precies', 'niet precies', 'weet ik niet meer precies', 'weet het niet meer', 'geen flauw idee',
  "i don't remember", 'dont remember', "can't remember", 'not sure exactly', "i'm not sure",
];
const SKIP_SET = new Set(SKIP_WORDS.map(normalise));

/** True only when the whole answer is a skip ("iemand van parkeren, naam weet ik niet" is an answer). */
export function isDontKnow(text: string): boolean {
  return SKIP_SET.has(normalise(text));
}

/** Yes or no, and nothing else: an answer that says more is not a bare yes/no. */
export function isBareYesOrNo(text: string): boolean {
  const n = normalise(text);
  return YES_WORDS.includes(n) || NO_WORDS.includes(n);
}
