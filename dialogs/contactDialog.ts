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
import { turnProfileSuggestion, type ProfileSuggestion } from '../src/teams/profile';
import { ASK_PROMPT, CONTACT_DIALOG, WATERFALL } from './ids';
import { ask, AskPrompt, type Answer, type ChoiceSpec } from './prompts';
import { decide, SUGGESTION, type Suggestable } from './profileSuggestion';
import { facts, type DialogServices } from './services';
import { tr } from './turn';

export const CONTACT_FIELDS = ['name', 'phone', 'street', 'postcode', 'city', 'email'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

const LOOP = 'contactLoop';
const SKIP: ChoiceSpec = { value: 'skip', key: 'contact.noEmail', synonyms: ['overslaan', 'skip', 'geen', 'none', 'nee', 'no', 'geen e-mail', 'no email', 'heb ik niet'] };

interface LoopOptions {
  fields: ContactField[];
  /** profile values not yet answered: shown as a question, stored only after a yes */
  suggest?: ProfileSuggestion;
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
