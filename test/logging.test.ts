import { Writable } from 'stream';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger, LogDestination } from '../src/logger';
import { loadMunicipality } from '../src/municipality';
import { Channel } from '../src/tools/channel';
import { NOW, tempDbFile } from './helpers/harness';
import { DUTCH_TO_SUMMARY_RECOGNISED } from './helpers/script';
import { sqliteDb } from './helpers/sqlite';

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
  await sqliteDb(app).exec(`CREATE TRIGGER f BEFORE INSERT ON complaints BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
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

describe('LogDestination: a log that cannot be written never blocks or throws', () => {
  const err = (code: string) => Object.assign(new Error(code), { code });

  /** A file descriptor that takes `room` bytes per call, fails with `failWith` when set, records what it took. */
  function fakeFd() {
    const state = { out: '', room: Infinity, failWith: undefined as string | undefined, calls: 0 };
    const writeSync = (_fd: number, data: string | Buffer, offset = 0, length?: number) => {
      state.calls++;
      if (state.failWith) throw err(state.failWith);
      const buf = (Buffer.isBuffer(data) ? data : Buffer.from(data)).subarray(offset, length === undefined ? undefined : offset + length);
      const n = Math.min(buf.length, state.room);
      if (n === 0) throw err('EAGAIN');
      state.out += buf.subarray(0, n).toString('utf8');
      state.room -= n;
      return n;
    };
    return { state, writeSync };
  }

  test('full disk or file-size limit: lines are dropped and counted, and writing resumes when it can', () => {
    const { state, writeSync } = fakeFd();
    const dest = new LogDestination(1, { writeSync });
    dest.write('{"a":1}\n');
    state.failWith = 'ENOSPC';
    dest.write('{"a":2}\n');
    dest.write('{"a":3}\n');
    expect(dest.health()).toEqual({ status: 'failing', dropped: 2, error: 'ENOSPC' });
    state.failWith = 'EFBIG';
    dest.write('{"a":4}\n');
    expect(dest.health()).toEqual({ status: 'failing', dropped: 3, error: 'EFBIG' });
    state.failWith = undefined;
    dest.write('{"a":5}\n');
    expect(dest.health()).toEqual({ status: 'ok', dropped: 3, error: 'EFBIG' });
    expect(state.out).toBe('{"a":1}\n{"a":5}\n');
  });

  test('a slow reader (EAGAIN): lines wait in a bounded backlog, are written in order later, and what does not fit is dropped', async () => {
    const { state, writeSync } = fakeFd();
    const dest = new LogDestination(1, { writeSync, maxBacklogBytes: 30, retryMs: 5 });
    state.room = 12; // the first line and a part of the second
    dest.write('{"line":1}\n');
    dest.write('{"line":2}\n');
    dest.write('{"line":3}\n');
    dest.write('{"line":4}\n'); // 11 + 11 + 11 bytes: over the backlog of 30, dropped
    expect(dest.health()).toMatchObject({ status: 'failing', dropped: 1 });
    const calls = state.calls;
    dest.write('x'.repeat(40)); // larger than the whole backlog: dropped without a write attempt
    expect(state.calls).toBe(calls);
    state.room = Infinity;
    await new Promise((r) => setTimeout(r, 30)); // the retry timer writes the rest
    expect(state.out).toBe('{"line":1}\n{"line":2}\n{"line":3}\n');
    dest.write('{"line":5}\n');
    expect(state.out.endsWith('{"line":5}\n')).toBe(true);
    expect(dest.health()).toEqual({ status: 'ok', dropped: 2, error: 'EAGAIN' });
  });

  test('a line cut off by a failure is ended, so the next line starts on a line of its own', () => {
    const { state, writeSync } = fakeFd();
    const dest = new LogDestination(1, { writeSync });
    state.room = 5;
    dest.write('{"cut":"off"}\n'); // 5 bytes written, then EAGAIN: the rest waits
    state.failWith = 'EPIPE'; // then the reader is gone: the rest is dropped
    dest.flush();
    state.failWith = undefined;
    state.room = Infinity;
    dest.write('{"next":1}\n');
    expect(state.out).toBe('{"cut\n{"next":1}\n');
    expect(dest.health()).toMatchObject({ dropped: 1, status: 'ok' });
  });

  test('through pino: logging on a failing output neither throws nor stops', () => {
    const { state, writeSync } = fakeFd();
    state.failWith = 'ENOSPC';
    const dest = new LogDestination(1, { writeSync });
    const log = createLogger('info', dest);
    const started = Date.now();
    for (let i = 0; i < 1000; i++) log.info({ event: 'test', i }, 'a line');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(dest.health()).toEqual({ status: 'failing', dropped: 1000, error: 'ENOSPC' });
  });
});
