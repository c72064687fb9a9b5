/**
 * Answers to "may I use <the name or e-mail of your Teams profile>?", shared by the contact dialog and
 * the call-back dialog. A suggestion is taken only on a clear yes; a typed value wins; anything doubtful
 * means: ask the ordinary question.
 */
import { checkEmail } from '../src/domain/contact';
import { translator } from '../src/i18n';
import type { Answer, ChoiceSpec } from './prompts';
import { normalise } from './text';

export type Suggestable = 'name' | 'email';

/** Words that, alone or together, make a clear yes to a suggestion ("ja", "ja hoor, dat klopt"). */
const YES_ONLY = new Set(
  'ja yes jawel yep yeah sure ok oke okay prima goed graag klopt correct right fine hoor dat is het deze dit naam adres name address this that it use gebruik mag zeker certainly please'.split(' '),
);
export const SUGGESTION: Record<Suggestable, ChoiceSpec[]> = {
  name: [
    { value: 'yes', key: 'contact.suggest.nameYes', synonyms: ['ja', 'yes', 'klopt', 'dat klopt', 'ja klopt', 'ja graag', 'correct', 'ok', 'oke', 'okay', 'prima', 'goed', 'graag', 'jawel'] },
    { value: 'other', key: 'contact.suggest.nameNo', synonyms: ['nee', 'no', 'neen', 'nope', 'klopt niet', 'niet', 'anders', 'andere naam', 'wijzigen', 'veranderen', 'change', 'other', 'another name', 'different name'] },
  ],
  email: [
    { value: 'yes', key: 'contact.suggest.emailYes', synonyms: ['ja', 'yes', 'klopt', 'dat klopt', 'ja klopt', 'ja graag', 'correct', 'ok', 'oke', 'okay', 'prima', 'goed', 'graag', 'jawel'] },
    { value: 'other', key: 'contact.suggest.emailNo', synonyms: ['nee', 'no', 'neen', 'nope', 'klopt niet', 'niet', 'ander', 'anders', 'ander adres', 'ander e mailadres', 'wijzigen', 'change', 'other', 'another address', 'different address'] },
    { value: 'skip', key: 'contact.noEmail', synonyms: ['overslaan', 'skip', 'geen', 'none', 'geen e mail', 'geen email', 'no email', 'heb ik niet'] },
  ],
};

/** The choice the text names exactly (a title in either language, a synonym, the value or its number). */
function exactChoice(text: string, choices: ChoiceSpec[]): ChoiceSpec | undefined {
  const n = normalise(text);
  if (/^\d$/.test(n)) return choices[Number(n) - 1];
  return choices.find((c) =>
    [c.value, ...(c.synonyms ?? []), ...(['nl', 'en'] as const).map((l) => translator(l)(c.key ?? c.value))].map(normalise).includes(n),
  );
}

export type Decision = { take: 'suggestion' } | { take: 'typed'; value: string } | { take: 'skip' } | { take: 'ask' };

/**
 * What an answer to "may I use <suggestion>?" means. The prompt matched buttons first, also by a word
 * inside the text; here a typed value wins over such a partial match, and a partial yes with other
 * words in it ("Jan Goed") counts as doubt: then the bot asks the ordinary question.
 */
export function decide(field: Suggestable, answer: Answer): Decision {
  const exact = exactChoice(answer.text, SUGGESTION[field]);
  const choice = exact?.value ?? answer.choice;
  if (!choice) return { take: 'typed', value: String(answer.value) };
  if (!exact && field === 'email' && answer.text.includes('@')) {
    const typed = checkEmail(answer.text);
    return typed.ok ? { take: 'typed', value: typed.value } : { take: 'ask' };
  }
  if (choice === 'yes') {
    const clear = exact !== undefined || normalise(answer.text).split(' ').every((w) => YES_ONLY.has(w));
    return clear ? { take: 'suggestion' } : { take: 'ask' };
  }
  if (choice === 'skip') return { take: 'skip' };
  return { take: 'ask' };
}
