/**
 * The built-in Direct Line against the official client, botframework-directlinejs, in Node, on the
 * real server: start, post, receive by WebSocket and by polling, reconnect with a watermark after a
 * restart, token refresh, and refused tokens.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { translator } from '../../src/i18n';
import { TokenService } from '../../src/directline/tokens';
import { LOCAL_SERVICE_URL } from '../../src/directline/service';
import { WebSocket } from 'ws';
import { api, botText, client, ConnectionStatus, isBot, isUser, pageToken, start, stop, type Client, type Running } from './helpers';
import { sqliteDb } from '../helpers/sqlite';

const nl = translator('nl');
const en = translator('en');
const WELCOME_NL = 'Hallo! Ik ben de digitale assistent';
const STORY = 'Ik heb drie keer gebeld over mijn aanvraag voor een parkeervergunning, maar niemand belde mij terug.';
const ROUTE_ASK = nl('route.ask').slice(0, 30);
const ASK_STORY = nl('intake.askStory').slice(0, 30);

let r: Running | undefined;
const clients: Client[] = [];
const track = (c: Client) => (clients.push(c), c);

afterEach(async () => {
  jest.restoreAllMocks();
  for (const c of clients.splice(0)) c.end();
  await stop(r);
  r = undefined;
});

describe.each([
  ['WebSocket', true],
  ['polling', false],
])('Direct Line with botframework-directlinejs over %s', (_name, webSocket) => {
  test('start: the welcome arrives; a message is echoed with its id and clientActivityID; the bot answers through the same pipeline', async () => {
    r = await start({ recogniser: false });
    const seen: string[] = [];
    r.app.adapter.use(async (context, next) => {
      seen.push(`${context.activity.channelId}:${context.activity.type}`);
      await next();
    });
    const t = await pageToken(r);
    expect(t.domain).toBe(`http://127.0.0.1:${r.port}/v3/directline`);
    const c = track(client({ domain: t.domain, token: t.token, webSocket }));

    const welcome = await c.waitFor(botText(WELCOME_NL), 'welcome');
    expect(welcome.id).toMatch(new RegExp(`^${t.conversationId}\\|\\d{7}$`));
    expect(welcome.channelId).toBe('directline');
    expect(welcome.conversation.id).toBe(t.conversationId);
    await c.waitFor(botText(ASK_STORY), 'story question');

    const id = await c.post({ type: 'message', text: STORY, locale: 'nl-NL', channelData: { clientActivityID: 'client-1' } });
    const echo = await c.waitFor((a) => isUser(a) && a.channelData?.clientActivityID === 'client-1', 'echo');
    expect(echo.id).toBe(id);
    expect(echo.text).toBe(STORY);
    expect(echo.from.id).toMatch(/^dl_/); // the token's user, not what the client claimed
    const reply = await c.waitFor(botText(ROUTE_ASK), 'route question');
    expect(reply.replyToId).toBe(id);
    expect(reply.suggestedActions.actions.map((a: any) => a.title)).toContain(nl('route.choice.complaint'));
    // watermarks and ids increase in order
    const seqs = c.activities.map((a) => Number(a.id.split('|')[1]));
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);

    // one pipeline: the adapter's middleware ran for Direct Line, and so did the dedupe middleware
    expect(seen).toEqual(expect.arrayContaining(['directline:conversationUpdate', 'directline:message']));
    const marks = await sqliteDb(r.app).all('SELECT * FROM processed_activities WHERE channel_id = ? AND conversation_id = ?', ['directline', t.conversationId]);
    // one mark per activity of the client's side (the start's conversationUpdate and the message), each done
    expect(marks).toHaveLength(2);
    expect(marks.map((m) => m.state)).toEqual(['done', 'done']);
    // and the transcript logger saw the citizen's message and the bot's replies
    await r.app.transcripts.flush();
    const logged = await r.app.transcripts.getAllActivities('directline', t.conversationId);
    expect(logged.some((a) => a.text === STORY)).toBe(true);
    expect(logged.some((a) => a.text?.startsWith(ROUTE_ASK))).toBe(true);
  });

  test('the client locale is passed on: en-US gets the English welcome and answers', async () => {
    r = await start({ recogniser: false });
    const t = await pageToken(r, 'en-US');
    const c = track(client({ domain: t.domain, token: t.token, webSocket, conversationStartProperties: { locale: 'en-US' } }));
    await c.waitFor(botText('Hello! I am the digital assistant'), 'English welcome');
    await c.post({ type: 'message', text: 'I waited for three hours at the desk and the employee was rude to me.', locale: 'en-US' });
    await c.waitFor(botText(en('route.ask').slice(0, 30)), 'English route question');
  });
});

test('reconnect with token and watermark after a server restart gets exactly what was missed, and the conversation goes on', async () => {
  r = await start({ recogniser: false });
  const t = await pageToken(r);
  const c1 = track(client({ domain: t.domain, token: t.token, webSocket: true }));
  await c1.waitFor(botText(ASK_STORY), 'story question');
  const watermark = c1.dl.watermark as string;
  expect(watermark).toMatch(/^\d+$/);
  const seenBefore = c1.activities.length;
  c1.end();

  // while this client is away, a message goes in and the bot answers
  const posted = await api(r, 'POST', `/conversations/${t.conversationId}/activities`, {
    token: t.token,
    body: { type: 'message', text: STORY, locale: 'nl-NL' },
  });
  expect(posted.status).toBe(200);

  // restart: a new process on the same database and port
  const { dir, port } = r;
  await r.app.close();
  r = await start({ dir, port, recogniser: false });

  for (const webSocket of [true, false]) {
    const c2 = track(client({ domain: r.domain, token: t.token, conversationId: t.conversationId, watermark, webSocket }));
    const reply = await c2.waitFor(botText(ROUTE_ASK), `missed route question (${webSocket ? 'WebSocket' : 'polling'})`);
    expect(reply.replyToId).toBe(posted.body.id);
    expect(c2.activities[0].id).toBe(posted.body.id); // starts right after the watermark: the missed echo
    expect(c2.activities.some((a) => a.text?.includes(WELCOME_NL))).toBe(false);
    expect(Number(c2.activities[0].id.split('|')[1])).toBe(seenBefore + 1);
    if (webSocket) {
      // the dialog state survived too: the next answer continues the intake
      await c2.post({ type: 'message', text: nl('route.choice.complaint'), locale: 'nl-NL' });
      await c2.waitFor((a) => isBot(a) && a.replyToId && a.text && !a.text.includes(ROUTE_ASK) && a.text.length > 0, 'the next question');
    }
    c2.end();
  }
});

test('token refresh: directlinejs refreshes, the new token works, the old one still until it expires', async () => {
  r = await start({ recogniser: false });
  const t = await pageToken(r);
  const c = track(client({ domain: t.domain, token: t.token, webSocket: true }));
  await c.waitFor(botText(ASK_STORY), 'story question');
  const refreshed: string = await new Promise((resolve, reject) => c.dl.refreshToken().subscribe({ next: resolve, error: reject }));
  expect(refreshed).not.toBe(t.token);
  const payload = JSON.parse(Buffer.from(refreshed.split('.')[1], 'base64url').toString());
  expect(payload.conv).toBe(t.conversationId);
  const get = await api(r, 'GET', `/conversations/${t.conversationId}/activities`, { token: refreshed });
  expect(get.status).toBe(200);
  expect(get.body.activities.length).toBeGreaterThanOrEqual(2);
  expect((await api(r, 'GET', `/conversations/${t.conversationId}/activities`, { token: t.token })).status).toBe(200);

  // raw refresh answers conversationId, token and expires_in
  const raw = await api(r, 'POST', '/tokens/refresh', { token: refreshed });
  expect(raw.status).toBe(200);
  expect(raw.body).toEqual({ conversationId: t.conversationId, token: expect.any(String), expires_in: 3600 });
});

test('expired, foreign, missing and forged tokens are refused (401/403), also for the stream', async () => {
  r = await start({ recogniser: false });
  const a = await pageToken(r);
  const b = await pageToken(r);
  for (const t of [a, b]) expect((await api(r, 'POST', '/conversations', { token: t.token })).status).toBe(201);

  // foreign: a's token on b's conversation
  expect((await api(r, 'GET', `/conversations/${b.conversationId}/activities`, { token: a.token })).status).toBe(403);
  expect((await api(r, 'POST', `/conversations/${b.conversationId}/activities`, { token: a.token, body: { type: 'message', text: 'hoi' } })).status).toBe(403);
  expect((await api(r, 'GET', `/conversations/${b.conversationId}?watermark=`, { token: a.token })).status).toBe(403);
  // missing / not bearer
  expect((await api(r, 'GET', `/conversations/${a.conversationId}/activities`)).status).toBe(401);
  expect((await api(r, 'GET', `/conversations/${a.conversationId}/activities`, { headers: { Authorization: `Basic ${a.token}` } })).status).toBe(401);
  // forged: b's payload with a's signature
  const [h, , s] = a.token.split('.');
  const forged = `${h}.${b.token.split('.')[1]}.${s}`;
  expect((await api(r, 'GET', `/conversations/${b.conversationId}/activities`, { token: forged })).status).toBe(403);
  // expired: signed with the real key, but its time is up
  const key = await r.app.chat.store!.signingKey();
  const old = new TokenService(key, 60, () => Date.now() - 3600_000).issue({ conv: a.conversationId, user: 'dl_x' }).token;
  const expired = await api(r, 'GET', `/conversations/${a.conversationId}/activities`, { token: old });
  expect(expired.status).toBe(403);
  expect(expired.body.error.code).toBe('TokenExpired');
  expect((await api(r, 'POST', '/tokens/refresh', { token: old })).status).toBe(403);
  // directlinejs with an expired token does not get in
  const c = track(client({ domain: r.domain, token: old, conversationId: a.conversationId, webSocket: false }));
  await new Promise((res) => setTimeout(res, 800));
  expect(c.activities).toHaveLength(0);
  expect(c.statuses).toContain(ConnectionStatus.FailedToConnect);

  // the stream: a's stream token cannot open b's stream; a token without stream use neither
  const start_a = await api(r, 'GET', `/conversations/${a.conversationId}?watermark=`, { token: a.token });
  const streamA = new URL(start_a.body.streamUrl);
  const statusOf = (url: string) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(url);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => (ws.close(), resolve(101)));
      ws.on('error', () => undefined);
    });
  expect(await statusOf(streamA.toString())).toBe(101);
  expect(await statusOf(streamA.toString().replace(a.conversationId, b.conversationId))).toBe(403);
  const noT = new URL(streamA.toString());
  noT.searchParams.delete('t');
  expect(await statusOf(noT.toString())).toBe(401);
  noT.searchParams.set('t', a.token); // a conversation token is not a stream token
  expect(await statusOf(noT.toString())).toBe(403);
});

test('with DIRECTLINE_SECRET: tokens/generate needs the secret; the secret itself works as credential; the page still gets tokens', async () => {
  const secret = 'a-long-direct-line-secret-for-tests';
  r = await start({ recogniser: false, env: { DIRECTLINE_SECRET: secret } });
  expect((await api(r, 'POST', '/tokens/generate')).status).toBe(401);
  expect((await api(r, 'POST', '/tokens/generate', { token: 'wrong-secret-wrong-secret' })).status).toBe(403);
  const page = await pageToken(r);
  expect((await api(r, 'POST', '/tokens/generate', { token: page.token })).status).toBe(403);
  const gen = await api(r, 'POST', '/tokens/generate', { token: secret, body: { user: { id: 'dl_burger42' } } });
  expect(gen.status).toBe(200);
  expect(JSON.parse(Buffer.from(gen.body.token.split('.')[1], 'base64url').toString()).user).toBe('dl_burger42');

  const c = track(client({ domain: r.domain, token: gen.body.token, webSocket: true }));
  await c.waitFor(botText(WELCOME_NL), 'welcome with generated token');
  const withSecret = track(client({ domain: r.domain, secret, webSocket: false }));
  await withSecret.waitFor(botText(WELCOME_NL), 'welcome with the secret');
});

test('works when MicrosoftAppId is set (a gemeente that also runs Teams): local replies never need Azure', async () => {
  jest.spyOn(console, 'error').mockImplementation(() => undefined); // CloudAdapter prints the refused /api/messages call
  r = await start({ recogniser: false, env: { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-password' } });
  // /api/messages now demands a Bot Framework token
  const unauth = await fetch(`${r.base}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'message', channelId: 'emulator', serviceUrl: 'http://127.0.0.1:9', conversation: { id: 'x' }, from: { id: 'u' }, text: 'hoi' }),
  });
  expect(unauth.status).toBe(401);
  const t = await pageToken(r);
  const c = track(client({ domain: t.domain, token: t.token, webSocket: true }));
  await c.waitFor(botText(WELCOME_NL), 'welcome');
  await c.say(STORY);
  await c.waitFor(botText(ROUTE_ASK), 'route question');
});

test('a client retrying the same clientActivityID gets the same id and the bot answers once', async () => {
  r = await start({ recogniser: false });
  const t = await pageToken(r);
  const c = track(client({ domain: t.domain, token: t.token, webSocket: true }));
  await c.waitFor(botText(ASK_STORY), 'story question');
  const body = { type: 'message', text: STORY, locale: 'nl-NL', channelData: { clientActivityID: 'retry-1' } };
  // a retry while the first is still running, and one after it finished
  const [first, concurrent] = await Promise.all([
    api(r, 'POST', `/conversations/${t.conversationId}/activities`, { token: t.token, body }),
    api(r, 'POST', `/conversations/${t.conversationId}/activities`, { token: t.token, body }),
  ]);
  const second = await api(r, 'POST', `/conversations/${t.conversationId}/activities`, { token: t.token, body });
  expect(concurrent.body.id).toBe(first.body.id);
  expect(second.body.id).toBe(first.body.id);
  await c.waitFor(botText(ROUTE_ASK), 'route question');
  await new Promise((res) => setTimeout(res, 300));
  expect(c.activities.filter(botText(ROUTE_ASK))).toHaveLength(1);
  expect(c.activities.filter((a) => isUser(a))).toHaveLength(1);
});

test('proactive messages and the turn-error notice reach the Direct Line conversation; update/delete are refused as on Direct Line', async () => {
  r = await start({ recogniser: false });
  const t = await pageToken(r);
  const c = track(client({ domain: t.domain, token: t.token, webSocket: true }));
  const welcome = await c.waitFor(botText(WELCOME_NL), 'welcome');

  // a turn that fails: the adapter's onTurnError tells the citizen, through Direct Line
  r.app.adapter.use(async (context, next) => {
    if (context.activity.text === 'boom') throw new Error('test failure');
    await next();
  });
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  await c.say('boom');
  await c.waitFor(botText(nl('errors.turn', { phone: '' }).slice(0, 25)), 'turn-error notice');

  // proactive: a stored conversation reference, continued later
  const reference = {
    channelId: 'directline',
    serviceUrl: LOCAL_SERVICE_URL, // what TurnContext.getConversationReference gives in a Direct Line turn
    conversation: { id: t.conversationId },
    bot: welcome.from,
    user: { id: JSON.parse(Buffer.from(t.token.split('.')[1], 'base64url').toString()).user, role: 'user' },
  };
  let updateError: unknown;
  await r.app.adapter.continueConversationAsync('', reference as never, async (context) => {
    const sent = await context.sendActivity('Een bericht van de klachtenfunctionaris.');
    try {
      await context.updateActivity({ ...context.activity, id: sent?.id, text: 'gewijzigd', type: 'message' });
    } catch (err) {
      updateError = err;
    }
  });
  await c.waitFor(botText('Een bericht van de klachtenfunctionaris.'), 'proactive message');
  expect(String(updateError)).toMatch(/not supported/);
});
