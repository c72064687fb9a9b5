/**
 * Contact details: name, phone and address are required (Awb 9:4), e-mail is optional. Each wrong
 * answer gets a specific explanation and the question again; after three wrong answers the citizen
 * may try again, skip (e-mail only) or ask to be called.
 * In a personal Teams chat the name and e-mail of the Teams profile may be offered as a suggestion:
 * the citizen confirms it, types another value, or (e-mail) skips it. A suggestion is taken only on a
 * clear yes; anything doubtful gets the ordinary question. Without a suggestion the bot simply asks.
 * Options: `{ fields?: ContactField[]; correcting?: boolean }`.
 */
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { checkEmail } from '../src/domain/contact';
import { translator } from '../src/i18n';
import { turnProfileSuggestion, type ProfileSuggestion } from '../src/teams/profile';
import { ASK_PROMPT, CONTACT_DIALOG, WATERFALL } from './ids';
import { ask, AskPrompt, type Answer, type ChoiceSpec } from './prompts';
import { facts, type DialogServices } from './services';
import { normalise } from './text';
import { tr } from './turn';

export const CONTACT_FIELDS = ['name', 'phone', 'street', 'postcode', 'city', 'email'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

const LOOP = 'contactLoop';
const SKIP: ChoiceSpec = { value: 'skip', key: 'contact.noEmail', synonyms: ['overslaan', 'skip', 'geen', 'none', 'nee', 'no', 'geen e-mail', 'no email', 'heb ik niet'] };

type Suggestable = 'name' | 'email';

interface LoopOptions {
  fields: ContactField[];
  /** profile values not yet answered: shown as a question, stored only after a yes */
  suggest?: ProfileSuggestion;
}

/** Words that, alone or together, make a clear yes to a suggestion ("ja", "ja hoor, dat klopt"). */
const YES_ONLY = new Set(
  'ja yes jawel yep yeah sure ok oke okay prima goed graag klopt correct right fine hoor dat is het deze dit naam adres name address this that it use gebruik mag zeker certainly please'.split(' '),
);
const SUGGESTION: Record<Suggestable, ChoiceSpec[]> = {
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

type Decision = { take: 'suggestion' } | { take: 'typed'; value: string } | { take: 'skip' } | { take: 'ask' };

/**
 * What an answer to "may I use <suggestion>?" means. The prompt matched buttons first, also by a word
 * inside the text; here a typed value wins over such a partial match, and a partial yes with other
 * words in it ("Jan Goed") counts as doubt: then the bot asks the ordinary question.
 */
function decide(field: Suggestable, answer: Answer): Decision {
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

function without(suggest: ProfileSuggestion | undefined, field: ContactField): ProfileSuggestion | undefined {
  if (!suggest) return undefined;
  const rest = { ...suggest };
  delete rest[field as Suggestable];
  return rest.name || rest.email ? rest : undefined;
}

function suggestionFor(field: ContactField, suggest: ProfileSuggestion | undefined): string | undefined {
  return field === 'name' || field === 'email' ? suggest?.[field] : undefined;
}

export class ContactDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(CONTACT_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(new WaterfallDialog(WATERFALL, [this.introStep.bind(this)]));
    this.addDialog(new WaterfallDialog(LOOP, [this.askStep.bind(this), this.recordStep.bind(this), this.giveUpStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private async introStep(step: WaterfallStepContext) {
    const opts = (step.options ?? {}) as { fields?: ContactField[]; correcting?: boolean };
    const draft = await this.services.drafts.get(step.context);
    const fields = opts.fields ?? CONTACT_FIELDS.filter((f) => draft.contact[f] === undefined);
    if (!opts.correcting) await step.context.sendActivity(tr(step.context)('contact.intro', facts(this.services.municipality, step.context)));
    let suggest: ProfileSuggestion | undefined;
    if (!opts.correcting && (fields.includes('name') || fields.includes('email'))) {
      const found = await turnProfileSuggestion(step.context);
      suggest = {};
      if (found?.name && fields.includes('name')) suggest.name = found.name;
      if (found?.email && fields.includes('email')) suggest.email = found.email;
      if (!suggest.name && !suggest.email) suggest = undefined;
    }
    return step.replaceDialog(LOOP, { fields, suggest } satisfies LoopOptions);
  }

  private async askStep(step: WaterfallStepContext) {
    const { fields, suggest } = step.options as LoopOptions;
    if (fields.length === 0) return step.endDialog();
    const field = fields[0];
    const suggested = suggestionFor(field, suggest);
    if (suggested) {
      return ask(step, ASK_PROMPT, {
        key: `contact.suggest.${field}`,
        vars: { [field]: suggested },
        check: field,
        choices: SUGGESTION[field as Suggestable],
        freeText: true,
        giveUpAfter: 3,
      });
    }
    return ask(step, ASK_PROMPT, {
      key: `contact.ask.${field}`,
      check: field,
      choices: field === 'email' ? [SKIP] : undefined,
      freeText: field === 'email' ? true : undefined,
      giveUpAfter: 3,
    });
  }

  private async recordStep(step: WaterfallStepContext) {
    const { fields, suggest } = step.options as LoopOptions;
    const field = fields[0];
    const answer = step.result as Answer;
    const draft = await this.services.drafts.get(step.context);
    const suggested = suggestionFor(field, suggest);
    if (suggested && !answer.failed) {
      const rest = without(suggest, field);
      const decision = decide(field as Suggestable, answer);
      switch (decision.take) {
        case 'suggestion':
          draft.contact[field] = suggested;
          break;
        case 'typed':
          draft.contact[field] = decision.value;
          break;
        case 'skip':
          draft.contact.email = null;
          break;
        case 'ask':
          return step.replaceDialog(LOOP, { fields, suggest: rest } satisfies LoopOptions);
      }
      return step.replaceDialog(LOOP, { fields: fields.slice(1), suggest: rest } satisfies LoopOptions);
    }
    if (answer.failed) {
      const choices: ChoiceSpec[] = [{ value: 'retry', key: 'contact.retry' }];
      if (field === 'email') choices.push(SKIP);
      choices.push({ value: 'callback', key: 'contact.callMe' });
      return ask(step, ASK_PROMPT, {
        key: 'contact.giveUp',
        vars: { ...facts(this.services.municipality, step.context), field: { $key: `contact.label.${field}` } },
        choices,
      });
    }
    if (answer.choice === 'skip') draft.contact.email = null;
    else draft.contact[field] = String(answer.value);
    return step.replaceDialog(LOOP, { fields: fields.slice(1), suggest } satisfies LoopOptions);
  }

  private async giveUpStep(step: WaterfallStepContext) {
    const { fields, suggest } = step.options as LoopOptions;
    // a retry asks the ordinary question, without the suggestion
    const rest = without(suggest, fields[0]);
    const choice = (step.result as Answer).choice;
    if (choice === 'skip') {
      (await this.services.drafts.get(step.context)).contact.email = null;
      return step.replaceDialog(LOOP, { fields: fields.slice(1), suggest: rest } satisfies LoopOptions);
    }
    // 'retry' (and 'callback', which the main dialog normally catches as a request for a person)
    return step.replaceDialog(LOOP, { fields, suggest: rest } satisfies LoopOptions);
  }
}
