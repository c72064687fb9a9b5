/**
 * Issue 10, point 4: a turn that dies in a crash is answered when the channel delivers it again.
 *
 * The real server process (`node dist/src/index.js`) on its own SQLite file. A channel on loopback
 * (as the Emulator is one) runs a conversation over /api/messages up to the summary. For three turns
 * (two answers during the intake, and the confirmation) it holds the bot's first reply of the turn
 * unanswered: the turn is then provably in flight (for the confirmation: the complaint is filed, the
 * citizen has not got the reference, the state is not saved). The server is killed with SIGKILL
 * there, started again on the same database, and the channel delivers the same activity (same id)
 * again: the turn runs again and answers as it would have; the confirmation answers with the same
 * reference, and the store holds exactly one complaint. A further repeat of the now completed
 * activity gets no answer.
 */
import { randomUUID } from 'crypto';
import http from 'http';
import { rmSync } from 'fs';
import path from 'path';
import sqlite3 from 'sqlite3';
import { startServer, type ServerProcess } from '../helpers/serverProcess';
import { createApp, type App } from '../../src/app';
import { CITIZEN } from '../../src/bench/intakeScript';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { loadMunicipality } from '../../src/municipality';
import { Channel } from '../../src/tools/channel';
import { tempDbFile } from '../helpers/harness';
import { move } from './intakeDriver';
import { sqliteDb } from '../helpers/sqlite';
import { HoldingChannel as HoldingChannelBase } from '../helpers/holdingChannel';

interface Reply {
  type: string;
  text?: string;
  replyToId?: string;
  suggestedActions?: { actions: { title: string }[] };
}

/** The channel's side: receives the bot's replies; can hold them (never answer the POST). */
class HoldingChannel extends HoldingChannelBase<Reply> {}

function post(url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject); // a killed server: the request fails
    req.end(data);
  });
}

function count(file: string, sql: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err);
      db.get(sql, (e: Error | null, row: { n: number }) => {
        db.close();
        if (e) reject(e);
        else resolve(row.n);
      });
    });
  });
}

const REFERENCE = /KL-\d{4}-[A-Z0-9]{6}/;

let server: ServerProcess | undefined;
let channel: HoldingChannel;

beforeAll(async () => {
  channel = await new HoldingChannel().start();
});

afterAll(async () => {
  await server?.stop();
  if (server) rmSync(server.dir, { recursive: true, force: true }); // a restarted server does not own its folder
  await channel.stop();
});

test('kill -9 during turns (two intake answers and the confirmation), then the redelivery: each is answered, the same reference comes, one complaint is stored', async () => {
  server = await startServer();
  const dbFile = path.join(server.dir, 'test.db');
  const conversationId = `redelivery-${randomUUID()}`;
  const activity = (fields: Record<string, unknown>) => ({
    id: randomUUID(),
    channelId: 'emulator',
    serviceUrl: channel.serviceUrl,
    conversation: { id: conversationId },
    from: { id: 'citizen-1', name: 'Citizen', role: 'user' },
    recipient: { id: 'bot', name: 'Klachtbot', role: 'bot' },
    locale: 'nl-NL',
    timestamp: new Date().toISOString(),
    ...fields,
  });
  const turn = async (fields: Record<string, unknown>) => {
    const before = channel.replies.length;
    expect(await post(`${server!.url}/api/messages`, activity(fields))).toBe(200);
    return channel.replies.slice(before);
  };

  /**
   * Delivers the activity with its first reply held, kills the server there (mid-turn), starts it
   * again on the same database and delivers the same activity again: returns the reply held and the
   * replies of the delivery again.
   */
  const crashAndRedeliver = async (a: Record<string, unknown>) => {
    channel.holding = true;
    const held = channel.nextHeld();
    const delivery = post(`${server!.url}/api/messages`, a).catch(() => 0);
    const inFlight = await held;
    server!.kill('SIGKILL');
    expect(await server!.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await delivery).toBe(0); // the channel never got an answer: it will deliver again
    channel.holding = false;
    server = await startServer({ dir: server!.dir });
    const before = channel.replies.length;
    expect(await post(`${server.url}/api/messages`, a)).toBe(200);
    return { inFlight, again: channel.replies.slice(before) };
  };

  // the intake up to the summary, answered as a citizen would; two of its turns die in a crash
  let replies = await turn({ type: 'conversationUpdate', membersAdded: [{ id: 'citizen-1' }] });
  let confirmText: string | undefined;
  let crashes = 0;
  for (let i = 0; i < 30 && !confirmText; i++) {
    const buttons = replies[replies.length - 1]?.suggestedActions?.actions.map((a) => a.title) ?? [];
    const next = move(
      replies.map((r) => r.text ?? ''),
      buttons,
    );
    if (!next || 'done' in next) throw new Error(`unexpected turn: ${JSON.stringify(replies.map((r) => r.text))}`);
    if ('summary' in next) confirmText = next.send;
    else if (i === 0 || i === 2) {
      // the turn runs again from the state before it, and answers as it would have
      const { inFlight, again } = await crashAndRedeliver(activity({ type: 'message', text: next.send }));
      expect(again.length).toBeGreaterThan(0);
      expect(again[0].text).toBe(inFlight.text);
      crashes++;
      replies = again;
    } else replies = await turn({ type: 'message', text: next.send });
  }
  expect(crashes).toBe(2);
  expect(confirmText).toBeDefined();
  expect(replies.map((r) => r.text).join('\n')).toContain(CITIZEN.nl.name);

  // the confirmation: its first reply is held, and the process is killed while the turn waits for it
  const confirm = activity({ type: 'message', text: confirmText });
  const { inFlight, again } = await crashAndRedeliver(confirm);
  // the complaint was filed before the crash (the reply in flight carries its reference) ...
  const firstReference = REFERENCE.exec(inFlight.text ?? '')?.[0];
  expect(firstReference).toBeDefined();
  // ... and the delivery again answers with the same reference
  const answer = again.map((r) => r.text ?? '').join('\n');
  expect(REFERENCE.exec(answer)?.[0]).toBe(firstReference);

  // a repeat of the now completed delivery is answered with nothing, and nothing new is filed
  const after = channel.replies.length;
  expect(await post(`${server.url}/api/messages`, confirm)).toBe(200);
  expect(channel.replies.length).toBe(after);
  expect(await count(dbFile, 'SELECT count(*) AS n FROM complaints')).toBe(1);
  expect(await count(dbFile, "SELECT count(*) AS n FROM processed_activities WHERE state <> 'done'")).toBe(0);
}, 180_000);

describe('the process died after the turn saved its state, before its mark said done', () => {
  let db: ReturnType<typeof tempDbFile>;
  let app: App;
  let emulator: Channel;

  beforeAll(async () => {
    db = tempDbFile();
    const config = loadConfig({ DATABASE_URL: `sqlite:${db.file}`, PORT: '0', LOG_LEVEL: 'silent' });
    app = await createApp(config, loadMunicipality(), { log: createLogger('silent'), classifier: null });
    emulator = await new Channel(`http://127.0.0.1:${await app.listen(0)}`).start();
  });

  afterAll(async () => {
    await emulator.stop();
    await app.close();
    db.cleanup();
  });

  test('the delivery again is not run a second time on the newer state (its id was saved with the state)', async () => {
    const conv = `saved-${randomUUID()}`;
    await emulator.join(conv);
    const story = { id: randomUUID(), type: 'message', text: CITIZEN.nl.story };
    const first = await emulator.send(conv, story);
    expect(first.replies.length).toBeGreaterThan(0);
    // what a crash between the two writes leaves: the state saved, the mark still 'running' under a dead process
    const { changes } = await sqliteDb(app).write("UPDATE processed_activities SET state = 'running', owner = 'dead-process' WHERE activity_id = ?", [story.id]);
    expect(changes).toBe(1);
    const again = await emulator.send(conv, story);
    expect(again.status).toBe(200);
    expect(again.replies).toEqual([]);
    const mark = await sqliteDb(app).get<{ state: string }>('SELECT state FROM processed_activities WHERE activity_id = ?', [story.id]);
    expect(mark?.state).toBe('done');
    // a mark left 'running' whose state was not saved does run again (the kill -9 test above); here the
    // conversation simply goes on: the next answer is taken as the answer to the question asked
    const next = await emulator.say(conv, 'Hoe ik behandeld ben');
    expect(next.replies.length).toBeGreaterThan(0);
  });
});
