/**
 * Bounds and clean-up of the built-in Direct Line: over a bound a clear 4xx and the server goes on;
 * idle conversations end, their activities and tokens are gone, and memory holds no ended ones.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { WebSocket } from 'ws';
import { api, pageToken, start, stop, type Running } from './helpers';

let r: Running | undefined;
afterEach(async () => {
  await stop(r);
  r = undefined;
});

const message = (text: string) => ({ type: 'message', text, locale: 'nl-NL' });

async function conversation(run: Running) {
  const t = await pageToken(run);
  const started = await api(run, 'POST', '/conversations', { token: t.token });
  expect(started.status).toBe(201);
  return { ...t, streamUrl: started.body.streamUrl as string };
}

function openStream(url: string): Promise<{ status: number; ws?: WebSocket; frames: string[]; closed: Promise<number> }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const frames: string[] = [];
    const closed = new Promise<number>((res) => ws.on('close', (code) => res(code)));
    ws.on('message', (data) => frames.push(data.toString()));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, frames, closed }));
    ws.on('open', () => resolve({ status: 101, ws, frames, closed }));
    ws.on('error', () => undefined);
  });
}

test('over each bound a clear 4xx, and the server keeps serving', async () => {
  r = await start({
    env: {
      DIRECTLINE_MAX_BODY_BYTES: '2048',
      DIRECTLINE_MAX_TEXT_LENGTH: '200',
      DIRECTLINE_MAX_ACTIVITIES_PER_MINUTE: '4',
      DIRECTLINE_MAX_SOCKETS: '2',
      DIRECTLINE_MAX_STARTS_PER_MINUTE: '8',
    },
  });
  const c = await conversation(r);
  const post = (body: unknown, raw?: string) => api(r!, 'POST', `/conversations/${c.conversationId}/activities`, { token: c.token, body, rawBody: raw });

  const big = await post(message('x'.repeat(3000)));
  expect(big.status).toBe(413);
  expect(big.body.error.message).toMatch(/2048 bytes/);
  const huge = await post(undefined, JSON.stringify(message('x'.repeat(300 * 1024))));
  expect(huge.status).toBe(413);
  const long = await post(message('x'.repeat(201)));
  expect(long.status).toBe(400);
  expect(long.body.error.message).toBe('text is longer than 200 characters');
  expect((await post(undefined, '{"type": "message", "text": ')).status).toBe(400);
  expect((await post({ type: 'invoke', name: 'x' })).status).toBe(400);
  expect((await post({ type: 'message', text: 'hoi', attachments: [{ contentType: 'image/png', contentUrl: 'http://x/y.png' }] })).status).toBe(400);
  expect((await api(r, 'POST', `/conversations/${c.conversationId}/upload?userId=x`, { token: c.token })).status).toBe(415);

  // activities per conversation per minute: 4 pass, the 5th is refused with Retry-After
  for (let i = 0; i < 4; i++) expect((await post(message(`bericht ${i}`))).status).toBe(200);
  const limited = await post(message('nog een'));
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  // another conversation is not affected
  const other = await conversation(r);
  expect((await api(r, 'POST', `/conversations/${other.conversationId}/activities`, { token: other.token, body: message('hallo') })).status).toBe(200);

  // open sockets: 2 in all, the 3rd upgrade is refused with 429
  const s1 = await openStream(c.streamUrl);
  const s2 = await openStream(other.streamUrl);
  expect([s1.status, s2.status]).toEqual([101, 101]);
  expect((await openStream(c.streamUrl)).status).toBe(429);
  s1.ws!.close();
  await s1.closed;
  // the server frees the slot when it sees the close, which may come a moment after the client's
  let reopened = await openStream(c.streamUrl);
  for (let i = 0; i < 20 && reopened.status === 429; i++) {
    await new Promise((res) => setTimeout(res, 50));
    reopened = await openStream(c.streamUrl);
  }
  expect(reopened.status).toBe(101);

  // new conversations per client per minute (8: 2 tokens + 2 starts used, 4 more pass)
  const results = [];
  for (let i = 0; i < 5; i++) results.push((await fetch(`${r.base}/api/directline/token`, { method: 'POST' })).status);
  expect(results).toEqual([200, 200, 200, 200, 429]);

  expect((await fetch(`${r.base}/healthz`)).status).toBe(200);
});

test('keep-alive: an open stream gets empty frames', async () => {
  r = await start({ env: { DIRECTLINE_KEEPALIVE_SECONDS: '1' } });
  const c = await conversation(r);
  const s = await openStream(c.streamUrl);
  expect(s.status).toBe(101);
  await new Promise((res) => setTimeout(res, 2300));
  expect(s.frames.filter((f) => f === '').length).toBeGreaterThanOrEqual(1);
  expect(s.frames.some((f) => JSON.parse(f || '{}').activities?.length > 0)).toBe(true); // and the welcome
  s.ws!.close();
});

test('idle conversations end: activities deleted, streams closed, tokens refused, tombstones purged, memory empty', async () => {
  r = await start({ env: { DIRECTLINE_IDLE_MINUTES: '30', DIRECTLINE_TOKEN_TTL_SECONDS: '600', DIRECTLINE_MAX_STARTS_PER_MINUTE: '1000' } });
  const dl = r.app.chat.directLine!;
  const store = r.app.chat.store!;
  const convs = [];
  for (let i = 0; i < 25; i++) convs.push(await conversation(r));
  await Promise.all(convs.map((c) => api(r!, 'POST', `/conversations/${c.conversationId}/activities`, { token: c.token, body: message('Ik wil een klacht indienen over de gemeente.') })));
  const stream = await openStream(convs[0].streamUrl);
  expect(dl.stats().conversationsInMemory).toBe(25);
  expect((await store.counts()).activities).toBeGreaterThanOrEqual(25 * 3);

  // nothing is idle yet
  expect((await dl.sweep(Date.now() + 29 * 60_000)).ended).toBe(0);
  // a quiet conversation leaves memory (but not the database) after a few minutes
  const quiet = await dl.sweep(Date.now() + 3 * 60_000);
  expect(quiet.ended).toBe(0);
  expect(dl.stats().conversationsInMemory).toBe(1); // only the one with an open stream
  expect((await api(r, 'GET', `/conversations/${convs[1].conversationId}/activities`, { token: convs[1].token })).status).toBe(200);

  const later = Date.now() + 31 * 60_000;
  expect((await dl.sweep(later)).ended).toBe(25);
  expect(await stream.closed).toBe(1000);
  expect(dl.stats()).toEqual({ conversationsInMemory: 0, sockets: 0, socketClients: 0, conversationClients: 0, startBuckets: expect.any(Number) });
  expect(await store.counts()).toEqual({ conversations: 25, ended: 25, activities: 0 });
  const c = convs[2];
  expect((await api(r, 'GET', `/conversations/${c.conversationId}/activities`, { token: c.token })).status).toBe(404);
  expect((await api(r, 'POST', `/conversations/${c.conversationId}/activities`, { token: c.token, body: message('hallo?') })).status).toBe(404);
  expect((await api(r, 'POST', '/conversations', { token: c.token })).status).toBe(404); // no revival with an old token
  expect((await api(r, 'POST', '/tokens/refresh', { token: c.token })).status).toBe(403);

  // once every token for them has expired, nothing is left
  const result = await dl.sweep(later + 12 * 60_000);
  expect(result.purged).toBe(25);
  expect(await store.counts()).toEqual({ conversations: 0, ended: 0, activities: 0 });
  expect(dl.stats().startBuckets).toBe(0);
});
