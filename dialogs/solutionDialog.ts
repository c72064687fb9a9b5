/** What would put it right (optional)? Not asked again when the citizen already said it. */
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { ASK_PROMPT, SOLUTION_DIALOG, WATERFALL } from './ids';
import { ask, AskPrompt, SKIP_WORDS, type Answer } from './prompts';
import type { DialogServices } from './services';

export class SolutionDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(SOLUTION_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(new WaterfallDialog(WATERFALL, [this.askStep.bind(this), this.recordStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private async askStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const only = (step.options as { only?: boolean } | undefined)?.only;
    if (!only && draft.solution !== undefined) return step.endDialog();
    return ask(step, ASK_PROMPT, {
      key: 'solution.ask',
      // a skip only when that is all the answer says
      choices: [{ value: 'skip', key: 'choices.skip', synonyms: [...SKIP_WORDS, 'nee', 'no', 'geen', 'none', 'nee hoor', 'no thanks'], exact: true }],
      freeText: true,
      check: 'text',
    });
  }

  private async recordStep(step: WaterfallStepContext) {
    const answer = step.result as Answer;
    const draft = await this.services.drafts.get(step.context);
    draft.solution = answer.choice === 'skip' ? null : String(answer.value ?? answer.text).slice(0, 2000);
    return step.endDialog();
  }
}
