/**
 * Issue 10, point 5: a repeated conversationUpdate welcomes once. The real app on a real port with a
 * SQLite file; a channel on loopback posts to /api/messages; Direct Line over its real HTTP API.
 */
import { randomUUID } from 'crypto';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { loadMunicipality } from '../../src/municipality';
import { Channel, type ChannelActivity } from '../../src/tools/channel';
import { tempDbFile } from '../helpers/harness';

let db: ReturnType<typeof tempDbFile>;
let app: App;
let channel: Channel;
let base: string;

beforeAll(async () => {
  db = tempDbFile();
  const config = loadConfig({ DATABASE_URL: `sqlite:${db.file}`, PORT: '0', LOG_LEVEL: 'silent' });
  app = await createApp(config, loadMunicipality(), { log: createLogger('silent'), classifier: null });
  base = `http://127.0.0.1:${await app.listen(0)}`;
  channel = await new Channel(base).start();
});

afterAll(async () => {
  await channel.stop();
  await app.close();
  db.cleanup();
});

const WELCOME = /computerprogramma, geen mens/;
const welcomes = (replies: { text?: string }[]) => replies.filter((r) => WELCOME.test(r.text ?? '')).length;

function joinActivity(conversationId: string, id = randomUUID()): Partial<ChannelActivity> {
  return { id, type: 'conversationUpdate', membersAdded: [{ id: `user-${conversationId}` }, { id: 'bot' }] } as Partial<ChannelActivity>;
}

/** every reply the channel has received for the conversation so far */
function inbox(conversationId: string): ChannelActivity[] {
  return (channel as unknown as { inbox: Map<string, ChannelActivity[]> }).inbox.get(conversationId) ?? [];
}

test('/api/messages: the same conversationUpdate delivered 5 times at once welcomes once', async () => {
  const conv = `welcome-same-${randomUUID()}`;
  const update = joinActivity(conv);
  const results = await Promise.all(Array.from({ length: 5 }, () => channel.send(conv, update)));
  for (const r of results) expect(r.status).toBeLessThan(300);
  expect(welcomes(inbox(conv))).toBe(1);
  // and delivered again later, one after the other: still one
  for (let i = 0; i < 3; i++) expect((await channel.send(conv, update)).status).toBeLessThan(300);
  expect(welcomes(inbox(conv))).toBe(1);
});

test('/api/messages: 5 conversationUpdates with the same member but different ids, at once, welcome once', async () => {
  const conv = `welcome-members-${randomUUID()}`;
  const results = await Promise.all(Array.from({ length: 5 }, () => channel.send(conv, joinActivity(conv))));
  for (const r of results) expect(r.status).toBeLessThan(300);
  expect(welcomes(inbox(conv))).toBe(1);
  // the conversation goes on normally after it
  const next = await channel.say(conv, 'help');
  expect(next.status).toBe(200);
  expect(next.replies.length).toBeGreaterThan(0);
  expect(welcomes(next.replies)).toBe(0);
});

async function json(path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

test('Direct Line: starting the same conversation 5 times at once welcomes once', async () => {
  const token = await json('/api/directline/token', { method: 'POST', body: JSON.stringify({ locale: 'nl-NL' }) });
  expect(token.status).toBe(200);
  const auth = { authorization: `Bearer ${token.body.token}` };
  const starts = await Promise.all(Array.from({ length: 5 }, () => json('/v3/directline/conversations', { method: 'POST', headers: auth, body: '{}' })));
  expect(starts.map((s) => s.status).sort()).toEqual([200, 200, 200, 200, 201]);
  const conv = token.body.conversationId as string;
  // the welcome turn runs after the start answered: wait for it
  let activities: { text?: string; from: { role?: string } }[] = [];
  for (let i = 0; i < 100 && welcomes(activities) === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    activities = (await json(`/v3/directline/conversations/${conv}/activities`, { headers: auth })).body.activities;
  }
  await new Promise((r) => setTimeout(r, 300)); // room for a second welcome, were there one
  activities = (await json(`/v3/directline/conversations/${conv}/activities`, { headers: auth })).body.activities;
  expect(welcomes(activities)).toBe(1);
});
