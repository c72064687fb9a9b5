/**
 * The server side of the intake benchmark, run as a child process so that client and server each
 * get a core: `node dist/src/bench/server.js bot <dbFile>` runs the product; `... echo` runs a plain
 * echo bot on the same restify + CloudAdapter stack, for comparison. Prints `PORT <n>` when ready.
 */
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { loadMunicipality } from '../municipality';
import { createServer } from '../server';

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
  const app = await createApp(loadConfig({ DATABASE_URL: `sqlite:${dbFile}`, LOG_LEVEL: 'silent' }), loadMunicipality(), { log });
  const port = await app.listen(0);
  process.stdout.write(`PORT ${port}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
