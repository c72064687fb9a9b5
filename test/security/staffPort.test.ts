/**
 * The staff back office on its own port (STAFF_PORT, STAFF_HOST): the real app on real ports, and the
 * compiled server as a process. By default everything stays on one port.
 */
import { spawn } from 'child_process';
import net from 'net';
import type { AddressInfo } from 'net';
import path from 'path';
import { ConfigError, loadConfig } from '../../src/config';
import { API_TOKEN, API_TOKEN_ENTRY, request, seedComplaint, startApp, tempDir, type TestApp } from '../staff/helpers';

let t: TestApp | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

const STAFF_PATHS = ['/staff', '/staff/', '/staff/staff.js', '/staff/staff.css', '/staff/config.json', '/staff/api/me', '/staff/api/complaints'];

function refusesConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

test('default: one port serves the chat, /api/messages, /healthz and the staff back office', async () => {
  t = await startApp({ STAFF_API_TOKENS: API_TOKEN_ENTRY });
  expect(t.app.staffServer).toBeUndefined();
  expect(t.app.staffPort).toBeUndefined();
  expect((await request(t.base, 'GET', '/staff')).status).toBe(200);
  const me = await request(t.base, 'GET', '/staff/api/me', { token: API_TOKEN });
  expect(me.status).toBe(200);
  expect(me.json).toMatchObject({ id: 'token:ops' });
  expect((await request(t.base, 'GET', '/healthz')).status).toBe(200);
  expect((await request(t.base, 'GET', '/')).status).toBe(200);
});

test('STAFF_PORT: /staff and /staff/api only on the staff port at STAFF_HOST; the public port answers 404 for them', async () => {
  t = await startApp({ STAFF_API_TOKENS: API_TOKEN_ENTRY, STAFF_PORT: '0', STAFF_HOST: '127.0.0.1' });
  const { reference } = await seedComplaint(t.app);
  const staffPort = t.app.staffPort!;
  expect(staffPort).toBeGreaterThan(0);
  const address = t.app.staffServer!.address() as AddressInfo;
  expect(address.address).toBe('127.0.0.1');
  const staffBase = `http://127.0.0.1:${staffPort}`;
  expect(staffBase).not.toBe(t.base);

  for (const p of [...STAFF_PATHS, `/staff/api/complaints/${reference}`]) {
    const pub = await request(t.base, 'GET', p, { token: API_TOKEN });
    expect([p, pub.status]).toEqual([p, 404]);
    expect(pub.json.code).toBe('ResourceNotFound');
    expect(pub.text).not.toContain('Jansen');
  }
  const statusChange = await request(t.base, 'POST', `/staff/api/complaints/${reference}/status`, { token: API_TOKEN, body: { status: 'in_behandeling' } });
  expect(statusChange.status).toBe(404);

  // the staff port serves the back office, with the same authentication
  const page = await request(staffBase, 'GET', '/staff');
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toMatch(/text\/html/);
  expect((await request(staffBase, 'GET', '/staff/staff.js')).status).toBe(200);
  expect((await request(staffBase, 'GET', '/staff/api/me')).status).toBe(401);
  const list = await request(staffBase, 'GET', '/staff/api/complaints', { token: API_TOKEN });
  expect(list.status).toBe(200);
  expect(JSON.stringify(list.json)).toContain(reference);
  const one = await request(staffBase, 'GET', `/staff/api/complaints/${reference}`, { token: API_TOKEN });
  expect(one.status).toBe(200);
  // a body is parsed there too (bad input: a 400, not a crash)
  const bad = await request(staffBase, 'POST', `/staff/api/complaints/${reference}/status`, { token: API_TOKEN, body: { status: 42 }, headers: { 'If-Match': String(one.headers.etag) } });
  expect(bad.status).toBe(400);

  // and nothing else: the chat, /api/messages and Direct Line stay on the public port, as does /healthz
  for (const p of ['/', '/assets/webchat.js', '/api/directline/token', '/v3/directline/conversations']) {
    expect([p, (await request(staffBase, 'POST', p, { body: {} })).status]).toEqual([p, 404]);
    expect([p, (await request(staffBase, 'GET', p)).status]).toEqual([p, 404]);
  }
  expect((await request(staffBase, 'POST', '/api/messages', { body: {} })).status).toBe(404);
  expect((await request(staffBase, 'GET', '/healthz')).status).toBe(404);
  expect((await request(t.base, 'GET', '/healthz')).status).toBe(200);
  expect((await request(t.base, 'GET', '/')).status).toBe(200);

  // close() closes both servers
  const publicPort = Number(new URL(t.base).port);
  await t.close();
  t = undefined;
  expect(await refusesConnections(staffPort)).toBe(true);
  expect(await refusesConnections(publicPort)).toBe(true);
});

test('configuration: STAFF_PORT must differ from PORT, STAFF_HOST must be an address; the default host is this machine', () => {
  expect(loadConfig({}).STAFF_PORT).toBeUndefined();
  expect(loadConfig({ STAFF_PORT: '' }).STAFF_PORT).toBeUndefined();
  expect(loadConfig({ STAFF_PORT: '8080' })).toMatchObject({ STAFF_PORT: 8080, STAFF_HOST: '127.0.0.1' });
  expect(loadConfig({ STAFF_PORT: '8080', STAFF_HOST: '10.1.2.3' }).STAFF_HOST).toBe('10.1.2.3');
  expect(() => loadConfig({ STAFF_PORT: '3978' })).toThrow(/STAFF_PORT: must differ from PORT/);
  expect(() => loadConfig({ STAFF_PORT: '8080', PORT: '8080' })).toThrow(ConfigError);
  expect(() => loadConfig({ STAFF_PORT: 'eighty' })).toThrow(/STAFF_PORT/);
  expect(() => loadConfig({ STAFF_PORT: '70000' })).toThrow(/STAFF_PORT/);
  expect(() => loadConfig({ STAFF_HOST: 'evil host; rm' })).toThrow(/STAFF_HOST/);
});

test('the compiled server as a process: both ports answer, and SIGTERM stops both', async () => {
  const tmp = tempDir();
  const child = spawn(process.execPath, [path.resolve('dist/src/index.js')], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      STAFF_PORT: '0',
      DATABASE_URL: `sqlite:${path.join(tmp.dir, 'complaints.db')}`,
      LOG_LEVEL: 'info',
      STAFF_API_TOKENS: API_TOKEN_ENTRY,
    },
  });
  try {
    let out = '';
    const ports = await new Promise<{ port: number; staffPort: number }>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const p = /"event":"listening"[^\n]*"port":(\d+)/.exec(out);
        const s = /"staffPort":(\d+)/.exec(out);
        if (p && s) resolve({ port: Number(p[1]), staffPort: Number(s[1]) });
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const pub = `http://127.0.0.1:${ports.port}`;
    const staff = `http://127.0.0.1:${ports.staffPort}`;
    expect((await request(pub, 'GET', '/healthz')).status).toBe(200);
    expect((await request(pub, 'GET', '/staff/api/me', { token: API_TOKEN })).status).toBe(404);
    expect((await request(staff, 'GET', '/staff/api/me', { token: API_TOKEN })).status).toBe(200);
    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    expect(await refusesConnections(ports.staffPort)).toBe(true);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    tmp.cleanup();
  }
});
