import { Writable } from 'stream';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { loadMunicipality } from '../src/municipality';
import { Channel } from '../src/tools/channel';
import { NOW, tempDbFile } from './helpers/harness';
import { DUTCH_TO_SUMMARY_RECOGNISED } from './helpers/script';

test('application logs of a whole intake, at the most verbose level, hold no personal data', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, cb) => { lines.push(String(chunk)); cb(); } });
  const log = createLogger('trace', sink);
  const tmp = tempDbFile();
  const app = await createApp(loadConfig({ DATABASE_URL: `sqlite:${tmp.file}`, LOG_LEVEL: 'trace' }), loadMunicipality(), { log, clock: () => NOW });
  const port = await app.listen(0);
  const channel = await new Channel(`http://127.0.0.1:${port}`).start();
  await channel.join('log-conv');
  for (const [input] of DUTCH_TO_SUMMARY_RECOGNISED) await channel.say('log-conv', input);
  await channel.say('log-conv', 'Ja, versturen');
  // an error path too: a failing store must not log what the citizen typed
  await app.db.exec(`CREATE TRIGGER f BEFORE INSERT ON complaints BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
  for (const [input] of DUTCH_TO_SUMMARY_RECOGNISED) await channel.say('log-conv-2', input);
  await channel.say('log-conv-2', 'Ja, versturen');
  await channel.stop();
  await app.close();
  tmp.cleanup();

  const all = lines.join('');
  expect(all).toMatch(/complaint\.filed/);
  expect(all).toMatch(/complaint\.fileFailed/);
  for (const secret of ['Jan Jansen', 'Jansen', '612345678', '06 12345678', 'Dorpsstraat', '1182 JR', '1182jr', 'paspoort', 'onvriendelijk', 'mevrouw de Vries']) {
    expect(all).not.toContain(secret);
  }
});
