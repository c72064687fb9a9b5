/**
 * Where did it happen? A place the citizen already gave is not asked again (the story's details are
 * confirmed together, see DetailsDialog). Otherwise the citizen picks a suggestion or types a place.
 * Options: `{ only?: boolean }` (correction: ask straight away).
 */
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { PLACE_KINDS } from '../src/domain/complaint';
import type { PlaceKind } from '../src/domain/extract';
import { ASK_PROMPT, PLACE_DIALOG, WATERFALL } from './ids';
import { ask, AskPrompt, type Answer, type ChoiceSpec } from './prompts';
import type { DialogServices } from './services';
import { tr, turnUnderstanding } from './turn';

const PLACE_CHOICES: ChoiceSpec[] = PLACE_KINDS.map((k) => ({ value: k, key: `place.kind.${k}` }));

export class PlaceDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(PLACE_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(new WaterfallDialog(WATERFALL, [this.askStep.bind(this), this.elsewhereStep.bind(this), this.recordStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private async askStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const only = (step.options as { only?: boolean } | undefined)?.only;
    if (!only && draft.place !== undefined) return step.endDialog();
    return ask(step, ASK_PROMPT, { key: 'place.ask', choices: PLACE_CHOICES, freeText: true, check: 'place' });
  }

  private async elsewhereStep(step: WaterfallStepContext) {
    const answer = step.result as Answer;
    if (answer.choice === 'elsewhere') return ask(step, ASK_PROMPT, { key: 'place.where', check: 'place' });
    return step.next(answer);
  }

  private async recordStep(step: WaterfallStepContext) {
    const answer = step.result as Answer;
    const draft = await this.services.drafts.get(step.context);
    if (answer.choice && answer.choice !== 'elsewhere') {
      draft.placeKind = answer.choice as PlaceKind;
      draft.place = tr(step.context)(`place.kind.${answer.choice}`);
    } else {
      // typed: the kind of place as the understanding step read it ("bij het loket" is the counter), the words as typed
      const kind = turnUnderstanding(step.context).fields.place?.kind;
      draft.placeKind = kind && (PLACE_KINDS as readonly string[]).includes(kind) ? (kind as PlaceKind) : 'elsewhere';
      draft.place = String(answer.value ?? answer.text);
    }
    return step.endDialog();
  }
}
