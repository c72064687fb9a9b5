/**
 * Contact details: name, phone and address are required (Awb 9:4), e-mail is optional. Each wrong
 * answer gets a specific explanation and the question again; after three wrong answers the citizen
 * may try again, skip (e-mail only) or ask to be called.
 * Options: `{ fields?: ContactField[]; correcting?: boolean }`.
 */
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { ASK_PROMPT, CONTACT_DIALOG, WATERFALL } from './ids';
import { ask, AskPrompt, type Answer, type ChoiceSpec } from './prompts';
import { facts, type DialogServices } from './services';
import { tr } from './turn';

export const CONTACT_FIELDS = ['name', 'phone', 'street', 'postcode', 'city', 'email'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

const LOOP = 'contactLoop';
const SKIP: ChoiceSpec = { value: 'skip', key: 'contact.noEmail', synonyms: ['overslaan', 'skip', 'geen', 'none', 'nee', 'no', 'geen e-mail', 'no email', 'heb ik niet'] };

interface LoopOptions {
  fields: ContactField[];
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
    return step.replaceDialog(LOOP, { fields } satisfies LoopOptions);
  }

  private async askStep(step: WaterfallStepContext) {
    const { fields } = step.options as LoopOptions;
    if (fields.length === 0) return step.endDialog();
    const field = fields[0];
    return ask(step, ASK_PROMPT, {
      key: `contact.ask.${field}`,
      check: field,
      choices: field === 'email' ? [SKIP] : undefined,
      freeText: field === 'email' ? true : undefined,
      giveUpAfter: 3,
    });
  }

  private async recordStep(step: WaterfallStepContext) {
    const { fields } = step.options as LoopOptions;
    const field = fields[0];
    const answer = step.result as Answer;
    const draft = await this.services.drafts.get(step.context);
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
    return step.replaceDialog(LOOP, { fields: fields.slice(1) } satisfies LoopOptions);
  }

  private async giveUpStep(step: WaterfallStepContext) {
    const { fields } = step.options as LoopOptions;
    const choice = (step.result as Answer).choice;
    if (choice === 'skip') {
      (await this.services.drafts.get(step.context)).contact.email = null;
      return step.replaceDialog(LOOP, { fields: fields.slice(1) } satisfies LoopOptions);
    }
    // 'retry' (and 'callback', which the main dialog normally catches as a request for a person)
    return step.replaceDialog(LOOP, { fields } satisfies LoopOptions);
  }
}
