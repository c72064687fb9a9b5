/**
 * The server side of the intake benchmark, run as a child process so that client and server each
 * get a core: `node dist/src/bench/server.js bot <dbFile>` runs the product; `... echo` runs a plain
 * echo bot on the same restify + CloudAdapter stack, for comparison; `... dialog` runs the least a
 * botbuilder-dialogs bot with durable state does (one ComponentDialog, a waterfall of TextPrompts,
 * ConversationState over the same SqliteStorage; no validation, de-duplication or transcript), to show
 * what the framework itself costs per turn; `... bot-mail` runs the product with e-mail on, to the SMTP server
 * at BENCH_SMTP_URL. Prints `PORT <n>` when ready.
 */
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, type TurnContext } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog, type DialogState, type WaterfallStepContext } from 'botbuilder-dialogs';
import { StateStorage } from '../bot/stateStorage';
import { openStore } from '../store';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { createLogger, type Logger } from '../logger';
import { loadMunicipality } from '../municipality';
import { createServer } from '../server';

/** The minimal dialog: a waterfall of 20 text prompts in one ComponentDialog. */
class Questions extends ComponentDialog {
  constructor() {
    super('questions');
    this.addDialog(new TextPrompt('text'));
    const ask = (i: number) => (step: WaterfallStepContext) => step.prompt('text', `Question ${i}?`);
    this.addDialog(new WaterfallDialog('steps', Array.from({ length: 20 }, (_, i) => ask(i))));
    this.initialDialogId = 'steps';
  }
}

/** The minimal dialog bot: runs Questions and saves conversation state after every turn. */
class DialogBot extends ActivityHandler {
  constructor(private readonly state: ConversationState) {
    super();
    const dialogState = state.createProperty<DialogState>('dialogState');
    const dialog = new Questions();
    this.onMessage(async (context, next) => {
      const set = new DialogSet(dialogState);
      set.add(dialog);
      const dc = await set.createContext(context);
      if ((await dc.continueDialog()).status === DialogTurnStatus.empty) await dc.beginDialog(dialog.id);
      await next();
    });
  }

  async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.state.saveChanges(context, false);
  }
}

/** A reference bot on the stock CloudAdapter, as a plain bot would run. */
function serveReference(bot: ActivityHandler, log: Logger): void {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  // one load generator is every client, as for the product below
  const server = createServer({ adapter, bot, log, health: async () => ({}), apiMessages: { maxPerClientPerMinute: 1_000_000 } });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
  server.listen(0, () => process.stdout.write(`PORT ${(server.address() as { port: number }).port}\n`));
}

async function main(): Promise<void> {
  const [mode, dbFile] = process.argv.slice(2);
  const log = createLogger('silent');
  if (mode === 'echo') {
    const bot = new ActivityHandler();
    bot.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text}`);
      await next();
    });
    serveReference(bot, log);
    return;
  }
  if (mode === 'dialog') {
    const store = await openStore(/^postgres(ql)?:\/\//i.test(dbFile) ? dbFile : `sqlite:${dbFile}`);
    serveReference(new DialogBot(new ConversationState(new StateStorage(store.conversationState))), log);
    return;
  }
  // one load generator on this machine is every "client": no per-client limit on /api/messages here
  // <dbFile> may also be a postgres:// URL (several bench servers on one database: src/bench/intake.ts)
  const databaseUrl = /^postgres(ql)?:\/\//i.test(dbFile) ? dbFile : `sqlite:${dbFile}`;
  // 'bot-mail': e-mail on, to the benchmark's local SMTP server (BENCH_SMTP_URL): the citizen's confirmation
  // with the complaint PDF and the officers' alert for every complaint, sent by the delivery worker
  const mail = mode === 'bot-mail' ? { SMTP_URL: process.env.BENCH_SMTP_URL ?? '', MAIL_FROM: 'Gemeente Amstelveen <klachten@amstelveen.example>' } : {};
  const app = await createApp(
    loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', API_MESSAGES_MAX_PER_CLIENT_PER_MINUTE: '1000000', RETENTION_PURGE_EVERY_HOURS: '0', ...mail }),
    loadMunicipality(),
    { log },
  );
  const port = await app.listen(0);
  // a clean exit on SIGTERM, so that a CPU profile (BENCH_SERVER_NODE_ARGS) is written
  process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
  process.stdout.write(`PORT ${port}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
