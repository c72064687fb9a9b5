/**
 * HTTP clients for the security tests, from a chosen loopback source address (127.0.0.X), so that
 * per-client limits see different clients:
 * - `request()`: an ordinary HTTP request (Node's http client), answer parsed as JSON when it is;
 * - `raw()`: bytes written as they are on a new TCP connection (malformed requests, upgrades), timed
 *   until the status line of the answer.
 */
import http from 'http';
import net from 'net';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: unknown; from?: string; timeoutMs?: number } = {},
): Promise<Answer> {
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...opts.headers };
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers, agent: false, localAddress: opts.from, timeout: opts.timeoutMs ?? 10_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${opts.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface RawResult {
  /** the status code of the answer; 0 when the connection closed without one, -1 when none came in time */
  status: number;
  /** ms from connecting until the status line (or the close, or the time-out) */
  ms: number;
  /** how the connection ended without a status: 'closed', 'reset', 'timeout' */
  error?: string;
}

/** Writes `bytes` on a new connection from `from` and waits for the status line (at most `timeoutMs`). */
export function raw(port: number, bytes: Buffer, opts: { from?: string; timeoutMs?: number } = {}): Promise<RawResult> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
    let head = '';
    let done = false;
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: opts.from });
    const finish = (r: RawResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ status: -1, ms: ms(), error: 'timeout' }), opts.timeoutMs ?? 6000);
    socket.on('connect', () => socket.write(bytes, () => undefined));
    socket.on('data', (d: Buffer) => {
      head += d.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (m) finish({ status: Number(m[1]), ms: ms() });
      else if (head.length > 64 && !head.startsWith('HTTP/')) finish({ status: 0, ms: ms(), error: 'garbage' });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ status: 0, ms: ms(), error: err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'reset' : String(err.code ?? err.message) }));
    socket.on('close', () => finish({ status: 0, ms: ms(), error: 'closed' }));
  });
}

/** An HTTP/1.1 request as bytes; Content-Length is added for a body unless `headers` has its own framing. */
export function httpBytes(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1'];
  const names = Object.keys(headers).map((h) => h.toLowerCase());
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (!names.includes('connection')) lines.push('Connection: close');
  const b = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  if (b && !names.includes('content-length') && !names.includes('transfer-encoding')) lines.push(`Content-Length: ${b.length}`);
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8'), b ?? Buffer.alloc(0)]);
}
