import http from 'http';
import { createApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { loadMunicipality } from '../src/municipality';
import { Channel } from '../src/tools/channel';
import { NOW, tempDbFile } from './helpers/harness';
import { DUTCH_TO_SUMMARY_RECOGNISED } from './helpers/script';

let db: ReturnType<typeof tempDbFile>;
let app: App;
let channel: Channel;
let base: string;

beforeAll(async () => {
  db = tempDbFile();
  const config = loadConfig({ DATABASE_URL: `sqlite:${db.file}`, PORT: '0', LOG_LEVEL: 'silent' });
  app = await createApp(config, loadMunicipality(), { log: createLogger('silent'), clock: () => NOW });
  const port = await app.listen(0);
  base = `http://127.0.0.1:${port}`;
  channel = await new Channel(base).start();
});

afterAll(async () => {
  await channel.stop();
  await app.close();
  db.cleanup();
});

function request(method: string, path: string, body?: string, contentType = 'application/json'): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers: body ? { 'content-type': contentType } : {} }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: data ? JSON.parse(data) : undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('GET /healthz answers 200 with JSON once the store is open', async () => {
  const res = await request('GET', '/healthz');
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ status: 'ok', store: 'open', log: { status: 'ok', dropped: 0 } });
});

test('a channel files a complaint end to end over /api/messages', async () => {
  const conv = 'http-conv-1';
  const join = await channel.join(conv);
  expect(join.status).toBeLessThan(300);
  expect(join.replies.map((r) => r.text).join('\n')).toMatch(/computerprogramma, geen mens.*Wat is er gebeurd/s);
  for (const [input, expected] of DUTCH_TO_SUMMARY_RECOGNISED) {
    const { status, replies } = await channel.say(conv, input);
    expect(status).toBe(200);
    expect(replies.map((r) => r.text).join('\n')).toMatch(expected);
  }
  const done = await channel.say(conv, 'Ja, versturen');
  const text = done.replies.map((r) => r.text).join('\n');
  const reference = /KL-2026-[A-Z0-9]{6}/.exec(text)?.[0];
  expect(reference).toBeDefined();
  const stored = await app.complaints.getByReference(reference!);
  expect(stored).toMatchObject({ channel: 'emulator', conversationId: conv, contact: { name: 'Jan Jansen', postcode: '1182 JR' } });
  // the recogniser refers a street report, and the buttons come as suggested actions
  const lamp = (await channel.say('http-conv-2', 'Ik heb een klacht over de lantaarnpaal voor mijn huis, die is al twee weken kapot')).replies;
  expect(lamp.map((r) => r.text).join('\n')).toMatch(/Fixi.*schade-of-overlast-melden/s);
  expect(lamp[lamp.length - 1].suggestedActions?.actions.map((a) => a.title)).toEqual(['Ja, ook een klacht', 'Nee, dat was het']);
});

test('malformed requests get a 4xx and the server keeps running', async () => {
  expect((await request('POST', '/api/messages', '{not json')).status).toBe(400);
  expect((await request('POST', '/api/messages', JSON.stringify({ type: 'message' }))).status).toBe(400);
  expect((await request('POST', '/api/messages', JSON.stringify([1, 2]))).status).toBe(400);
  expect((await request('POST', '/api/messages', 'text=hi', 'text/plain')).status).toBeGreaterThanOrEqual(400);
  expect((await request('POST', '/api/messages', JSON.stringify({ type: 'message', channelId: 'x', serviceUrl: 'y', conversation: { id: 'c' }, text: 'a'.repeat(20000) }))).status).toBe(400);
  expect((await request('POST', '/api/messages', 'x'.repeat(300 * 1024))).status).toBe(413);
  expect((await request('GET', '/nope')).status).toBe(404);
  expect((await request('GET', '/healthz')).status).toBe(200);
});
