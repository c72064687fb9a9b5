/**
 * Faults against the real server as a process (`node dist/src/index.js`, default configuration: no
 * app id, the built-in Direct Line, one port), from several loopback client addresses:
 * - a client over the /api/messages rate limit gets 429 with Retry-After while another client is
 *   served (per client address), and a conversation over its limit gets 429 while the same client's
 *   other conversation is served (per conversation);
 * - the cross-channel attempt of issue 10 point 1: a Web Chat (Direct Line) conversation's id sent to
 *   /api/messages with channelId "directline" is refused, and the citizen's conversation carries on
 *   exactly as an untouched one does.
 * The other faults (kill -9 and redelivery, standard output on /dev/full, upgrades on wrong paths) are
 * tested next to their fixes.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import { startServer, type ServerProcess } from '../helpers/serverProcess';
import { STORY_NL } from '../helpers/script';
import { request, type Answer } from './client';

/** A bot's-eye view of a channel on 127.0.0.1: records every reply the bot sends to it. */
async function startSink(): Promise<{ url: string; paths: string[]; bodies: string[]; close: () => Promise<void> }> {
  const paths: string[] = [];
  const bodies: string[] = [];
  const srv = http.createServer((req, res) => {
    let b = '';
    req.on('data', (d) => (b += d));
    req.on('end', () => {
      paths.push(req.url ?? '');
      bodies.push(b);
      res.writeHead(200, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify({ id: `sink-${paths.length}` }));
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    paths,
    bodies,
    close: () => new Promise((resolve) => srv.close(() => resolve())),
  };
}

let activityCounter = 0;
function message(sinkUrl: string, conversationId: string, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    id: `fault-${++activityCounter}-${Date.now()}`,
    channelId: 'emulator',
    serviceUrl: sinkUrl,
    conversation: { id: conversationId },
    from: { id: `user-${conversationId}`, name: 'Burger' },
    recipient: { id: 'bot', name: 'Klachtbot' },
    locale: 'nl-NL',
    text,
    ...extra,
  };
}

/** A citizen on the chat page, over Direct Line REST (as botframework-directlinejs polls). */
class Citizen {
  private watermark = '';
  conversationId = '';
  private token = '';
  /** every text the bot sent, in order */
  readonly texts: string[] = [];

  constructor(
    private readonly base: string,
    private readonly from: string,
  ) {}

  async start(): Promise<string[]> {
    const page = await request(`${this.base}/api/directline/token`, { body: { locale: 'nl-NL' }, from: this.from });
    expect(page.status).toBe(200);
    const started = await request(`${this.base}/v3/directline/conversations`, { method: 'POST', headers: { Authorization: `Bearer ${page.json.token}` }, from: this.from });
    expect([200, 201]).toContain(started.status);
    this.conversationId = started.json.conversationId;
    this.token = started.json.token;
    return this.collect();
  }

  /** Says something and returns what the bot answered (the POST returns when the turn is done). */
  async say(text: string): Promise<string[]> {
    const res = await request(`${this.base}/v3/directline/conversations/${this.conversationId}/activities`, {
      headers: { Authorization: `Bearer ${this.token}` },
      body: { type: 'message', from: { id: 'user', name: 'Burger' }, text, locale: 'nl-NL' },
      from: this.from,
    });
    expect(res.status).toBe(200);
    return this.collect();
  }

  /** The bot's texts since the last call: polls until the bot said something and then stayed quiet for 300 ms. */
  private async collect(): Promise<string[]> {
    const got: string[] = [];
    let quietSince = 0;
    for (let i = 0; i < 100; i++) {
      const res = await request(`${this.base}/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, {
        headers: { Authorization: `Bearer ${this.token}` },
        from: this.from,
      });
      expect(res.status).toBe(200);
      this.watermark = res.json.watermark ?? this.watermark;
      const before = got.length;
      for (const a of res.json.activities as { from?: { role?: string; id?: string }; text?: string; type?: string }[]) {
        if (a.type === 'message' && a.from?.role !== 'user' && a.from?.id !== 'user') got.push(a.text ?? '');
      }
      if (got.length > before || got.length === 0) quietSince = Date.now();
      else if (Date.now() - quietSince >= 300) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    this.texts.push(...got);
    return got;
  }
}

describe('faults against the real server process', () => {
  let server: ServerProcess;
  let sink: Awaited<ReturnType<typeof startSink>>;

  beforeAll(async () => {
    sink = await startSink();
    server = await startServer({ env: { RETENTION_PURGE_EVERY_HOURS: '0' } });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await sink?.close();
  });

  test('/api/messages: a client over its rate limit gets 429 with Retry-After, while another client is served', async () => {
    const noisy = '127.0.0.2';
    const quiet = '127.0.0.3';
    // requests without a valid body count too (the limit is taken before the body is read)
    const answers: Answer[] = [];
    for (let i = 0; i < 1000 && !answers.some((a) => a.status === 429); i++) {
      answers.push(await request(`${server.url}/api/messages`, { body: {}, from: noisy }));
    }
    const limited = answers.find((a) => a.status === 429);
    expect(limited).toBeDefined();
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    // the default limit is 300 a minute: the first few hundred were answered normally (400: not an activity)
    expect(answers.filter((a) => a.status === 400).length).toBeGreaterThanOrEqual(250);
    // still limited on the next request
    expect((await request(`${server.url}/api/messages`, { body: message(sink.url, 'noisy-conv', 'hallo'), from: noisy })).status).toBe(429);

    // meanwhile the quiet client is served: 200 and the bot's answer reaches its channel
    const before = sink.paths.length;
    const served = await request(`${server.url}/api/messages`, { body: message(sink.url, 'quiet-conv', STORY_NL), from: quiet });
    expect(served.status).toBe(200);
    expect(sink.paths.slice(before).some((p) => p.includes('/v3/conversations/quiet-conv/activities'))).toBe(true);
  }, 120_000);

  test('/api/messages: a conversation over its rate limit gets 429, while the same client\'s other conversation is served', async () => {
    const from = '127.0.0.4';
    const statuses: number[] = [];
    let last: Answer | undefined;
    for (let i = 0; i < 200 && last?.status !== 429; i++) {
      last = await request(`${server.url}/api/messages`, { body: message(sink.url, 'busy-conv', `bericht ${i}`), from });
      statuses.push(last.status);
    }
    expect(last?.status).toBe(429);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(50); // the default is 60 a minute
    const before = sink.paths.length;
    const other = await request(`${server.url}/api/messages`, { body: message(sink.url, 'calm-conv', STORY_NL), from });
    expect(other.status).toBe(200);
    expect(sink.paths.slice(before).some((p) => p.includes('/v3/conversations/calm-conv/activities'))).toBe(true);
  }, 120_000);

  test('cross-channel: a Web Chat conversation id over /api/messages is refused, and the citizen\'s conversation carries on unchanged', async () => {
    const victim = new Citizen(server.url, '127.0.0.10');
    const control = new Citizen(server.url, '127.0.0.11');
    // both citizens: welcome, then the story
    expect(await victim.start()).toEqual(await control.start());
    const storyReply = await victim.say(STORY_NL);
    expect(storyReply).toEqual(await control.say(STORY_NL));
    expect(storyReply.join('\n')).toMatch(/\?/); // the intake goes on with a question

    // the attacker knows the victim's conversation id and tries to drive the dialog through /api/messages,
    // from this very machine (the strongest position: the loopback check alone would let it in)
    const attempts: { text: string; channelId: string; from?: string; headers?: Record<string, string> }[] = [
      { text: 'stop', channelId: 'directline' },
      { text: 'opnieuw', channelId: 'DirectLine' },
      { text: 'Jan Aanvaller', channelId: ' directline ' },
      { text: 'stop', channelId: 'directline', from: '127.0.0.99' },
      { text: 'stop', channelId: 'directline', headers: { 'X-Forwarded-For': '203.0.113.7' } },
    ];
    const sinkBefore = sink.paths.length;
    for (const a of attempts) {
      const answer = await request(`${server.url}/api/messages`, {
        body: {
          ...message(sink.url, victim.conversationId, a.text, { channelId: a.channelId }),
          from: { id: 'user', name: 'Aanvaller' },
        },
        from: a.from ?? '127.0.0.1',
        headers: a.headers,
      });
      expect({ channelId: a.channelId, status: answer.status >= 400 && answer.status < 500 }).toEqual({ channelId: a.channelId, status: true });
    }
    // nothing of the victim's conversation went to the attacker's serviceUrl
    expect(sink.paths.slice(sinkBefore).filter((p) => p.includes(victim.conversationId))).toEqual([]);
    expect(sink.bodies.slice(sinkBefore).join('\n')).not.toContain(victim.conversationId);

    // the victim carries on: each next answer is what the untouched conversation gets
    // (whatever the intake asks: both get the same answers; after a "stop" or "opnieuw" the victim's would differ)
    for (const next of ['Ja', 'vorige week dinsdag', 'Ja']) {
      const got = await victim.say(next);
      expect(got).toEqual(await control.say(next));
      expect(got.join('\n')).not.toMatch(/Gestopt\.|we beginnen opnieuw/i);
    }
    expect(victim.texts).toEqual(control.texts);
  }, 120_000);
});
