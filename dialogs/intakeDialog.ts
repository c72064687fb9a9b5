/**
 * The intake: what happened, where it belongs, when, where, about whom, a possible solution, the
 * offer of a call, contact details, the summary and the filing, then the acknowledgement.
 * Every field the story gives (the understanding step reads it once) goes into the draft and is said
 * back in the same turn (the summary is its confirmation); two or more missing story details are asked
 * in one question (DetailsDialog); each later dialog asks only what is still missing.
 * Options: `{ story?: string }`: the citizen's first message, used as the story when it is one.
 * Result: `{ outcome: 'filed' | 'referred' | 'declined' | 'stopped' | 'callback-only', reference? }`.
 */
import {
  ComponentDialog,
  DialogReason,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { complaintDeadlines } from '../src/domain/workingDays';
import type { Logger } from '../src/logger';
import { amsterdamZone, CallbackDialog } from './callbackDialog';
import { isIntentOnly } from './commands';
import { ContactDialog } from './contactDialog';
import {
  ASK_PROMPT,
  CALLBACK_DIALOG,
  CONTACT_DIALOG,
  DETAILS_DIALOG,
  INTAKE_DIALOG,
  PERSON_DIALOG,
  PLACE_DIALOG,
  ROUTE_DIALOG,
  SOLUTION_DIALOG,
  SUMMARY_DIALOG,
  WATERFALL,
  WHEN_DIALOG,
} from './ids';
import { PersonDialog } from './personDialog';
import { PlaceDialog } from './placeDialog';
import { DetailsDialog } from './detailsDialog';
import { absorb, setStory } from './draft';
import { ask, AskPrompt, type Answer } from './prompts';
import { RouteDialog } from './routeDialog';
import { notedItems, placeLabel } from './show';
import { facts, type DialogServices } from './services';
import { SolutionDialog } from './solutionDialog';
import { SummaryDialog } from './summaryDialog';
import { WhenDialog } from './whenDialog';
import { Fields } from '../src/domain/complaint';
import { tr, turnNow, turnUnderstanding } from './turn';

export class IntakeDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices, log?: Logger) {
    super(INTAKE_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(new RouteDialog(services));
    this.addDialog(new DetailsDialog(services));
    this.addDialog(new WhenDialog(services));
    this.addDialog(new PlaceDialog(services));
    this.addDialog(new PersonDialog(services));
    this.addDialog(new SolutionDialog(services));
    this.addDialog(new CallbackDialog(services, log));
    this.addDialog(new ContactDialog(services));
    this.addDialog(new SummaryDialog(services, log));
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        this.storyStep.bind(this),
        this.routeStep.bind(this),
        this.detailsStep.bind(this),
        this.whenStep.bind(this),
        this.placeStep.bind(this),
        this.personStep.bind(this),
        this.solutionStep.bind(this),
        this.callOfferStep.bind(this),
        this.callbackStep.bind(this),
        this.contactStep.bind(this),
        this.summaryStep.bind(this),
        this.acknowledgeStep.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  /** A call-back asked for mid-intake may end the intake when the citizen only wants the call. */
  async resumeDialog(dc: DialogContext, reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    if ((result as { continueIntake?: boolean } | undefined)?.continueIntake === false) {
      await this.services.drafts.clear(dc.context);
      return dc.endDialog({ outcome: 'callback-only' });
    }
    return super.resumeDialog(dc, reason, result);
  }

  private async storyStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    if (draft.story) return step.next({ text: draft.story, value: draft.story, choice: 'kept' } satisfies Answer);
    const first = (step.options as { story?: string } | undefined)?.story?.trim();
    if (first && !isIntentOnly(first) && Fields.story.safeParse(first).success && first.split(/\s+/).length >= 5) {
      return step.next({ text: first, value: first } satisfies Answer);
    }
    return ask(step, ASK_PROMPT, { key: 'intake.askStory', check: 'story' });
  }

  /** The story arrived in this turn: every field it gives goes into the draft; one sentence of acknowledgement. */
  private async routeStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const answer = step.result as Answer;
    const u = turnUnderstanding(step.context);
    if (answer.choice !== 'kept') {
      setStory(draft, String(answer.value));
      const noted = absorb(draft, u.fields, { placeLabel: placeLabel(step.context) });
      await step.context.sendActivity(tr(step.context)('intake.ack'));
      // said back in this turn (the date as the day or period it was read as); the summary is their confirmation
      if (noted.length) await step.context.sendActivity(tr(step.context)('details.noted', { items: notedItems(step.context, draft, noted) }));
    }
    return step.beginDialog(ROUTE_DIALOG, { routes: answer.choice === 'kept' ? undefined : u.routes });
  }

  private async detailsStep(step: WaterfallStepContext) {
    if (!(step.result as { continue: boolean }).continue) return this.end(step, 'referred');
    // two or more of when / where / about whom still unknown: asked in one question
    return step.beginDialog(DETAILS_DIALOG);
  }

  private async whenStep(step: WaterfallStepContext) {
    return step.beginDialog(WHEN_DIALOG);
  }

  private async placeStep(step: WaterfallStepContext) {
    if (!(step.result as { continue: boolean }).continue) {
      await step.context.sendActivity(tr(step.context)('when.notFiled'));
      return this.end(step, 'declined');
    }
    return step.beginDialog(PLACE_DIALOG);
  }

  private async personStep(step: WaterfallStepContext) {
    return step.beginDialog(PERSON_DIALOG);
  }

  private async solutionStep(step: WaterfallStepContext) {
    return step.beginDialog(SOLUTION_DIALOG);
  }

  private async callOfferStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    if (draft.callbackId !== undefined) return step.next({ text: '', choice: 'no' } satisfies Answer);
    return ask(step, ASK_PROMPT, {
      key: 'intake.callOffer',
      vars: facts(this.services.municipality, step.context),
      choices: [
        { value: 'yes', key: 'intake.callYes', synonyms: ['ja', 'yes', 'bellen', 'bel mij', 'call'] },
        { value: 'no', key: 'intake.callNo', synonyms: ['nee', 'no', 'verder', 'ga verder', 'continue', 'doorgaan'] },
      ],
      // no endless loop: after two unclear answers the intake goes on without a call (the offer comes back on request)
      giveUpAfter: 2,
    });
  }

  private async callbackStep(step: WaterfallStepContext) {
    if ((step.result as Answer).choice === 'yes') return step.beginDialog(CALLBACK_DIALOG, { mode: 'offer' });
    return step.next();
  }

  private async contactStep(step: WaterfallStepContext) {
    return step.beginDialog(CONTACT_DIALOG);
  }

  private async summaryStep(step: WaterfallStepContext) {
    return step.beginDialog(SUMMARY_DIALOG);
  }

  private async acknowledgeStep(step: WaterfallStepContext) {
    const result = step.result as { reference?: string; stopped?: boolean };
    if (!result?.reference) {
      await step.context.sendActivity(tr(step.context)('commands.stopped'));
      return this.end(step, 'stopped');
    }
    const deadlines = complaintDeadlines(turnNow(step.context));
    await step.context.sendActivity(
      tr(step.context)('intake.filed', {
        ...facts(this.services.municipality, step.context),
        reference: result.reference,
        contactBy: { $date: deadlines.contactBy },
        decideBy: { $date: deadlines.decideBy },
      }),
    );
    // the call-back asked for along the way stands, with its own reference
    const draft = await this.services.drafts.get(step.context);
    if (draft.callback && draft.callbackReference) {
      await step.context.sendActivity(
        tr(step.context)('intake.filedCallback', {
          reference: draft.callbackReference,
          date: { $date: draft.callback.date },
          part: tr(step.context)(`callback.part.${draft.callback.partOfDay}`),
          zone: amsterdamZone(draft.callback.date),
        }),
      );
    }
    await this.services.drafts.clear(step.context);
    return step.endDialog({ outcome: 'filed', reference: result.reference });
  }

  private async end(step: WaterfallStepContext, outcome: string) {
    await this.services.drafts.clear(step.context);
    return step.endDialog({ outcome });
  }
}

