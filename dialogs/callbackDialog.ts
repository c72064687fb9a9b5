/**
 * A call with a klachtenfunctionaris: offered before sending, and whenever the citizen asks for a
 * person. Takes a short topic (from the story when there is one, else asked), a phone number and a
 * part of day on one of the next working days (times in Dutch time), and stores the request at once,
 * with or without the complaint. The citizen gets a reference for it, as for a complaint.
 * In a personal Teams chat, when the name is not known yet, the name of the Teams profile is offered
 * and used only after a clear yes (as in the contact dialog).
 * Options: `{ mode: 'offer' | 'interrupt' }`. In 'interrupt' mode it first asks whether the citizen
 * wants a call back, and afterwards whether to go on with the complaint.
 * Result: `{ continueIntake: boolean }`.
 */
import type { TurnContext } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { CallbackRequest } from '../src/domain/complaint';
import type { Draft } from './draft';
import { formatDate } from '../src/domain/dates';
import { nextWorkingDays } from '../src/domain/workingDays';
import { CALLBACK_DIALOG, ASK_PROMPT, WATERFALL } from './ids';
import { ask, AskPrompt, yesNo, type Answer } from './prompts';
import { decide, SUGGESTION } from './profileSuggestion';
import { turnProfileSuggestion } from '../src/teams/profile';
import { facts, origin, type DialogServices } from './services';
import { tr, turnLocale, turnNow, vals } from './turn';
import type { Logger } from '../src/logger';
import { citizenText } from './text';
import { nameAndPhone } from './contactDialog';

type Mode = 'offer' | 'interrupt';

const NAME_LOOP = 'callbackName';

/**
 * A short topic from a story: its first sentence, cut at a word to at most 80 characters
 * ("Ik heb drie keer gebeld over mijn paspoort en niemand belde terug, de medewerker ..." ->
 * "Ik heb drie keer gebeld over mijn paspoort en niemand belde terug, de ...").
 */
export function topicFrom(story: string): string | undefined {
  const first = story.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s/)[0] ?? '';
  if (first.length < 2) return undefined;
  if (first.length <= 80) return first.replace(/[.!]+$/, '');
  const cut = first.slice(0, 80);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 40)).replace(/[,;:]$/, '')} …`;
}

/** CET or CEST: the Dutch time zone on a day (the call times are Dutch time). */
export function amsterdamZone(isoDate: string): string {
  const noon = new Date(`${isoDate}T12:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', timeZoneName: 'short' }).formatToParts(noon);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? 'CET';
}

/**
 * Stores a call-back request once per intake step (draft.callbackSeq), keeps it in the draft and tells the
 * citizen the day, part of day and reference, or that it failed. Returns whether it was stored. Used by
 * this dialog and by the contact card's "Bel mij terug".
 */
export async function storeCallback(context: TurnContext, services: DialogServices, draft: Draft, request: CallbackRequest, log?: Logger): Promise<boolean> {
  const t = tr(context);
  const m = services.municipality;
  let reference: string;
  try {
    draft.callbackSeq = (draft.callbackSeq ?? 0) + 1;
    const stored = await services.filer.fileCallback(request, origin(context), `${draft.intakeId}:callback:${draft.callbackSeq}`);
    reference = stored.reference;
    draft.callback = request;
    draft.callbackId = stored.id;
    draft.callbackReference = reference;
    log?.info({ event: 'callback.requested', callbackId: stored.id }, 'call-back request stored');
  } catch (err) {
    log?.error({ event: 'callback.failed', err: { message: (err as Error).message } }, 'call-back request not stored');
    await context.sendActivity(t('callback.failed', facts(m, context)));
    return false;
  }
  await context.sendActivity(
    t('callback.stored', {
      date: { $date: request.date },
      part: m.callbackParts[request.partOfDay][turnLocale(context)],
      phone: { $phone: request.phone },
      topic: citizenText(request.topic),
      reference,
      zone: amsterdamZone(request.date),
    }),
  );
  return true;
}

export class CallbackDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices, private readonly log?: Logger) {
    super(CALLBACK_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        this.offerStep.bind(this),
        this.topicStep.bind(this),
        this.nameStep.bind(this),
        this.nameCheckStep.bind(this),
        this.phoneStep.bind(this),
        this.dayStep.bind(this),
        this.partStep.bind(this),
        this.storeStep.bind(this),
        this.continueStep.bind(this),
        this.endStep.bind(this),
      ]),
    );
    this.addDialog(new WaterfallDialog(NAME_LOOP, [this.askNameStep.bind(this), this.readNameStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private mode(step: WaterfallStepContext): Mode {
    return ((step.options as { mode?: Mode } | undefined)?.mode ?? 'interrupt') as Mode;
  }

  private async offerStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    draft.inCallback = true;
    if (this.mode(step) === 'offer') return step.next({ text: '', choice: 'yes' } satisfies Answer);
    return ask(step, ASK_PROMPT, {
      key: 'callback.offer',
      vars: facts(this.services.municipality, step.context),
      choices: yesNo({ yes: 'callback.yes', no: 'callback.no' }),
    });
  }

  /** What the call is about: a few words from the story, or asked when there is no story yet. */
  private async topicStep(step: WaterfallStepContext) {
    if ((step.result as Answer).choice !== 'yes') {
      await step.context.sendActivity(tr(step.context)('callback.declined', facts(this.services.municipality, step.context)));
      return this.finish(step, true);
    }
    const draft = await this.services.drafts.get(step.context);
    const fromStory = draft.story ? topicFrom(draft.story) : undefined;
    if (fromStory) return step.next({ text: fromStory, value: fromStory } satisfies Answer);
    return ask(step, ASK_PROMPT, { key: 'callback.askTopic', check: 'text', asked: 'more' });
  }

  private async nameStep(step: WaterfallStepContext) {
    // a topic too short to say anything ("x") becomes "uw klacht"
    vals(step).topic = topicFrom(String((step.result as Answer).value ?? (step.result as Answer).text)) ?? tr(step.context)('callback.topicDefault');
    const draft = await this.services.drafts.get(step.context);
    if (draft.contact.name) return step.next({ text: draft.contact.name, value: draft.contact.name } satisfies Answer);
    const suggested = (await turnProfileSuggestion(step.context))?.name;
    if (suggested) {
      vals(step).suggested = suggested;
      return ask(step, ASK_PROMPT, {
        key: 'callback.suggestName',
        vars: { name: citizenText(suggested) },
        check: 'name',
        choices: SUGGESTION.name,
        freeText: true,
      });
    }
    return step.beginDialog(NAME_LOOP);
  }

  /** "Wat is uw naam?", any text: the answer is read for a name and a phone number given with it; asked again until a name comes. */
  private async askNameStep(step: WaterfallStepContext) {
    const reason = (step.options as { reason?: string } | undefined)?.reason;
    if (reason) await step.context.sendActivity(tr(step.context)(reason));
    return ask(step, ASK_PROMPT, { key: 'contact.ask.name', check: 'text', asked: 'name' });
  }

  private async readNameStep(step: WaterfallStepContext) {
    const got = await nameAndPhone(step.context, (step.result as Answer).text);
    if (got.phone) (await this.services.drafts.get(step.context)).contact.phone = got.phone;
    if (got.name) return step.endDialog({ text: got.name, value: got.name } satisfies Answer);
    return step.replaceDialog(NAME_LOOP, { reason: got.reason });
  }

  /** The answer to the profile name, if one was offered: yes takes it, a typed name wins, doubt asks. */
  private async nameCheckStep(step: WaterfallStepContext) {
    const suggested = vals(step).suggested as string | undefined;
    const answer = step.result as Answer;
    if (!suggested) return step.next(answer);
    const decision = decide('name', answer);
    if (decision.take === 'suggestion') return step.next({ text: suggested, value: suggested } satisfies Answer);
    if (decision.take === 'typed') return step.next({ text: decision.value, value: decision.value } satisfies Answer);
    return step.beginDialog(NAME_LOOP);
  }

  private async phoneStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    draft.contact.name = String((step.result as Answer).value);
    if (draft.contact.phone) return step.next({ text: draft.contact.phone, value: draft.contact.phone } satisfies Answer);
    return ask(step, ASK_PROMPT, { key: 'callback.askPhone', check: 'phone' });
  }

  private async dayStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    draft.contact.phone = String((step.result as Answer).value);
    const days = nextWorkingDays(turnNow(step.context), 3);
    vals(step).days = days;
    return ask(step, ASK_PROMPT, {
      key: 'callback.askDay',
      choices: days.map((d, i) => ({
        value: d,
        title: formatDate(d, turnLocale(step.context)),
        synonyms: [formatDate(d, 'nl'), formatDate(d, 'en'), ...(i === 0 ? ['morgen', 'tomorrow'] : [])],
      })),
    });
  }

  private async partStep(step: WaterfallStepContext) {
    vals(step).date = (step.result as Answer).choice;
    const m = this.services.municipality;
    return ask(step, ASK_PROMPT, {
      key: 'callback.askPart',
      vars: { zone: amsterdamZone(vals(step).date as string) },
      choices: (['morning', 'afternoon'] as const).map((p) => ({
        value: p,
        title: m.callbackParts[p][turnLocale(step.context)],
        synonyms: [m.callbackParts[p].nl, m.callbackParts[p].en, ...(p === 'morning' ? ['ochtend', 'morning', 'smorgens'] : ['middag', 'afternoon', 'smiddags'])],
      })),
    });
  }

  private async storeStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const partOfDay = (step.result as Answer).choice as 'morning' | 'afternoon';
    const request = { name: draft.contact.name!, phone: draft.contact.phone!, date: vals(step).date as string, partOfDay, topic: vals(step).topic as string };
    if (!(await storeCallback(step.context, this.services, draft, request, this.log))) return this.finish(step, true);
    if (this.mode(step) === 'offer') return this.finish(step, true);
    return ask(step, ASK_PROMPT, {
      key: draft.story ? 'callback.continue' : 'callback.alsoComplaint',
      choices: yesNo({ yes: draft.story ? 'callback.continueYes' : 'choices.yes', no: draft.story ? 'callback.continueNo' : 'choices.no' }),
    });
  }

  private async continueStep(step: WaterfallStepContext) {
    const yes = (step.result as Answer).choice === 'yes';
    if (!yes) await step.context.sendActivity(tr(step.context)('callback.bye'));
    return this.finish(step, yes);
  }

  private async endStep(step: WaterfallStepContext) {
    return this.finish(step, true);
  }

  private async finish(step: WaterfallStepContext, continueIntake: boolean) {
    const draft = await this.services.drafts.get(step.context);
    draft.inCallback = false;
    return step.endDialog({ continueIntake });
  }
}
