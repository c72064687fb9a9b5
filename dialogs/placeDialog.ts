/**
 * Where did it happen? A place the story already names is confirmed; otherwise the citizen picks a
 * suggestion or types a place. Options: `{ only?: boolean }` (correction: ask straight away).
 */
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { PLACE_KINDS } from '../src/domain/complaint';
import type { PlaceKind } from '../src/domain/extract';
import { storyDetails } from './draft';
import { ASK_PROMPT, PLACE_DIALOG, WATERFALL } from './ids';
import { ask, AskPrompt, matchChoice, yesNo, type Answer, type ChoiceSpec } from './prompts';
import type { DialogServices } from './services';
import { tr, turnLocale, turnNow, vals } from './turn';

const PLACE_CHOICES: ChoiceSpec[] = PLACE_KINDS.map((k) => ({ value: k, key: `place.kind.${k}` }));

export class PlaceDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(PLACE_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        this.fromStoryStep.bind(this),
        this.askStep.bind(this),
        this.elsewhereStep.bind(this),
        this.recordStep.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  private async fromStoryStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const only = (step.options as { only?: boolean } | undefined)?.only;
    const place = only ? undefined : storyDetails(draft, { locale: turnLocale(step.context), now: turnNow(step.context) }).place;
    if (!place || place.kind === 'elsewhere') return step.next();
    vals(step).kind = place.kind;
    return ask(step, ASK_PROMPT, {
      key: 'place.confirm',
      vars: { place: { $key: `place.kind.${place.kind}` } },
      choices: yesNo(),
      freeText: true,
      check: 'place',
    });
  }

  private async askStep(step: WaterfallStepContext) {
    const kind = vals(step).kind as PlaceKind | undefined;
    const confirm = step.result as Answer | undefined;
    if (kind && confirm?.choice === 'yes') return step.next({ text: '', choice: kind } satisfies Answer);
    if (kind && confirm && !confirm.choice) return step.next({ ...confirm, choice: matchChoice(confirm.text, PLACE_CHOICES)?.value });
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
      draft.placeKind = 'elsewhere';
      draft.place = String(answer.value ?? answer.text);
    }
    return step.endDialog();
  }
}
