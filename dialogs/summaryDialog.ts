/**
 * Shows everything the citizen told, lets them correct any single field, and files the complaint
 * after an explicit confirmation. A failed filing is told to the citizen; everything stays in the
 * draft, and the summary comes back so they can try again.
 * Result: `{ reference: string }` when filed, `{ stopped: true }` when the citizen stops here.
 */
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { MessageFactory } from 'botbuilder';
import { formatPhone } from '../src/domain/contact';
import { formatDate } from '../src/domain/dates';
import type { Logger } from '../src/logger';
import { CONTACT_DIALOG, PERSON_DIALOG, PLACE_DIALOG, SOLUTION_DIALOG, SUMMARY_DIALOG, WATERFALL, WHEN_DIALOG, ASK_PROMPT } from './ids';
import { setStory, type Draft } from './draft';
import { ask, AskPrompt, type Answer, type ChoiceSpec } from './prompts';
import { facts, origin, type DialogServices } from './services';
import { tr, turnLocale } from './turn';
import type { TurnContext } from 'botbuilder';

const ACTIONS: ChoiceSpec[] = [
  { value: 'send', key: 'summary.send', synonyms: ['ja', 'yes', 'versturen', 'verstuur', 'send', 'klopt', 'ok', 'akkoord'] },
  { value: 'change', key: 'summary.change', synonyms: ['aanpassen', 'wijzigen', 'veranderen', 'change', 'edit', 'correct', 'nee', 'no'] },
];

const FIELDS = ['story', 'when', 'place', 'person', 'solution', 'name', 'phone', 'address', 'email'] as const;
type Field = (typeof FIELDS)[number];
const FIELD_CHOICES: ChoiceSpec[] = FIELDS.map((f) => ({ value: f, key: `summary.field.${f}` }));

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

  private async showStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    await step.context.sendActivity(MessageFactory.text(summaryText(step.context, draft)));
    return ask(step, ASK_PROMPT, { key: 'summary.ask', choices: ACTIONS });
  }

  private async actionStep(step: WaterfallStepContext) {
    const choice = (step.result as Answer).choice;
    if (choice === 'change') return ask(step, ASK_PROMPT, { key: 'summary.which', choices: FIELD_CHOICES });
    return this.file(step);
  }

  private async correctStep(step: WaterfallStepContext) {
    const field = (step.result as Answer).choice as Field;
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
        return step.beginDialog(SOLUTION_DIALOG);
      case 'address':
        return step.beginDialog(CONTACT_DIALOG, { fields: ['street', 'postcode', 'city'], correcting: true });
      default:
        return step.beginDialog(CONTACT_DIALOG, { fields: [field], correcting: true });
    }
  }

  private async againStep(step: WaterfallStepContext) {
    const answer = step.result as Answer | undefined;
    if ((step.result as { continue?: boolean } | undefined)?.continue === false) return step.endDialog({ stopped: true });
    if (answer && typeof answer === 'object' && 'text' in answer && answer.value) {
      setStory(await this.services.drafts.get(step.context), String(answer.value));
    }
    return step.replaceDialog(WATERFALL);
  }

  private async file(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const t = tr(step.context);
    try {
      const input = {
        route: draft.route ?? 'complaint',
        story: draft.story,
        incidentDate: draft.incidentDate ?? null,
        incidentDateText: draft.incidentDateText ?? '',
        placeKind: draft.placeKind ?? null,
        place: draft.place,
        personKind: draft.personKind ?? null,
        person: draft.person ?? null,
        solution: draft.solution ?? null,
        contact: { ...draft.contact, email: draft.contact.email ?? null },
        callback: draft.callback ?? null,
      };
      const result = await this.services.filer.file(input as never, origin(step.context), draft.intakeId, draft.callbackId);
      this.log?.info({ event: 'complaint.filed', created: result.created, channel: step.context.activity.channelId }, 'complaint filed');
      return step.endDialog({ reference: result.reference });
    } catch (err) {
      this.log?.error({ event: 'complaint.fileFailed', err: { message: (err as Error).message } }, 'complaint not filed');
      await step.context.sendActivity(t('summary.fileFailed', facts(this.services.municipality, step.context)));
      return step.replaceDialog(WATERFALL);
    }
  }
}

export function summaryText(context: TurnContext, d: Draft): string {
  const t = tr(context);
  const locale = turnLocale(context);
  const none = t('summary.none');
  const when = d.incidentDate ? formatDate(d.incidentDate, locale) : d.incidentDateText || none;
  const c = d.contact;
  const lines = [
    t('summary.title'),
    '',
    `- ${t('summary.field.story')}: ${d.story ?? none}`,
    `- ${t('summary.field.when')}: ${when}`,
    `- ${t('summary.field.place')}: ${d.place ?? none}`,
    `- ${t('summary.field.person')}: ${d.person ?? none}`,
    `- ${t('summary.field.solution')}: ${d.solution ?? none}`,
    `- ${t('summary.field.name')}: ${c.name ?? none}`,
    `- ${t('summary.field.phone')}: ${c.phone ? formatPhone(c.phone) : none}`,
    `- ${t('summary.field.address')}: ${c.street ?? none}, ${c.postcode ?? ''} ${c.city ?? ''}`.trimEnd(),
    `- ${t('summary.field.email')}: ${c.email ?? none}`,
  ];
  if (d.callback) {
    const m = t('summary.callback', { date: { $date: d.callback.date }, part: t(`callback.part.${d.callback.partOfDay}`) });
    lines.push(`- ${t('summary.field.callback')}: ${m}`);
  }
  return lines.join('\n');
}
