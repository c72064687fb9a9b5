/**
 * A channel on loopback that receives the bot's replies (POST /v3/conversations/:id/activities); while
 * `holding`, it records them but never answers their POST, so the turn that sent them stays provably in
 * flight (until its process dies). Used by the crash tests on one process and on several instances.
 */
import http from 'http';
import type { AddressInfo } from 'net';

export class HoldingChannel<R extends object = Record<string, unknown>> {
  private server!: http.Server;
  readonly replies: R[] = [];
  serviceUrl = '';
  /** while set, replies are recorded but their POST is never answered */
  holding = false;
  private waiters: ((r: R) => void)[] = [];
  private readonly held: http.ServerResponse[] = [];

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.method !== 'POST' || !/^\/v3\/conversations\/[^/]+\/activities/.test(req.url ?? '')) {
          res.statusCode = 404;
          res.end();
          return;
        }
        const activity = JSON.parse(body) as R;
        this.replies.push(activity);
        if (this.holding) {
          this.held.push(res);
          this.waiters.splice(0).forEach((w) => w(activity));
          return;
        }
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: `r-${this.replies.length}` }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** resolves with the first reply that arrives while holding */
  nextHeld(): Promise<R> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
