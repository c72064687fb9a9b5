/**
 * Shows everything the citizen told, lets them correct any field, and files the complaint after an
 * explicit confirmation. A correction in the citizen's own words ("mijn telefoonnummer is fout, het
 * moet 06-33445577 zijn", "de datum moet 15 oktober zijn") changes the field directly; naming only
 * the field ("het adres klopt niet") asks that field again. "Stop" inside a correction cancels only
 * the correction. A failed filing is told to the citizen; everything stays in the draft, and the
 * summary comes back so they can try again.
 * Result: `{ reference: string }` when filed, `{ stopped: true }` when the citizen stops here.
 */
import {
  ComponentDialog,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { MessageFactory, type TurnContext } from 'botbuilder';
import type { ComplaintInput } from '../src/domain/complaint';
import type { Logger } from '../src/logger';
import { FIELD_WORDS } from './detailsDialog';
import { absorb, DRAFT_FIELDS, setStory, type Draft, type DraftField } from './draft';
import { ASK_PROMPT, CONTACT_DIALOG, PERSON_DIALOG, PLACE_DIALOG, SOLUTION_DIALOG, SUMMARY_DIALOG, WATERFALL, WHEN_DIALOG } from './ids';
import { ask, AskPrompt, isBareYesOrNo, matchChoice, type Answer, type ChoiceSpec } from './prompts';
import { facts, origin, type DialogServices } from './services';
import { amsterdamZone } from './callbackDialog';
import { fieldValue, placeLabel } from './show';
import { normalise } from './text';
import { say, tr, turnUnderstanding } from './turn';

const ACTIONS: ChoiceSpec[] = [
  { value: 'send', key: 'summary.send', synonyms: ['ja', 'yes', 'versturen', 'verstuur', 'send', 'klopt', 'ok', 'akkoord', 'ja versturen', 'ja klopt'] },
  { value: 'change', key: 'summary.change', synonyms: ['aanpassen', 'wijzigen', 'veranderen', 'change', 'edit', 'correct', 'nee', 'no', 'iets aanpassen'] },
];

type Field = DraftField | 'story';
const FIELDS: Field[] = ['story', ...DRAFT_FIELDS];
const FIELD_CHOICES: ChoiceSpec[] = FIELDS.map((f) => ({ value: f, key: `summary.field.${f}` }));

/** The one field a free-worded correction names ("mijn telefoonnummer is fout"), if exactly one. */
function namedField(text: string): Field | undefined {
  const padded = ` ${normalise(text)} `;
  const hits = FIELDS.filter((f) => FIELD_WORDS[f].some((w) => padded.includes(` ${normalise(w)} `)));
  return hits.length === 1 ? hits[0] : undefined;
}

export class SummaryDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices, private readonly log?: Logger) {
    super(SUMMARY_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        this.showStep.bind(this),
        this.actionStep.bind(this),
        this.correctStep.bind(this),
        this.againStep.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  /** "Stop" (or "cancel") while correcting a field cancels only that correction: the summary comes back. */
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
    await step.context.sendActivity(MessageFactory.text(summaryText(step.context, draft)));
    return ask(step, ASK_PROMPT, { key: 'summary.ask', choices: ACTIONS, freeText: true, asked: 'summary' });
  }

  private async actionStep(step: WaterfallStepContext) {
    const answer = step.result as Answer;
    const exact = matchChoice(answer.text, ACTIONS.map((c) => ({ ...c, exact: true })));
    if (exact?.value === 'send' || (answer.choice === 'send' && isBareYesOrNo(answer.text))) return this.file(step);
    if (exact?.value === 'change') return this.askWhich(step);
    // a correction in the citizen's words: change the fields it gives, then show the summary again
    const draft = await this.services.drafts.get(step.context);
    const changed = absorb(draft, turnUnderstanding(step.context).fields, { overwrite: true, placeLabel: placeLabel(step.context) });
    if (changed.length) {
      await say(step.context, 'summary.changed');
      return step.replaceDialog(WATERFALL);
    }
    const field = namedField(answer.text);
    if (field) return step.next({ text: answer.text, choice: field } satisfies Answer);
    if (answer.choice === 'send') return this.file(step);
    return this.askWhich(step);
  }

  private async askWhich(step: WaterfallStepContext) {
    (await this.services.drafts.get(step.context)).correcting = true;
    // unclear twice: back to the summary
    return ask(step, ASK_PROMPT, { key: 'summary.which', choices: FIELD_CHOICES, giveUpAfter: 2 });
  }

  private async correctStep(step: WaterfallStepContext) {
    const field = (step.result as Answer).choice as Field | undefined;
    if (!field) return step.replaceDialog(WATERFALL);
    (await this.services.drafts.get(step.context)).correcting = true;
    switch (field) {
      case 'story':
        return ask(step, ASK_PROMPT, { key: 'summary.newStory', check: 'story' });
      case 'when':
        return step.beginDialog(WHEN_DIALOG, { only: true });
      case 'place':
        return step.beginDialog(PLACE_DIALOG, { only: true });
      case 'person':
        return step.beginDialog(PERSON_DIALOG, { only: true });
      case 'solution':
        return step.beginDialog(SOLUTION_DIALOG, { only: true });
      case 'address':
        return step.beginDialog(CONTACT_DIALOG, { fields: ['street', 'postcode', 'city'], correcting: true });
      default:
        return step.beginDialog(CONTACT_DIALOG, { fields: [field], correcting: true });
    }
  }

  private async againStep(step: WaterfallStepContext) {
    const answer = step.result as Answer | undefined;
    const draft = await this.services.drafts.get(step.context);
    draft.correcting = false;
    if (answer && typeof answer === 'object' && 'text' in answer && answer.value) setStory(draft, String(answer.value));
    return step.replaceDialog(WATERFALL);
  }

  private async file(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const t = tr(step.context);
    try {
      const result = await this.services.filer.file(complaintInput(draft), origin(step.context), draft.intakeId, draft.callbackId);
      this.log?.info({ event: 'complaint.filed', created: result.created, channel: step.context.activity.channelId }, 'complaint filed');
      return step.endDialog({ reference: result.reference });
    } catch (err) {
      this.log?.error({ event: 'complaint.fileFailed', err: { message: (err as Error).message } }, 'complaint not filed');
      await step.context.sendActivity(t('summary.fileFailed', facts(this.services.municipality, step.context)));
      return step.replaceDialog(WATERFALL);
    }
  }
}

/**
 * The draft as the complaint to file. A period ("eind oktober") is filed as its first and last day,
 * with no single day; the citizen's words are kept as typed.
 */
export function complaintInput(d: Draft): ComplaintInput {
  return {
    route: d.route ?? 'complaint',
    story: d.story ?? '',
    incidentDate: d.incidentDate ?? null,
    incidentDateFrom: d.incidentDateFrom ?? null,
    incidentDateTo: d.incidentDateTo ?? null,
    incidentDateText: (d.incidentDateText ?? '').slice(0, 200),
    placeKind: d.placeKind ?? null,
    place: d.place ?? '',
    personKind: d.personKind ?? null,
    person: d.person ?? null,
    solution: d.solution ?? null,
    contact: { ...d.contact, email: d.contact.email ?? null } as ComplaintInput['contact'],
    callback: d.callback ?? null,
  };
}

export function summaryText(context: TurnContext, d: Draft): string {
  const t = tr(context);
  const lines = [t('summary.title'), '', ...FIELDS.map((f) => `- ${t(`summary.field.${f}`)}: ${fieldValue(context, d, f)}`)];
  if (d.callback) {
    // call times are Dutch time; the request's own reference once it was given
    const vars = { date: { $date: d.callback.date }, part: t(`callback.part.${d.callback.partOfDay}`), zone: amsterdamZone(d.callback.date), reference: d.callbackReference };
    const m = t(d.callbackReference ? 'summary.callbackWithReference' : 'summary.callback', vars);
    lines.push(`- ${t('summary.field.callback')}: ${m}`);
  }
  return lines.join('\n');
}
