/**
 * Runs one dialog (the contact or the call-back dialog) on its own, with the real parts around it:
 * a real SQLite file, ConversationState over SqliteStorage, the real complaint store and municipality.
 * The host starts the dialog with the options given, and when it ends says "DONE" with the draft's
 * contact details and the dialog's result as JSON, so a test sees exactly what was taken.
 */
import { randomUUID } from 'crypto';
import { ActivityTypes, ConversationState, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogTurnStatus, WaterfallDialog, type Dialog, type DialogState, type WaterfallStepContext } from 'botbuilder-dialogs';
import { StateStorage } from '../../src/bot/stateStorage';
import { DraftStore, type Draft } from '../../dialogs/draft';
import type { DialogServices } from '../../dialogs/services';
import { LOCALE_KEY, NOW_KEY } from '../../dialogs/turn';
import type { Locale } from '../../src/domain/routes';
import { loadMunicipality } from '../../src/municipality';
import { ComplaintStore } from '../../src/store/complaintStore';
import { openStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import { NOW, tempDbFile } from '../helpers/harness';

class Root extends ComponentDialog {
  constructor(id: string) {
    super(id);
    this.initialDialogId = 'rootSteps';
  }
}

export interface HostOptions {
  make: (services: DialogServices) => Dialog;
  /** options for the dialog */
  options?: object;
  /** what the draft holds before the dialog starts */
  draft?: Partial<Draft>;
  channelId?: string;
  locale?: Locale;
}

export class DialogHost {
  adapter!: TestAdapter;
  store!: Store;
  complaints!: ComplaintStore;
  drafts!: DraftStore;
  private tmp!: ReturnType<typeof tempDbFile>;

  static async open(opts: HostOptions): Promise<DialogHost> {
    const h = new DialogHost();
    h.tmp = tempDbFile();
    h.store = await openStore(`sqlite:${h.tmp.file}`, { clock: () => NOW });
    h.complaints = new ComplaintStore(h.store);
    const state = new ConversationState(new StateStorage(h.store.conversationState));
    h.drafts = new DraftStore(state.createProperty<Draft | undefined>('draft'));
    const services: DialogServices = { drafts: h.drafts, filer: h.complaints, municipality: loadMunicipality() };
    const dialog = opts.make(services);
    const root = new Root('root');
    root.addDialog(dialog);
    root.addDialog(
      new WaterfallDialog('rootSteps', [
        async (step: WaterfallStepContext) => {
          const draft = await h.drafts.get(step.context);
          Object.assign(draft, JSON.parse(JSON.stringify(opts.draft ?? {})));
          return step.beginDialog(dialog.id, opts.options);
        },
        async (step: WaterfallStepContext) => {
          const draft = await h.drafts.get(step.context);
          await step.context.sendActivity(`DONE ${JSON.stringify({ contact: draft.contact, result: step.result ?? null })}`);
          return step.endDialog();
        },
      ]),
    );
    const set = new DialogSet(state.createProperty<DialogState>('dialogState'));
    set.add(root);
    h.adapter = new TestAdapter(
      async (context: TurnContext) => {
        context.turnState.set(LOCALE_KEY, opts.locale ?? 'nl');
        context.turnState.set(NOW_KEY, () => NOW);
        const dc = await set.createContext(context);
        const r = await dc.continueDialog();
        if (r.status === DialogTurnStatus.empty) await dc.beginDialog('root');
        await state.saveChanges(context, false);
      },
      { channelId: opts.channelId ?? 'test', locale: opts.locale === 'en' ? 'en-US' : 'nl-NL', conversation: { id: 'conv-1' } } as Partial<Activity>,
    );
    return h;
  }

  async send(input: string | Partial<Activity>): Promise<Partial<Activity>[]> {
    const activity = typeof input === 'string' ? { type: ActivityTypes.Message, text: input } : { type: ActivityTypes.Message, ...input };
    await this.adapter.send({ id: randomUUID(), ...activity }).startTest();
    return this.adapter.activeQueue.splice(0);
  }

  /** The texts of the bot's answer to one message, joined. */
  async say(input: string | Partial<Activity>): Promise<string> {
    return (await this.send(input)).map((a) => a.text ?? '').join('\n---\n');
  }

  /** What the DONE line says, or undefined when the dialog is still running. */
  static done(text: string): { contact: Record<string, unknown>; result: unknown } | undefined {
    const m = /DONE (\{.*\})$/s.exec(text);
    return m ? JSON.parse(m[1]) : undefined;
  }

  async close(): Promise<void> {
    await this.store.close();
    this.tmp.cleanup();
  }
}
