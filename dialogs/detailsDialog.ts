/**
 * Confirms, in one question, what the bot took from the story without asking: the date (said back
 * as the day or period it was read as), the place, the person, and any contact details. A yes keeps
 * them all; a free-worded correction ("nee, het was bij de balie", "het was 15 oktober") changes the
 * field directly and shows the list again; a plain no asks which one is wrong, and that one is asked
 * again later. Result: none (the draft holds everything).
 */
import { ComponentDialog, WaterfallDialog, type DialogContext, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { absorb, clearField, DRAFT_FIELDS, type DraftField } from './draft';
import { ASK_PROMPT, DETAILS_DIALOG, WATERFALL } from './ids';
import { ask, AskPrompt, isBareYesOrNo, type Answer, type ChoiceSpec } from './prompts';
import type { DialogServices } from './services';
import { fieldValue, placeLabel, whenText } from './show';
import { citizenText } from './text';
import { say, tr, turnUnderstanding, vals } from './turn';

const CONFIRM: ChoiceSpec[] = [
  { value: 'yes', key: 'details.yes', synonyms: ['ja', 'yes', 'klopt', 'ja klopt', 'correct', 'ok', 'oke', 'prima', 'goed', 'that s right', 'right'] },
  { value: 'no', key: 'details.no', synonyms: ['nee', 'no', 'klopt niet', 'niet', 'not right', 'wrong'] },
];

export class DetailsDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(DETAILS_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(new WaterfallDialog(WATERFALL, [this.showStep.bind(this), this.answerStep.bind(this), this.whichStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  /** "Annuleren" while saying which detail is wrong cancels only that: the details are shown again. */
  protected async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const draft = await this.services.drafts.peek(innerDc.context);
    const intent = turnUnderstanding(innerDc.context).intent;
    if (draft?.correcting && (intent === 'stop' || intent === 'goodbye')) {
      draft.correcting = false;
      await innerDc.cancelAllDialogs();
      await say(innerDc.context, 'summary.correctionCancelled');
      return innerDc.beginDialog(WATERFALL);
    }
    return super.onContinueDialog(innerDc);
  }

  private async showStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    draft.correcting = false;
    const fields = DRAFT_FIELDS.filter((f) => draft.inferred?.includes(f));
    if (fields.length === 0) return step.endDialog();
    const t = tr(step.context);
    const value = (f: DraftField) =>
      // the date as the citizen put it and how the bot read it: "gisteren, dat is maandag 23 november 2026"
      f === 'when' && draft.incidentDateFrom && draft.incidentDateText
        ? t('when.said', { text: citizenText(draft.incidentDateText), when: whenText(step.context, draft) })
        : fieldValue(step.context, draft, f);
    const list = fields.map((f) => `- ${t(`summary.field.${f}`)}: ${value(f)}`).join('\n');
    return ask(step, ASK_PROMPT, { key: 'details.confirm', vars: { list }, choices: CONFIRM, freeText: true, asked: 'summary' });
  }

  private async answerStep(step: WaterfallStepContext) {
    const answer = step.result as Answer;
    const draft = await this.services.drafts.get(step.context);
    if (answer.choice === 'yes' && isBareYesOrNo(answer.text)) return this.done(step);
    // a correction in the citizen's words changes the field straight away
    const changed = absorb(draft, turnUnderstanding(step.context).fields, { overwrite: true, markInferred: true, placeLabel: placeLabel(step.context) });
    if (changed.length) {
      await say(step.context, 'details.changed');
      return step.replaceDialog(WATERFALL);
    }
    if (answer.choice === 'yes') return this.done(step);
    const fields = DRAFT_FIELDS.filter((f) => draft.inferred?.includes(f));
    if (fields.length === 1) return step.next({ text: '', choice: fields[0] } satisfies Answer);
    vals(step).fields = fields;
    draft.correcting = true;
    return ask(step, ASK_PROMPT, {
      key: 'details.which',
      choices: fields.map((f) => ({ value: f, key: `summary.field.${f}`, synonyms: FIELD_WORDS[f] })),
      asked: 'summary',
      // unclear twice: the details stand (they can still be changed at the summary)
      giveUpAfter: 2,
    });
  }

  /** The field that is wrong is forgotten: its question comes later; the rest stands. */
  private async whichStep(step: WaterfallStepContext) {
    const field = (step.result as Answer).choice as DraftField | undefined;
    const draft = await this.services.drafts.get(step.context);
    draft.correcting = false;
    if (field) clearField(draft, field);
    return this.done(step);
  }

  private async done(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    delete draft.inferred;
    return step.endDialog();
  }
}

/** Words that name a field, in both languages ("de datum klopt niet", "my phone number is wrong"). */
export const FIELD_WORDS: Record<DraftField | 'story', string[]> = {
  story: ['verhaal', 'wat er gebeurde', 'story', 'what happened'],
  when: ['datum', 'dag', 'wanneer', 'date', 'day', 'when'],
  place: ['plaats waar', 'waar', 'plek', 'locatie', 'where', 'place', 'location'],
  person: ['persoon', 'wie', 'over wie', 'medewerker', 'who', 'person'],
  solution: ['oplossing', 'solution'],
  name: ['naam', 'mijn naam', 'name', 'my name'],
  phone: ['telefoon', 'telefoonnummer', 'nummer', 'mobiel', 'phone', 'phone number', 'number'],
  address: ['adres', 'straat', 'postcode', 'woonplaats', 'huisnummer', 'address', 'street', 'postcode'],
  email: ['e mail', 'email', 'mail', 'e mailadres', 'emailadres', 'mailadres', 'email address'],
};
