/**
 * The root dialog. Runs the intake, and acts on what the understanding step found in each message
 * (see turnUnderstanding): help, stop, restart, asking for a person, another language, a common
 * question, goodbye, a language the bot does not speak; after each the conversation carries on where
 * it was. Every field an answer gives besides the one asked goes into the draft here, so no question
 * is asked for something the citizen already said.
 */
import {
  ComponentDialog,
  DialogSet,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { MessageFactory, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { Locale } from '../src/domain/routes';
import { i18nInstance } from '../src/i18n';
import type { Logger } from '../src/logger';
import type { Asked, Understanding } from '../src/understanding/types';
import { CallbackDialog } from './callbackDialog';
import { takeLateCard } from './contactDialog';
import { absorb, type DraftField } from './draft';
import { CALLBACK_DIALOG, INTAKE_DIALOG, MAIN_DIALOG, MAIN_WATERFALL } from './ids';
import { IntakeDialog } from './intakeDialog';
import { fieldValue, placeLabel } from './show';
import { matchChoice, yesNo } from './prompts';
import { normalise } from './text';
import { facts, type DialogServices } from './services';
import { LOCALE_KEY, pressedButton, previousAsked, say, setAsked, tr, turnUnderstanding, withButtons } from './turn';

export interface MainServices extends DialogServices {
  /** remembers the language the citizen chose */
  setLocale(context: TurnContext, locale: Locale): Promise<void>;
}

export interface MainOptions {
  /** the message that started the dialog, if any */
  text?: string;
  /** the citizen asked for a person before telling anything */
  callbackFirst?: boolean;
}

/** The field a question asks (its dialog records it itself). */
const FIELD_ASKED: Partial<Record<Asked, DraftField>> = {
  when: 'when',
  where: 'place',
  who: 'person',
  solution: 'solution',
};
/** Contact questions: the contact dialog takes every contact field of the answer itself. */
const CONTACT_ASKED: Asked[] = ['name', 'phone', 'address', 'street', 'postcode', 'city', 'email'];
const CONTACT_FIELDS: DraftField[] = ['name', 'phone', 'address', 'email'];

const NOTHING_MORE = ['dat was het', 'dat is alles', 'klaar', 'niets', 'nee dank u', 'nee dank je', 'nee bedankt', 'no thanks', 'no thank you', "that's all", 'thats all', 'nothing', 'nothing else', 'done'];

/** "Nee", "nee dank je", "dat was het": a short answer that there is nothing more to tell. */
function isNothingMore(text: string): boolean {
  const n = normalise(text);
  if (!n || n.split(' ').length > 4) return false;
  return NOTHING_MORE.map(normalise).includes(n) || matchChoice(text, yesNo())?.value === 'no';
}

const PLAIN_STOP = ['stop', 'stoppen', 'stop maar', 'stop ermee', 'annuleer', 'annuleren', 'afbreken', 'cancel', 'quit', 'exit', 'ik wil stoppen', 'i want to stop'];

const PLAIN_RESTART = ['opnieuw', 'opnieuw beginnen', 'begin opnieuw', 'herstart', 'restart', 'start over', 'start again', 'reset'];

/** "stop", "opnieuw": the command itself, not one read from other words. */
function isPlain(words: string[], text: string): boolean {
  return words.includes(normalise(text));
}

/** The language of a message the bot does not speak ("tr", "pl", "ar"), as the understanding step flags it. */
function unsupportedLanguage(u: Understanding): string | undefined {
  const lang = u.unsupportedLanguage;
  return lang && lang !== 'nl' && lang !== 'en' ? lang : undefined;
}

export class MainDialog extends ComponentDialog {
  constructor(private readonly services: MainServices, log?: Logger) {
    super(MAIN_DIALOG);
    this.addDialog(new IntakeDialog(services, log));
    this.addDialog(new CallbackDialog(services, log));
    this.addDialog(
      new WaterfallDialog(MAIN_WATERFALL, [this.startStep.bind(this), this.intakeStep.bind(this), this.finalStep.bind(this)]),
    );
    this.initialDialogId = MAIN_WATERFALL;
  }

  /** Runs the dialog for a turn (the samples' DialogHelper.run, with the first message passed in). */
  async run(context: TurnContext, accessor: StatePropertyAccessor): Promise<void> {
    const set = new DialogSet(accessor);
    set.add(this);
    const dc = await set.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) {
      await dc.beginDialog(this.id, { text: context.activity.type === 'message' ? context.activity.text : undefined } satisfies MainOptions);
    }
  }

  protected async onBeginDialog(innerDc: DialogContext, options?: MainOptions): Promise<DialogTurnResult> {
    if (options?.text !== undefined) {
      const handled = await this.interrupt(innerDc, false);
      if (handled) return handled;
    }
    return super.onBeginDialog(innerDc, options);
  }

  protected async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    if (innerDc.context.activity.type === 'message') {
      const handled = await this.interrupt(innerDc, true);
      if (handled) return handled;
    }
    return super.onContinueDialog(innerDc);
  }

  /** Acts on what the message means when that is not an answer to the question; undefined: let the dialogs have it. */
  private async interrupt(innerDc: DialogContext, active: boolean): Promise<DialogTurnResult | undefined> {
    const context = innerDc.context;
    const u = turnUnderstanding(context);
    const asked = previousAsked(context);
    const m = this.services.municipality;
    const draft = await this.services.drafts.peek(context);
    const text = typeof context.activity.text === 'string' ? context.activity.text : '';

    // the contact card sent again after the contact questions (at the summary, say): its good values are taken
    if (active && draft?.story && !CONTACT_ASKED.includes(asked as Asked) && (await takeLateCard(context, draft))) return this.reprompt(innerDc);

    if (draft?.confirming) {
      const what = draft.confirming;
      delete draft.confirming;
      const yes = matchChoice(text, yesNo())?.value === 'yes';
      if (what === 'stop' && (yes || u.intent === 'stop' || u.intent === 'goodbye')) return this.stop(innerDc);
      if (what === 'restart' && (yes || u.intent === 'restart')) return this.restart(innerDc);
      await say(context, 'commands.notStopped');
      return this.reprompt(innerDc);
    }

    // "Wilt u nog iets anders melden?" answered with no: a kind goodbye, not a new story
    if (!active && asked === 'more' && isNothingMore(text)) {
      await say(context, 'commands.goodbye', facts(m, context));
      return { status: DialogTurnStatus.complete };
    }

    const lang = unsupportedLanguage(u);
    if (lang) {
      const t = tr(context);
      const lines = [`unsupported.${lang}`].filter((k) => i18nInstance().exists(k)).map((k) => i18nInstance().t(k, { lng: 'nl', ...facts(m, context) }));
      lines.push(t('unsupported.both', facts(m, context)));
      await context.sendActivity(MessageFactory.text(lines.join('\n\n')));
      return active ? this.reprompt(innerDc) : innerDc.beginDialog(MAIN_WATERFALL, {});
    }

    // a button the bot showed is an answer, whatever else its words could mean ("Wanneer", "Een medewerker",
    // "Ja, bel mij terug" at the call offer, "Opnieuw proberen"); only stop and another language still work as words
    const button = pressedButton(context);
    switch (button && !['stop', 'language'].includes(u.intent) ? 'answer' : u.intent) {
      case 'help':
        await say(context, 'commands.help', facts(m, context));
        return active ? this.reprompt(innerDc) : innerDc.beginDialog(MAIN_WATERFALL, {});
      case 'language':
        if (!u.language) return undefined;
        await this.services.setLocale(context, u.language);
        context.turnState.set(LOCALE_KEY, u.language);
        await say(context, 'commands.languageSet');
        return active ? this.reprompt(innerDc) : innerDc.beginDialog(MAIN_WATERFALL, {});
      case 'question': {
        const key = u.question && i18nInstance().exists(`questions.${u.question}`) ? `questions.${u.question}` : 'questions.other';
        await say(context, key, facts(m, context));
        return active ? this.reprompt(innerDc) : innerDc.beginDialog(MAIN_WATERFALL, {});
      }
      case 'stop':
        // inside a correction from the summary, "stop" cancels only the correction (the summary dialog does that)
        if (draft?.correcting) return undefined;
        // at the summary (not the confirmation of the story's details, which also reads corrections) ask first;
        // also when a told complaint would be lost on a stop read from other words than a plain "stop"
        if (draft?.story && ((asked === 'summary' && !draft.inferred?.length) || !isPlain(PLAIN_STOP, text))) return this.confirm(innerDc, 'stop');
        return this.stop(innerDc);
      case 'goodbye':
        if (draft?.correcting) return undefined;
        if (draft?.story && active) return this.confirm(innerDc, 'stop');
        await innerDc.cancelAllDialogs();
        await this.services.drafts.clear(context);
        await say(context, 'commands.goodbye', facts(m, context));
        return { status: DialogTurnStatus.complete };
      case 'restart':
        // what was told is wiped: asked first unless the citizen typed the plain command
        if (draft?.story && active && !isPlain(PLAIN_RESTART, text)) return this.confirm(innerDc, 'restart');
        return this.restart(innerDc);
      case 'person': {
        // "Een medewerker", "de man aan de balie" at "Over wie?" is an answer, not a request for a person
        if (asked === 'who' && u.fields.person) break;
        // "Ik wil graag dat iemand mij terugbelt en uitlegt hoe het zit" at the solution question is the solution;
        // the offer of a call comes right after it anyway. A short request ("bel mij") is a request.
        if (asked === 'solution' && normalise(text).split(' ').length >= 6) break;
        if (draft?.inCallback) return this.reprompt(innerDc);
        if (!active) return innerDc.beginDialog(MAIN_WATERFALL, { callbackFirst: true } satisfies MainOptions);
        return innerDc.beginDialog(CALLBACK_DIALOG, { mode: 'interrupt' });
      }
    }

    // an answer: every field it gives besides the one asked goes into the draft
    if (active && draft?.story && asked && asked !== 'summary' && asked !== 'story' && asked !== 'more') {
      const skip: DraftField[] = CONTACT_ASKED.includes(asked) ? CONTACT_FIELDS : [FIELD_ASKED[asked]].filter((f): f is DraftField => !!f);
      const changed = absorb(draft, u.fields, { skip, overwrite: u.intent === 'correction', placeLabel: placeLabel(context) });
      // said back at once, so the citizen sees what was taken besides the answer
      if (changed.length) {
        const t = tr(context);
        const items = changed.map((f) => `${t(`summary.field.${f}`)}: ${fieldValue(context, draft, f)}`).join('; ');
        await say(context, 'intake.alsoNoted', { items });
      }
    }
    return undefined;
  }

  /** "Weet u zeker dat u wilt stoppen?": the answer comes in the next turn (see `confirming` above). */
  private async confirm(innerDc: DialogContext, what: 'stop' | 'restart'): Promise<DialogTurnResult> {
    const context = innerDc.context;
    const draft = await this.services.drafts.get(context);
    draft.confirming = what;
    const t = tr(context);
    const yes = t(`commands.${what}Yes`);
    const no = t('commands.stopNo');
    setAsked(context, 'more', [yes, no]);
    await context.sendActivity(withButtons(context, t(`commands.${what}Confirm`), [{ title: yes, value: yes }, { title: no, value: no }]));
    return { status: DialogTurnStatus.waiting };
  }

  private async restart(innerDc: DialogContext): Promise<DialogTurnResult> {
    await innerDc.cancelAllDialogs();
    await this.services.drafts.clear(innerDc.context);
    await say(innerDc.context, 'commands.restarted');
    return innerDc.beginDialog(MAIN_WATERFALL, {});
  }

  private async stop(innerDc: DialogContext): Promise<DialogTurnResult> {
    const context = innerDc.context;
    const draft = await this.services.drafts.peek(context);
    await innerDc.cancelAllDialogs();
    await this.services.drafts.clear(context);
    await say(context, draft?.callbackId !== undefined ? 'commands.stoppedCallbackKept' : 'commands.stopped', facts(this.services.municipality, context));
    return { status: DialogTurnStatus.complete };
  }

  private async reprompt(innerDc: DialogContext): Promise<DialogTurnResult> {
    await innerDc.repromptDialog();
    return { status: DialogTurnStatus.waiting };
  }

  private async startStep(step: WaterfallStepContext) {
    if ((step.options as MainOptions | undefined)?.callbackFirst) return step.beginDialog(CALLBACK_DIALOG, { mode: 'interrupt' });
    return step.next({ continueIntake: true });
  }

  private async intakeStep(step: WaterfallStepContext) {
    if (!(step.result as { continueIntake: boolean }).continueIntake) {
      await this.services.drafts.clear(step.context);
      return step.endDialog({ outcome: 'callback-only' });
    }
    const options = step.options as MainOptions | undefined;
    return step.beginDialog(INTAKE_DIALOG, { story: options?.callbackFirst ? undefined : options?.text });
  }

  private async finalStep(step: WaterfallStepContext) {
    const outcome = (step.result as { outcome?: string } | undefined)?.outcome;
    if (outcome === 'filed' || outcome === 'referred') {
      await step.context.sendActivity(tr(step.context)('intake.more'));
      setAsked(step.context, 'more');
    }
    return step.endDialog(step.result);
  }
}
