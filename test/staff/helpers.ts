/**
 * Test helpers for the staff side: the real app on a free port with a real SQLite file, an identity
 * provider on a local HTTP listener (discovery, JWKS, authorize and token endpoints; the key pair is
 * generated here, tokens are real signed JWTs), and seeding of complaints with transcripts.
 *
 * jose 6 is an ES module, which Jest's module loader cannot require (Node < 24.9). Test files that use
 * OpenID Connect therefore map 'jose' to the real package loaded by Node's own loader:
 *   jest.mock('jose', () => require('module')._load(require.resolve('jose'), null, false));
 */
import { createHash, randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import type * as Jose from 'jose';
import type { Activity } from 'botbuilder';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { ComplaintInput } from '../../src/domain/complaint';
import { createLogger } from '../../src/logger';
import { loadMunicipality } from '../../src/municipality';

export const ISSUER_PATH = '/realms/gemeente';
export const AUDIENCE = 'klachtbot-staff';
export const STAFF_ROLE = 'klachtenfunctionaris';
export const CLIENT_ID = 'staff-page';

/** An API token and its configuration entry. */
export const API_TOKEN = 'test-api-token-0123456789abcdef';
export const API_TOKEN_ENTRY = `ops:${createHash('sha256').update(API_TOKEN).digest('hex')}`;

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klachtbot-staff-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Idp {
  issuer: string;
  jwksUrl: string;
  /** signs an access token with the provider's key; `claims` override the defaults */
  token(claims?: Record<string, unknown>, opts?: { expiresIn?: string | number; key?: 'idp' | 'other'; kid?: string }): Promise<string>;
  /** claims the authorize endpoint puts into the next token it issues */
  nextLogin: Record<string, unknown>;
  close(): Promise<void>;
}

/** A small OpenID provider on 127.0.0.1: discovery, JWKS, authorization code with PKCE (S256), token. */
export async function startIdp(): Promise<Idp> {
  const jose = require('jose') as typeof Jose;
  const { publicKey, privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const other = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'idp-key-1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; redirectUri: string; claims: Record<string, unknown> }>();
  let issuer = '';
  const idp: Idp = {
    issuer: '',
    jwksUrl: '',
    nextLogin: { sub: 'u-123', preferred_username: 'a.devries', roles: [STAFF_ROLE] },
    async token(claims = {}, opts = {}) {
      const base = { sub: 'u-123', preferred_username: 'a.devries', roles: [STAFF_ROLE], ...claims };
      return new jose.SignJWT(base)
        .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'idp-key-1', typ: 'at+jwt' })
        .setIssuer((claims.iss as string) ?? issuer)
        .setAudience((claims.aud as string) ?? AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(opts.expiresIn ?? '10m')
        .sign(opts.key === 'other' ? other.privateKey : privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  // restify (loaded in this process) patches ServerResponse.writeHead so that it does not return `this`
  const send = (res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body?: string) => {
    res.writeHead(status, headers);
    res.end(body);
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'content-type' };
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method === 'OPTIONS') return send(res, 204, cors);
      if (url.pathname === `${ISSUER_PATH}/.well-known/openid-configuration`) {
        return send(
          res,
          200,
          { 'content-type': 'application/json', ...cors },
          JSON.stringify({
            issuer,
            jwks_uri: `${issuer}/certs`,
            authorization_endpoint: `${issuer}/auth`,
            token_endpoint: `${issuer}/token`,
          }),
        );
      }
      if (url.pathname === `${ISSUER_PATH}/certs`) {
        return send(res, 200, { 'content-type': 'application/json', ...cors }, JSON.stringify({ keys: [jwk] }));
      }
      if (url.pathname === `${ISSUER_PATH}/auth`) {
        // signs in at once (no login form) and sends the browser back with a code
        const code = randomUUID();
        const redirectUri = url.searchParams.get('redirect_uri') ?? '';
        if (url.searchParams.get('code_challenge_method') !== 'S256' || url.searchParams.get('client_id') !== CLIENT_ID) {
          return send(res, 400, {}, 'bad request');
        }
        codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirectUri, claims: idp.nextLogin });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        return send(res, 302, { location: back.toString() });
      }
      if (url.pathname === `${ISSUER_PATH}/token` && req.method === 'POST') {
        const form = new URLSearchParams(body);
        const entry = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (!entry || entry.challenge !== challenge || entry.redirectUri !== form.get('redirect_uri')) {
          return send(res, 400, { 'content-type': 'application/json', ...cors }, JSON.stringify({ error: 'invalid_grant' }));
        }
        idp.token(entry.claims).then((accessToken) =>
          send(res, 200, { 'content-type': 'application/json', ...cors }, JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: 600 })),
        );
        return;
      }
      send(res, 404, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ISSUER_PATH}`;
  idp.issuer = issuer;
  idp.jwksUrl = `${issuer}/certs`;
  return idp;
}

export interface TestApp {
  app: App;
  base: string;
  /** the app's clock; tests move it */
  clock: { now: Date };
  close(): Promise<void>;
  dbFile: string;
}

export async function startApp(env: Record<string, string> = {}, now = new Date('2026-11-24T09:00:00Z')): Promise<TestApp> {
  const tmp = tempDir();
  const dbFile = path.join(tmp.dir, 'complaints.db');
  const config = loadConfig({ DATABASE_URL: `sqlite:${dbFile}`, PORT: '0', LOG_LEVEL: 'silent', ...env });
  const clock = { now };
  const app = await createApp(config, loadMunicipality(), { log: createLogger('silent'), clock: () => clock.now });
  const port = await app.listen(0);
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    clock,
    dbFile,
    close: async () => {
      await app.close();
      tmp.cleanup();
    },
  };
}

export function oidcEnv(idp: Idp, extra: Record<string, string> = {}): Record<string, string> {
  return { OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: AUDIENCE, OIDC_STAFF_ROLE: STAFF_ROLE, ...extra };
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function request(base: string, method: string, pathname: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const req = http.request(`${base}${pathname}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export function complaintInput(overrides: Partial<ComplaintInput> = {}): ComplaintInput {
  return {
    route: 'complaint',
    story: 'Ik heb drie keer gebeld over mijn paspoort en niemand belde terug.',
    incidentDate: '2026-11-17',
    incidentDateText: 'vorige week dinsdag',
    placeKind: 'phone',
    place: 'aan de telefoon',
    personKind: 'staff',
    person: 'mevrouw de Vries',
    solution: null,
    contact: { name: 'Jan Jansen', phone: '06 12345678', street: 'Dorpsstraat 12', postcode: '1182jr', city: 'Amstelveen', email: null },
    callback: null,
    ...overrides,
  };
}

/**
 * Files a complaint the way the bot does and logs a small transcript for its conversation (what the
 * citizen typed in `said`, each answered by the bot). Returns the reference.
 */
export async function seedComplaint(
  app: App,
  opts: { input?: Partial<ComplaintInput>; said?: string[]; conversationId?: string; channel?: string; at?: Date } = {},
): Promise<{ reference: string; conversationId: string }> {
  const conversationId = opts.conversationId ?? `conv-${randomUUID()}`;
  const channel = opts.channel ?? 'emulator';
  const said = opts.said ?? ['Ik wil een klacht indienen', 'Ja, versturen'];
  const at = opts.at ?? new Date();
  const base = { channelId: channel, conversation: { id: conversationId }, serviceUrl: 'http://127.0.0.1:1' };
  said.forEach((text, i) => {
    app.transcripts.logActivity({
      ...base,
      type: 'message',
      id: `${conversationId}-u${i}`,
      text,
      from: { id: 'citizen', name: 'Citizen', role: 'user' },
      recipient: { id: 'bot', name: 'Klachtbot', role: 'bot' },
      timestamp: new Date(at.getTime() + i * 2000),
    } as Partial<Activity> as Activity);
    app.transcripts.logActivity({
      ...base,
      type: 'message',
      id: `${conversationId}-b${i}`,
      text: `Antwoord ${i + 1} van de bot`,
      from: { id: 'bot', name: 'Klachtbot' },
      recipient: { id: 'citizen', name: 'Citizen' },
      timestamp: new Date(at.getTime() + i * 2000 + 1000),
    } as Partial<Activity> as Activity);
  });
  await app.transcripts.flush();
  const { reference } = await app.complaints.file(
    complaintInput(opts.input),
    { locale: 'nl', channel, conversationId },
    `${conversationId}/file`,
  );
  return { reference, conversationId };
}

/** Runs the staff command line in-process on the test app's database, capturing what it prints. */
export async function runCli(
  dbFile: string,
  args: string[],
  opts: { now: Date; user: string },
): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import('../../src/staff/cli');
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (s) => (out += `${s}\n`),
    err: (s) => (err += `${s}\n`),
    env: { DATABASE_URL: `sqlite:${dbFile}`, LOG_LEVEL: 'silent' },
    clock: () => opts.now,
    user: opts.user,
  });
  return { code, out, err };
}
