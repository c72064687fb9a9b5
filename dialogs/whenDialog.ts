/**
 * When did it happen? A date the story already gives is confirmed rather than asked. Dutch and
 * English dates and relative expressions are understood; "weet ik niet precies" is kept as typed;
 * a date in the future is refused; over a year ago the citizen hears that the gemeente may decline
 * it (Awb 9:8) and may file anyway. Options: `{ only?: boolean }` (correction: ask straight away).
 * Result: `{ continue: boolean }`.
 */
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { isMoreThanAYearAgo } from '../src/domain/dates';
import { storyDetails } from './draft';
import { ASK_PROMPT, WATERFALL, WHEN_DIALOG } from './ids';
import { ask, AskPrompt, yesNo, type Answer } from './prompts';
import type { DialogServices } from './services';
import { tr, turnLocale, turnNow, vals } from './turn';

interface Found {
  date: string;
  text: string;
}

export class WhenDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(WHEN_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        this.fromStoryStep.bind(this),
        this.askStep.bind(this),
        this.recordStep.bind(this),
        this.oldStep.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  private async fromStoryStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const only = (step.options as { only?: boolean } | undefined)?.only;
    const found = only ? undefined : storyDetails(draft, { locale: turnLocale(step.context), now: turnNow(step.context) }).date;
    if (!found) return step.next();
    vals(step).found = found;
    // A different date typed here is taken as the answer.
    return ask(step, ASK_PROMPT, {
      key: 'when.confirm',
      vars: { date: { $date: found.date }, text: found.text },
      choices: yesNo(),
      freeText: true,
      check: 'date',
    });
  }

  private async askStep(step: WaterfallStepContext) {
    const found = vals(step).found as Found | undefined;
    const confirm = step.result as Answer | undefined;
    if (found && confirm?.choice === 'yes') return step.next({ text: found.text, value: found.date } satisfies Answer);
    if (found && confirm && !confirm.choice) return step.next(confirm);
    return ask(step, ASK_PROMPT, { key: 'when.ask', check: 'date', giveUpAfter: 3 });
  }

  private async recordStep(step: WaterfallStepContext) {
    const answer = step.result as Answer;
    const draft = await this.services.drafts.get(step.context);
    draft.incidentDateText = answer.text.slice(0, 200);
    draft.incidentDate = answer.failed ? null : (answer.value ?? null);
    if (answer.failed) await step.context.sendActivity(tr(step.context)('when.keptAsTyped'));
    if (draft.incidentDate && isMoreThanAYearAgo(draft.incidentDate, turnNow(step.context))) {
      return ask(step, ASK_PROMPT, {
        key: 'when.overAYear',
        vars: { date: { $date: draft.incidentDate } },
        choices: yesNo({ yes: 'when.fileAnyway', no: 'when.dontFile' }),
      });
    }
    return step.endDialog({ continue: true });
  }

  private async oldStep(step: WaterfallStepContext) {
    if ((step.result as Answer).choice === 'yes') return step.endDialog({ continue: true });
    return step.endDialog({ continue: false });
  }
}
