import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { TestAdapter, type Activity } from 'botbuilder';
import { BotTranscriptStore, toEmulatorTranscript, TranscriptMiddleware } from '../../src/bot/transcriptStore';
import { openStore } from '../../src/store';
import { ComplaintStore } from '../../src/store/complaintStore';
import { Db } from '../../src/store/sqlite/db';
import type { Store } from '../../src/store/types';
import { sqliteDb } from '../helpers/sqlite';

let dir: string;
let file: string;
let backing: Store;
let db: Db;
let store: BotTranscriptStore;

async function open(): Promise<void> {
  backing = await openStore(`sqlite:${file}`);
  db = sqliteDb(backing);
  store = new BotTranscriptStore(backing.transcripts, { pageSize: 7 });
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'klachtbot-transcripts-'));
  file = path.join(dir, 't.db');
  await open();
});

afterEach(async () => {
  await backing.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

function activity(conv: string, n: number, role: 'user' | 'bot', channelId = 'emulator'): Activity {
  return {
    type: 'message',
    id: `${conv}-${n}`,
    channelId,
    serviceUrl: 'http://127.0.0.1:1',
    conversation: { id: conv } as Activity['conversation'],
    from: role === 'user' ? { id: 'citizen', name: 'C', role: 'user' } : { id: 'bot', name: 'B' },
    recipient: role === 'user' ? { id: 'bot', name: 'B' } : { id: 'citizen', name: 'C' },
    text: `${conv} #${n}`,
    // deliberately all the same timestamp: order must come from logging order, not from timestamps
    timestamp: new Date('2026-11-24T09:00:00Z'),
  } as Activity;
}

async function readAll(channelId: string, conv: string): Promise<Activity[]> {
  const all: Activity[] = [];
  let token: string | undefined;
  do {
    const page = await store.getTranscriptActivities(channelId, conv, token);
    all.push(...page.items);
    token = page.continuationToken;
  } while (token);
  return all;
}

test('activities logged concurrently, without awaiting, are all stored in logging order per conversation', async () => {
  const conversations = Array.from({ length: 12 }, (_, i) => `conv-${i}`);
  const perConversation = 60;
  const expected = new Map<string, string[]>(conversations.map((c) => [c, []]));
  // Interleave conversations the way concurrent turns do, and interleave other writers on the same
  // connection (filing complaints in transactions) while the middleware-style calls are not awaited.
  const complaints = new ComplaintStore(backing);
  const others: Promise<unknown>[] = [];
  for (let n = 0; n < perConversation; n++) {
    for (const conv of conversations) {
      const a = activity(conv, n, n % 2 === 0 ? 'user' : 'bot');
      void store.logActivity(a); // not awaited, like TranscriptLoggerMiddleware
      expected.get(conv)!.push(a.text!);
    }
    if (n % 10 === 0) {
      others.push(
        complaints.requestCallback(
          { name: 'Jan Jansen', phone: '0612345678', date: '2026-11-25', partOfDay: 'morning' },
          { locale: 'nl', channel: 'emulator', conversationId: `other-${n}` },
          `cb-${n}`,
        ),
      );
    }
    await new Promise((r) => setImmediate(r)); // let batches start while more arrive
  }
  await Promise.all(others);
  await store.flush();
  for (const conv of conversations) {
    const got = await readAll('emulator', conv);
    expect(got.map((a) => a.text)).toEqual(expected.get(conv));
  }
  const total = await db.get<{ n: number }>('SELECT count(*) AS n FROM transcript_activities');
  expect(total?.n).toBe(conversations.length * perConversation);
});

test('writes are durable: after flush, close and reopen every logged activity is there, in order', async () => {
  for (let n = 0; n < 25; n++) void store.logActivity(activity('durable', n, n % 2 ? 'bot' : 'user'));
  await store.flush(); // what the app does before closing the store
  await backing.close();
  await open();
  const got = await readAll('emulator', 'durable');
  expect(got.map((a) => a.text)).toEqual(Array.from({ length: 25 }, (_, n) => `durable #${n}`));
});

test('a burst larger than one INSERT statement is stored whole and in order; the registry follows every insert', async () => {
  const clockTimes = ['2026-11-24T09:00:00.000Z', '2026-11-24T09:05:00.000Z'];
  let tick = 0;
  store = new BotTranscriptStore(backing.transcripts, { pageSize: 7, clock: () => new Date(clockTimes[Math.min(tick, 1)]) });
  for (let n = 0; n < 450; n++) void store.logActivity(activity('burst', n, n % 2 ? 'bot' : 'user')); // > 200 rows per statement
  await store.flush();
  tick = 1;
  await store.logActivity(activity('burst', 450, 'bot'));
  const rows = await db.all<{ text: string }>(
    "SELECT json_extract(data, '$.text') AS text FROM transcript_activities WHERE conversation_id = 'burst' ORDER BY seq",
  );
  expect(rows.map((r) => r.text)).toEqual(Array.from({ length: 451 }, (_, n) => `burst #${n}`));
  expect(await db.get('SELECT created_at, last_activity_at FROM transcripts WHERE conversation_id = ?', ['burst'])).toEqual({
    created_at: clockTimes[0],
    last_activity_at: clockTimes[1],
  });
});

test('while another process holds the write lock longer than the busy timeout, the batch is tried again and stored', async () => {
  const other = await Db.open(file); // a second connection, as the staff CLI in another process would have
  await other.exec('BEGIN IMMEDIATE');
  const logged = store.logActivity(activity('locked', 1, 'user'));
  await new Promise((r) => setTimeout(r, 6000)); // longer than the 5 s busy timeout: the first attempt fails
  await other.exec('COMMIT');
  await other.close();
  await logged;
  expect((await readAll('emulator', 'locked')).map((a) => a.text)).toEqual(['locked #1']);
}, 20000);

test('a snapshot is stored: changing the activity after logActivity does not change the transcript', async () => {
  const a = activity('snap', 1, 'user');
  const p = store.logActivity(a);
  a.text = 'changed afterwards';
  await p;
  expect((await readAll('emulator', 'snap'))[0].text).toBe('snap #1');
});

test('roles are completed for the Emulator, timestamps come back as Dates, startDate filters', async () => {
  await store.logActivity({ ...activity('roles', 1, 'user'), timestamp: new Date('2026-11-24T09:00:00Z') });
  await store.logActivity({ ...activity('roles', 2, 'bot'), timestamp: new Date('2026-11-24T09:00:05Z') });
  const [user, bot] = await readAll('emulator', 'roles');
  expect(user.from.role).toBe('user');
  expect(user.recipient.role).toBe('bot');
  expect(bot.from.role).toBe('bot');
  expect(bot.recipient.role).toBe('user');
  expect(bot.timestamp).toBeInstanceOf(Date);
  const later = await store.getTranscriptActivities('emulator', 'roles', undefined, new Date('2026-11-24T09:00:03Z'));
  expect(later.items.map((a) => a.text)).toEqual(['roles #2']);
});

test('an activity without channel or conversation is refused at once', () => {
  expect(() => store.logActivity({ type: 'message', text: 'x' } as Activity)).toThrow(/channelId and conversation.id/);
});

test('listTranscripts pages per channel; deleteTranscript removes one conversation only', async () => {
  for (let i = 0; i < 9; i++) await store.logActivity(activity(`list-${i}`, 0, 'user'));
  await store.logActivity(activity('elsewhere', 0, 'user', 'msteams'));
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await store.listTranscripts('emulator', token);
    ids.push(...page.items.map((t) => t.id));
    expect(page.items.every((t) => t.channelId === 'emulator' && t.created instanceof Date)).toBe(true);
    token = page.continuationToken;
  } while (token);
  expect(ids.sort()).toEqual(Array.from({ length: 9 }, (_, i) => `list-${i}`));
  await store.deleteTranscript('emulator', 'list-3');
  expect((await store.getTranscriptActivities('emulator', 'list-3')).items).toEqual([]);
  expect((await store.getTranscriptActivities('emulator', 'list-4')).items).toHaveLength(1);
  expect((await store.listTranscripts('msteams')).items.map((t) => t.id)).toEqual(['elsewhere']);
});

test('the .transcript export is a JSON array of activities as the Emulator opens them', async () => {
  await store.logActivity(activity('export', 1, 'user'));
  await store.logActivity(activity('export', 2, 'bot'));
  const parsed = JSON.parse(toEmulatorTranscript(await store.getAllActivities('emulator', 'export')));
  expect(Array.isArray(parsed)).toBe(true);
  expect(parsed).toHaveLength(2);
  for (const a of parsed) {
    expect(a).toMatchObject({ type: 'message', channelId: 'emulator', conversation: { id: 'export' } });
    expect(typeof a.id).toBe('string');
    expect(new Date(a.timestamp).toISOString()).toBe(a.timestamp);
    expect(['user', 'bot']).toContain(a.from.role);
    expect(['user', 'bot']).toContain(a.recipient.role);
  }
  expect(parsed.map((a: Activity) => a.from.role)).toEqual(['user', 'bot']);
});

test('through TranscriptLoggerMiddleware: incoming and outgoing in order, also when the bot throws', async () => {
  const adapter = new TestAdapter(async (context) => {
    if (context.activity.text === 'boom') throw new Error('bot failed');
    await context.sendActivity(`echo: ${context.activity.text}`);
    await context.sendActivity('second reply');
  });
  adapter.use(new TranscriptMiddleware(store));
  adapter.onTurnError = async () => undefined;
  await adapter.send('hallo').assertReply('echo: hallo').assertReply('second reply').startTest();
  await adapter.send('boom').startTest();
  await store.flush();
  const conv = adapter.conversation.conversation.id;
  const got = await readAll(adapter.conversation.channelId!, conv);
  expect(got.map((a) => [a.from.role, a.text])).toEqual([
    ['user', 'hallo'],
    ['bot', 'echo: hallo'],
    ['bot', 'second reply'],
    ['user', 'boom'], // the plain middleware would lose this one
  ]);
});
