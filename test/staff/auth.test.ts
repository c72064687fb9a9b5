/**
 * Authentication of the staff API against a real identity provider on a local listener: real RS256
 * JWTs, verified by jose against the provider's JWKS fetched over HTTP; and API tokens stored as hashes.
 */
jest.mock('jose', () => require('module')._load(require.resolve('jose'), null, false));

import { hashToken, parseApiTokens, rolesOf } from '../../src/staff/auth';
import { API_TOKEN, API_TOKEN_ENTRY, AUDIENCE, oidcEnv, request, startApp, startIdp, type Idp, type TestApp } from './helpers';

let idp: Idp;
let t: TestApp;

beforeAll(async () => {
  idp = await startIdp();
  // no OIDC_JWKS_URL: the JWKS location comes from the provider's discovery document
  t = await startApp({ ...oidcEnv(idp), STAFF_API_TOKENS: `other:${'0'.repeat(64)}, ${API_TOKEN_ENTRY}` });
});

afterAll(async () => {
  await t.close();
  await idp.close();
});

const me = (token?: string, headers?: Record<string, string>) => request(t.base, 'GET', '/staff/api/me', { token, headers });

test('no token: 401 with a Bearer challenge, on every API route', async () => {
  for (const [method, path] of [
    ['GET', '/staff/api/me'],
    ['GET', '/staff/api/complaints'],
    ['GET', '/staff/api/complaints/KL-2026-ABCDEF'],
    ['GET', '/staff/api/complaints/KL-2026-ABCDEF/transcript'],
    ['POST', '/staff/api/complaints/KL-2026-ABCDEF/status'],
    ['POST', '/staff/api/complaints/KL-2026-ABCDEF/extension'],
    ['GET', '/staff/api/callbacks'],
    ['POST', '/staff/api/callbacks/1/done'],
    ['GET', '/staff/api/audit'],
  ]) {
    const res = await request(t.base, method, path);
    expect([path, res.status]).toEqual([path, 401]);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.json).toEqual({ error: 'no_token', message: 'Log in om verder te gaan.' });
  }
  expect((await me(undefined, { authorization: 'Basic dXNlcjpwYXNz' })).status).toBe(401);
});

test('a valid access token with the staff role is accepted and names the officer', async () => {
  const res = await me(await idp.token());
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ id: 'a.devries', via: 'oidc', roles: ['klachtenfunctionaris', 'staff'] });
});

test('expired token: 401 token_expired', async () => {
  const res = await me(await idp.token({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 }));
  expect(res.status).toBe(401);
  expect(res.json).toEqual({ error: 'token_expired', message: 'Uw sessie is verlopen. Log opnieuw in.' });
});

test('wrong audience: 401', async () => {
  const res = await me(await idp.token({ aud: 'some-other-api' }));
  expect(res.status).toBe(401);
  expect(res.json).toEqual({ error: 'invalid_token', message: expect.any(String) });
});

test('wrong issuer: 401', async () => {
  const res = await me(await idp.token({ iss: 'https://evil.example/realms/gemeente' }));
  expect(res.status).toBe(401);
  expect(res.json).toEqual({ error: 'invalid_token', message: expect.any(String) });
});

test('bad signature (another key under the provider key id), tampered payload, unsigned token: 401', async () => {
  expect((await me(await idp.token({}, { key: 'other' }))).status).toBe(401);
  const good = await idp.token();
  const [h, , s] = good.split('.');
  const forged = Buffer.from(JSON.stringify({ sub: 'u-123', preferred_username: 'mallory', roles: ['klachtenfunctionaris'], iss: idp.issuer, aud: AUDIENCE, exp: 9999999999 })).toString('base64url');
  expect((await me(`${h}.${forged}.${s}`)).status).toBe(401);
  const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
  expect((await me(`${none}.${forged}.`)).status).toBe(401);
  expect((await me('not-a-jwt-and-not-a-token')).status).toBe(401);
});

test('a klachtbehandelaar (OIDC_HANDLER_ROLE, default klachtbehandelaar) is let in with the handler role only', async () => {
  const res = await me(await idp.token({ roles: ['klachtbehandelaar'] }));
  expect(res.status).toBe(200);
  expect(res.json.roles).toEqual(['klachtbehandelaar', 'handler']);
  const list = await request(t.base, 'GET', '/staff/api/complaints', { token: await idp.token({ roles: ['klachtbehandelaar'] }) });
  expect(list.status).toBe(200);
  expect(list.json.items).toEqual([]); // nothing is assigned to them
});

test('a valid token without the staff role: 403', async () => {
  const noRole = await me(await idp.token({ roles: ['medewerker-burgerzaken'] }));
  expect(noRole.status).toBe(403);
  expect(noRole.json).toEqual({ error: 'not_staff', message: 'U heeft geen toegang tot de klachten.' });
  const noClaim = await me(await idp.token({ roles: undefined }));
  expect(noClaim.status).toBe(403);
  const list = await request(t.base, 'GET', '/staff/api/complaints', { token: await idp.token({ roles: [] }) });
  expect(list.status).toBe(403);
});

test('API tokens: the configured one works, a wrong one is 401, and only hashes are configured', async () => {
  const ok = await me(API_TOKEN);
  expect(ok.status).toBe(200);
  expect(ok.json).toEqual({ id: 'token:ops', via: 'token', roles: ['staff'] });
  expect((await me(`${API_TOKEN}x`)).status).toBe(401);
  expect((await me(hashToken(API_TOKEN).toString('hex'))).status).toBe(401); // the hash itself is no token
  expect(JSON.stringify(t.app.config)).not.toContain(API_TOKEN);
});

test('configuration: token entries are validated; roles may sit at a dot path', () => {
  expect(parseApiTokens(API_TOKEN_ENTRY)).toHaveLength(1);
  expect(() => parseApiTokens('ops:not-a-hash')).toThrow(/sha256/);
  expect(rolesOf({ realm_access: { roles: ['a', 'klachtenfunctionaris'] } }, 'realm_access.roles')).toEqual(['a', 'klachtenfunctionaris']);
  expect(rolesOf({ scp: 'x y' }, 'scp')).toEqual(['x', 'y']);
  expect(rolesOf({}, 'roles')).toEqual([]);
});

test('when the provider cannot be reached, OIDC tokens get 503 (API tokens still work)', async () => {
  const closedIdp = await startIdp();
  const issuer = closedIdp.issuer;
  const token = await closedIdp.token();
  await closedIdp.close();
  const t2 = await startApp({ OIDC_ISSUER: issuer, OIDC_AUDIENCE: AUDIENCE, STAFF_API_TOKENS: API_TOKEN_ENTRY });
  try {
    const res = await request(t2.base, 'GET', '/staff/api/me', { token });
    expect(res.status).toBe(503);
    expect(res.json).toEqual({ error: 'idp_unreachable', message: expect.any(String) });
    expect((await request(t2.base, 'GET', '/staff/api/me', { token: API_TOKEN })).status).toBe(200);
  } finally {
    await t2.close();
  }
});

test('without any configuration the staff API refuses everything', async () => {
  const t3 = await startApp({});
  try {
    expect((await request(t3.base, 'GET', '/staff/api/complaints', { token: API_TOKEN })).status).toBe(401);
    const cfg = await request(t3.base, 'GET', '/staff/config.json');
    expect(cfg.json).toEqual({ oidc: null, apiTokens: false });
  } finally {
    await t3.close();
  }
});
