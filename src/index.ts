/** Entry point: reads configuration, wires the app and listens. */
import 'dotenv/config';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { loadMunicipality, MunicipalityError } from './municipality';

async function main(): Promise<void> {
  let config;
  let municipality;
  try {
    config = loadConfig();
    municipality = loadMunicipality(config.MUNICIPALITY_FILE);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof MunicipalityError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const app = await createApp(config, municipality, { log });
  const port = await app.listen();
  log.info({ event: 'listening', port, municipality: municipality.id }, `listening on http://localhost:${port}`);

  const stop = (signal: string) => {
    log.info({ event: 'shutdown', signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('unhandledRejection', (reason) => {
    log.error({ event: 'unhandledRejection', err: { message: String((reason as Error)?.message ?? reason) } }, 'unhandled rejection');
  });
}

main().catch((err: Error) => {
  process.stderr.write(`Start-up failed: ${err.message}\n`);
  process.exit(1);
});
