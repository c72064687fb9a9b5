/**
 * When did it happen? A date the story already gave (confirmed with the other details) is not asked
 * again. The answer is read by the understanding step as a day, a period ("eind oktober", "week 46")
 * or words too vague for either ("weet ik niet precies", kept as typed); the bot says back in the
 * same turn how it read it. A date in the future is refused. When the whole period lies more than a
 * year ago the citizen hears, in plain words with a link, that the gemeente may decline it, and may
 * file anyway. Options: `{ only?: boolean }` (correction: ask straight away).
 * Result: `{ continue: boolean }`.
 */
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { isMoreThanAYearAgo } from '../src/understanding/dates';
import { setDate } from './draft';
import { ASK_PROMPT, WATERFALL, WHEN_DIALOG } from './ids';
import { ask, AskPrompt, yesNo, type Answer } from './prompts';
import { facts, type DialogServices } from './services';
import { whenText } from './show';
import { toAmsterdamDate } from '../src/domain/workingDays';
import { say, turnNow, turnUnderstanding } from './turn';

export class WhenDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(WHEN_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(
      new WaterfallDialog(WATERFALL, [this.askStep.bind(this), this.recordStep.bind(this), this.yearStep.bind(this), this.oldStep.bind(this)]),
    );
    this.initialDialogId = WATERFALL;
  }

  private async askStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const only = (step.options as { only?: boolean } | undefined)?.only;
    if (!only && draft.incidentDateText !== undefined) return step.next({ text: '', choice: 'known' } satisfies Answer);
    return ask(step, ASK_PROMPT, { key: 'when.ask', check: 'date', giveUpAfter: 3 });
  }

  private async recordStep(step: WaterfallStepContext) {
    const answer = step.result as Answer;
    if (answer.choice === 'known') return step.next();
    const draft = await this.services.drafts.get(step.context);
    if (answer.failed) {
      setDate(draft, { text: answer.text });
      await say(step.context, 'when.keptAsTyped');
    } else if (answer.date) {
      setDate(draft, { ...answer.date, text: answer.text });
      // say back in this turn how the date was read: a day, a period, or kept as the citizen wrote it
      await say(step.context, answer.date.from ? 'when.readAs' : 'when.keptVague', { when: whenText(step.context, draft) });
    } else {
      setDate(draft, { text: answer.text });
    }
    return step.next();
  }

  private async yearStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const from = draft.incidentDateFrom ?? draft.incidentDate ?? undefined;
    // judged on the end of the period
    if (from && isMoreThanAYearAgo({ text: '', from, to: draft.incidentDateTo ?? from }, turnNow(step.context))) {
      return ask(step, ASK_PROMPT, {
        key: 'when.overAYear',
        vars: { ...facts(this.services.municipality, step.context), when: whenText(step.context, draft) },
        choices: yesNo({ yes: 'when.fileAnyway', no: 'when.dontFile' }),
        freeText: true,
      });
    }
    return step.endDialog({ continue: true });
  }

  private async oldStep(step: WaterfallStepContext) {
    const answer = step.result as Answer;
    // "nee, het was 3 maart 2026": a correction of the date, not a no; said back and checked again
    const date = turnUnderstanding(step.context).fields.date;
    if (date?.from && date.from <= toAmsterdamDate(turnNow(step.context))) {
      const draft = await this.services.drafts.get(step.context);
      setDate(draft, date);
      await say(step.context, 'when.readAs', { when: whenText(step.context, draft) });
      return step.replaceDialog(WATERFALL);
    }
    if (answer.choice === 'yes') return step.endDialog({ continue: true });
    if (answer.choice === 'no') return step.endDialog({ continue: false });
    await say(step.context, 'errors.choice');
    return step.replaceDialog(WATERFALL);
  }
}

