/**
 * A channel as the Bot Framework Emulator is one: it POSTs activities to the bot's /api/messages with
 * a serviceUrl pointing at itself, and receives the bot's replies on
 * POST {serviceUrl}/v3/conversations/{conversationId}/activities[/{replyToId}].
 * Used by the end-to-end test and the benchmark; everything goes over real HTTP on loopback.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import { randomUUID } from 'crypto';

export interface ChannelActivity {
  type: string;
  id?: string;
  text?: string;
  replyToId?: string;
  suggestedActions?: { actions: { title: string; value: string }[] };
  [key: string]: unknown;
}

export class Channel {
  private server?: http.Server;
  private readonly inbox = new Map<string, ChannelActivity[]>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  serviceUrl = '';

  constructor(private readonly botUrl: string, private readonly channelId = 'emulator') {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        // restify patches ServerResponse.writeHead in this process and does not return `this`: no chaining.
        if (req.method !== 'POST' || !m) {
          res.statusCode = 404;
          res.end();
          return;
        }
        const conversationId = decodeURIComponent(m[1]);
        const activity = JSON.parse(body) as ChannelActivity;
        const list = this.inbox.get(conversationId) ?? [];
        list.push(activity);
        this.inbox.set(conversationId, list);
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: randomUUID() }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  /** POSTs one activity to the bot; resolves with the HTTP status and the replies the turn produced. */
  async send(conversationId: string, activity: Partial<ChannelActivity>, locale = 'nl-NL'): Promise<{ status: number; replies: ChannelActivity[] }> {
    const before = this.inbox.get(conversationId)?.length ?? 0;
    const full = {
      id: randomUUID(),
      channelId: this.channelId,
      serviceUrl: this.serviceUrl,
      conversation: { id: conversationId },
      from: { id: `user-${conversationId}`, name: 'Citizen', role: 'user' },
      recipient: { id: 'bot', name: 'Klachtbot', role: 'bot' },
      locale,
      timestamp: new Date().toISOString(),
      ...activity,
    };
    const status = await this.post(`${this.botUrl}/api/messages`, JSON.stringify(full));
    return { status, replies: (this.inbox.get(conversationId) ?? []).slice(before) };
  }

  say(conversationId: string, text: string, locale?: string) {
    return this.send(conversationId, { type: 'message', text }, locale);
  }

  join(conversationId: string, locale?: string) {
    return this.send(conversationId, { type: 'conversationUpdate', membersAdded: [{ id: `user-${conversationId}` }] } as Partial<ChannelActivity>, locale);
  }

  post(url: string, body: string, contentType = 'application/json', retried = false): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent: this.agent, headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        // a kept-alive connection the server closed just as it was reused: the request never got there; once more
        if (!retried && req.reusedSocket && err.code === 'ECONNRESET') resolve(this.post(url, body, contentType, true));
        else reject(err);
      });
      req.end(body);
    });
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
