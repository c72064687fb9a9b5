/**
 * The root dialog. Runs the intake, and handles what works at any point: help, stop, restart,
 * asking for a person, and switching language; after each the conversation carries on where it was.
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
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Locale } from '../src/domain/routes';
import type { Logger } from '../src/logger';
import { CallbackDialog } from './callbackDialog';
import { detectCommand, type Command } from './commands';
import { CALLBACK_DIALOG, INTAKE_DIALOG, MAIN_DIALOG, MAIN_WATERFALL } from './ids';
import { IntakeDialog } from './intakeDialog';
import { facts, type DialogServices } from './services';
import { LOCALE_KEY, say, tr } from './turn';

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
    const command = detectCommand(options?.text);
    if (command) return this.handle(innerDc, command, false);
    return super.onBeginDialog(innerDc, options);
  }

  protected async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const a = innerDc.context.activity;
    const command = a.type === 'message' ? detectCommand(a.text) : undefined;
    if (command) return this.handle(innerDc, command, true);
    return super.onContinueDialog(innerDc);
  }

  private async handle(innerDc: DialogContext, command: Command, active: boolean): Promise<DialogTurnResult> {
    const context = innerDc.context;
    const m = this.services.municipality;
    switch (command.kind) {
      case 'help':
        await say(context, 'commands.help', facts(m, context));
        return active ? this.reprompt(innerDc) : innerDc.beginDialog(MAIN_WATERFALL, {});
      case 'language':
        await this.services.setLocale(context, command.locale);
        context.turnState.set(LOCALE_KEY, command.locale);
        await say(context, 'commands.languageSet');
        return active ? this.reprompt(innerDc) : innerDc.beginDialog(MAIN_WATERFALL, {});
      case 'stop': {
        const draft = await this.services.drafts.peek(context);
        await innerDc.cancelAllDialogs();
        await this.services.drafts.clear(context);
        await say(context, draft?.callbackId !== undefined ? 'commands.stoppedCallbackKept' : 'commands.stopped', facts(m, context));
        return { status: DialogTurnStatus.complete };
      }
      case 'restart':
        await innerDc.cancelAllDialogs();
        await this.services.drafts.clear(context);
        await say(context, 'commands.restarted');
        return innerDc.beginDialog(MAIN_WATERFALL, {});
      case 'person': {
        const draft = await this.services.drafts.peek(context);
        if (draft?.inCallback) return this.reprompt(innerDc);
        if (!active) return innerDc.beginDialog(MAIN_WATERFALL, { callbackFirst: true } satisfies MainOptions);
        return innerDc.beginDialog(CALLBACK_DIALOG, { mode: 'interrupt' });
      }
    }
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
    if (outcome === 'filed' || outcome === 'referred') await step.context.sendActivity(tr(step.context)('intake.more'));
    return step.endDialog(step.result);
  }
}
