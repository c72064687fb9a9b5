/**
 * Issue 10, point 6: when the store cannot be written, a Web Chat citizen gets the same clear message
 * as on other channels (errors.turn, sent by the adapter's onTurnError), and what they typed is kept:
 * the POST answers 503 with Retry-After (Web Chat keeps the message and offers to send it again), and
 * once the store recovers the same activity (same clientActivityID) is sent again and handled.
 *
 * The real app on a real port with a SQLite file; the store fails for real: the connection is put in
 * `PRAGMA query_only = ON`, so every write (dedupe mark, state, activity log) is refused by SQLite.
 * The citizen's side is botframework-directlinejs over a WebSocket (as Web Chat), plus plain HTTP.
 */
import { translator } from '../../src/i18n';
import { loadMunicipality } from '../../src/municipality';
import { client, pageToken, start, stop, type Client, type Running } from '../directline/helpers';
import { sqliteDb, turnsSettled } from '../helpers/sqlite';

jest.setTimeout(60_000);

const STORY = 'Ik heb drie keer gebeld over mijn paspoort en niemand belde terug, de medewerker was ook erg onvriendelijk';
const ERROR_TEXT = translator('nl')('errors.turn', { phone: loadMunicipality().phone });

let r: Running;
let c: Client | undefined;

beforeAll(async () => {
  r = await start({ env: { DIRECTLINE_MAX_STARTS_PER_MINUTE: '100' } });
});

afterAll(async () => {
  c?.end();
  await sqliteDb(r.app).exec('PRAGMA query_only = OFF').catch(() => undefined);
  await stop(r);
});

async function http(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${r.domain}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined };
}

test('the store fails during a conversation: the citizen is told over Direct Line, and the same message is handled once it recovers', async () => {
  const tok = await pageToken(r);
  c = client({ domain: r.domain, token: tok.token, webSocket: true });
  await c.waitFor((a) => a.from?.role === 'bot' && /computerprogramma, geen mens/.test(a.text ?? ''), 'welcome');
  const conv = tok.conversationId;
  const message = { type: 'message', text: STORY, locale: 'nl-NL', from: { id: 'x' }, channelData: { clientActivityID: 'client-1' } };
  // the welcome turn still writes after its text went out: let it finish, so that only the message's turn meets the failing store
  await turnsSettled(r.app);

  await sqliteDb(r.app).exec('PRAGMA query_only = ON');
  try {
    // the message cannot be stored: a clear 503 with Retry-After, not a 500
    const failed = await http('POST', `/conversations/${conv}/activities`, tok.token, message);
    expect(failed).toMatchObject({ status: 503, retryAfter: '5', body: { error: { code: 'ServiceUnavailable' } } });
    // the citizen gets the same message as on every channel, on the stream ...
    const notice = await c.waitFor((a) => a.from?.role === 'bot' && a.text === ERROR_TEXT, 'errors.turn over the stream');
    expect(notice.replyToId).toBeDefined();
    // ... and a polling client too
    const polled = await http('GET', `/conversations/${conv}/activities`, tok.token);
    expect(polled.status).toBe(200);
    expect(polled.body.activities.map((a: { text?: string }) => a.text)).toContain(ERROR_TEXT);
    // the client's own library treats it as a failed send to retry, not as sent
    await expect(c.post({ ...message, channelData: { clientActivityID: 'client-2' } })).rejects.toThrow(/retry/);
    // a new conversation cannot be stored either: 503 with Retry-After
    const other = await pageToken(r);
    const started = await http('POST', '/conversations', other.token, {});
    expect(started).toMatchObject({ status: 503, retryAfter: '5' });
  } finally {
    await sqliteDb(r.app).exec('PRAGMA query_only = OFF');
  }

  // the store is back: the same activity (same clientActivityID) is sent again, and handled
  const errorsBefore = c.activities.filter((a) => a.text === ERROR_TEXT).length;
  const again = await http('POST', `/conversations/${conv}/activities`, tok.token, message);
  expect(again.status).toBe(200);
  const id = again.body.id as string;
  const answer = await c.waitFor((a) => a.from?.role === 'bot' && a.replyToId === id, 'the answer to the message sent again');
  expect(answer.text).not.toBe(ERROR_TEXT);
  // the bot has the story now: it asks the next question, not the story again
  expect(answer.text).not.toMatch(/Wat is er gebeurd/);
  expect(c.activities.filter((a) => a.text === ERROR_TEXT)).toHaveLength(errorsBefore);
  // what the citizen typed is in the conversation's stored log
  const log = await http('GET', `/conversations/${conv}/activities`, tok.token);
  expect(log.body.activities.filter((a: { from: { role?: string }; text?: string }) => a.from.role === 'user' && a.text === STORY)).toHaveLength(1);
  // and a repeat of it now is answered with the first id, and does not run again
  const repeat = await http('POST', `/conversations/${conv}/activities`, tok.token, message);
  expect(repeat).toMatchObject({ status: 200, body: { id } });
});
