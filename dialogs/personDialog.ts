/**
 * About whom is the complaint (optional)? A person the story already names is confirmed; otherwise
 * the citizen picks a suggestion, types a name or department, or skips.
 * Options: `{ only?: boolean }` (correction: ask straight away).
 */
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { findPerson, type PersonKind } from '../src/domain/extract';
import { storyDetails } from './draft';
import { ASK_PROMPT, PERSON_DIALOG, WATERFALL } from './ids';
import { ask, AskPrompt, yesNo, type Answer, type ChoiceSpec } from './prompts';
import type { DialogServices } from './services';
import { tr, turnLocale, turnNow, vals } from './turn';

const SKIP: ChoiceSpec = { value: 'skip', key: 'choices.skip', synonyms: ['overslaan', 'skip', 'weet ik niet', 'geen idee', "don't know", 'dont know', 'niemand', 'nobody', 'geen', 'none'] };
const PERSON_CHOICES: ChoiceSpec[] = [
  ...(['staff', 'burgemeester', 'wethouder', 'gemeentesecretaris'] as const).map((k) => ({ value: k, key: `person.kind.${k}` })),
  SKIP,
];

export class PersonDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(PERSON_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        this.fromStoryStep.bind(this),
        this.askStep.bind(this),
        this.whoStep.bind(this),
        this.recordStep.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  private async fromStoryStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const only = (step.options as { only?: boolean } | undefined)?.only;
    const person = only ? undefined : storyDetails(draft, { locale: turnLocale(step.context), now: turnNow(step.context) }).person;
    if (!person) return step.next();
    vals(step).found = person;
    return ask(step, ASK_PROMPT, { key: 'person.confirm', vars: { person: person.text }, choices: yesNo(), freeText: true, check: 'text' });
  }

  private async askStep(step: WaterfallStepContext) {
    const found = vals(step).found as { kind: PersonKind; text: string } | undefined;
    const confirm = step.result as Answer | undefined;
    if (found && confirm?.choice === 'yes') return step.next({ text: found.text, choice: 'found' } satisfies Answer);
    if (found && confirm && !confirm.choice) return step.next(confirm);
    return ask(step, ASK_PROMPT, { key: 'person.ask', choices: PERSON_CHOICES, freeText: true, check: 'text' });
  }

  private async whoStep(step: WaterfallStepContext) {
    const answer = step.result as Answer;
    vals(step).answer = answer;
    if (answer.choice === 'staff') return ask(step, ASK_PROMPT, { key: 'person.whichStaff', choices: [SKIP], freeText: true, check: 'text' });
    return step.next();
  }

  private async recordStep(step: WaterfallStepContext) {
    const answer = vals(step).answer as Answer;
    const draft = await this.services.drafts.get(step.context);
    const found = vals(step).found as { kind: PersonKind; text: string } | undefined;
    const t = tr(step.context);
    if (answer.choice === 'found' && found) {
      draft.personKind = found.kind;
      draft.person = found.text;
    } else if (answer.choice === 'skip') {
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
      const text = String(answer.value ?? answer.text).slice(0, 300);
      draft.personKind = findPerson(text, turnLocale(step.context))?.kind ?? null;
      draft.person = text;
    }
    return step.endDialog();
  }
}
