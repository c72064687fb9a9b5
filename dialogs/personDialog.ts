/**
 * About whom is the complaint (optional)? A person the citizen already named is not asked again (the
 * story's details are confirmed together, see DetailsDialog). Otherwise the citizen picks a
 * suggestion, types a name or department, or skips. "Een medewerker" is an answer here, never a
 * request to speak to someone; "weet ik niet" is a skip only when that is all the answer says.
 * Options: `{ only?: boolean }` (correction: ask straight away).
 */
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { PersonKind } from '../src/domain/extract';
import { PERSON_KINDS } from '../src/domain/complaint';
import { ASK_PROMPT, PERSON_DIALOG, WATERFALL } from './ids';
import { ask, AskPrompt, SKIP_WORDS, type Answer, type ChoiceSpec } from './prompts';
import type { DialogServices } from './services';
import { tr, turnUnderstanding, vals } from './turn';

const SKIP: ChoiceSpec = { value: 'skip', key: 'choices.skip', synonyms: [...SKIP_WORDS, 'niemand', 'nobody', 'geen', 'none'], exact: true };
const PERSON_CHOICES: ChoiceSpec[] = [
  ...(['staff', 'burgemeester', 'wethouder', 'gemeentesecretaris'] as const).map((k) => ({ value: k, key: `person.kind.${k}`, exact: true })),
  SKIP,
];

export class PersonDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(PERSON_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(new WaterfallDialog(WATERFALL, [this.askStep.bind(this), this.whoStep.bind(this), this.recordStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private async askStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const only = (step.options as { only?: boolean } | undefined)?.only;
    if (!only && draft.person !== undefined) return step.endDialog();
    return ask(step, ASK_PROMPT, { key: 'person.ask', choices: PERSON_CHOICES, freeText: true, check: 'text' });
  }

  private async whoStep(step: WaterfallStepContext) {
    const answer = step.result as Answer;
    vals(step).answer = answer;
    if (answer.choice === 'staff') {
      return ask(step, ASK_PROMPT, { key: 'person.whichStaff', choices: [SKIP], freeText: true, check: 'text' });
    }
    return step.next();
  }

  private async recordStep(step: WaterfallStepContext) {
    const answer = vals(step).answer as Answer;
    const draft = await this.services.drafts.get(step.context);
    const t = tr(step.context);
    if (answer.choice === 'skip') {
      draft.personKind = null;
      draft.person = null;
    } else if (answer.choice === 'staff') {
      const detail = step.result as Answer;
      draft.personKind = 'staff';
      draft.person = detail.choice === 'skip' ? t('person.kind.staff') : String(detail.value ?? detail.text).slice(0, 300);
    } else if (answer.choice) {
      draft.personKind = answer.choice as PersonKind;
      draft.person = t(`person.kind.${answer.choice}`);
    } else {
      // typed: the kind as the understanding step read it, the words as typed
      const kind = turnUnderstanding(step.context).fields.person?.kind;
      draft.personKind = kind && (PERSON_KINDS as readonly string[]).includes(kind) ? (kind as PersonKind) : null;
      draft.person = String(answer.value ?? answer.text).slice(0, 300);
    }
    return step.endDialog();
  }
}
