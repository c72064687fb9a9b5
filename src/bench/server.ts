/**
 * The server side of the intake benchmark, run as a child process so that client and server each
 * get a core: `node dist/src/bench/server.js bot <dbFile>` runs the product; `... echo` runs a plain
 * echo bot on the same restify + CloudAdapter stack, for comparison; `... dialog` runs the least a
 * botbuilder-dialogs bot with durable state does (one ComponentDialog, a waterfall of TextPrompts,
 * ConversationState over the same SqliteStorage; no validation, de-duplication or transcript), to show
 * what the framework itself costs per turn. Prints `PORT <n>` when ready.
 */
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, type TurnContext } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { SqliteStorage } from '../bot/sqliteStorage';
import { Db } from '../store/db';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
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

async function main(): Promise<void> {
  const [mode, dbFile] = process.argv.slice(2);
  const log = createLogger('silent');
  if (mode === 'echo') {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const bot = new ActivityHandler();
    bot.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text}`);
      await next();
    });
    const server = createServer({ adapter, bot, log, health: async () => ({}) });
    server.listen(0, () => process.stdout.write(`PORT ${(server.address() as { port: number }).port}\n`));
    return;
  }
  if (mode === 'dialog') {
    const state = new ConversationState(await new SqliteStorage(await Db.open(dbFile)).init());
    const dialogState = state.createProperty('dialogState');
    const dialog = new Questions();
    const bot = new ActivityHandler();
    bot.onMessage(async (context, next) => {
      const set = new DialogSet(dialogState);
      set.add(dialog);
      const dc = await set.createContext(context);
      if ((await dc.continueDialog()).status === DialogTurnStatus.empty) await dc.beginDialog('questions');
      await next();
    });
    const run = async (context: TurnContext) => {
      await bot.run(context);
      await state.saveChanges(context, false);
    };
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const server = createServer({ adapter, bot: { run } as unknown as ActivityHandler, log, health: async () => ({}) });
    server.listen(0, () => process.stdout.write(`PORT ${(server.address() as { port: number }).port}\n`));
    return;
  }
  const app = await createApp(loadConfig({ DATABASE_URL: `sqlite:${dbFile}`, LOG_LEVEL: 'silent' }), loadMunicipality(), { log });
  const port = await app.listen(0);
  process.stdout.write(`PORT ${port}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
