/**
 * The chat page without a browser: what GET / serves, its assets and headers, the page's token
 * endpoint, and the Azure set-up (the page pointed at another Direct Line by configuration).
 */
import { readFileSync } from 'fs';
import path from 'path';
import { gunzipSync } from 'zlib';
import { loadMunicipality, type Municipality } from '../../src/municipality';
import { theme } from '../../src/web/page';
import { contrast } from '../../src/web/colours';
import { api, botText, client, start, stop, type Running } from '../directline/helpers';

const m = loadMunicipality();
let runs: Running[] = [];
afterEach(async () => {
  for (const r of runs.reverse()) await stop(r);
  runs = [];
});
const run = async (env: Record<string, string> = {}) => {
  const r = await start({ env });
  runs.push(r);
  return r;
};

test('GET / serves the page in Dutch in the gemeente\'s style, with the bot notice, a phone number and the privacy link', async () => {
  const secret = 'page-test-direct-line-secret';
  const r = await run({ DIRECTLINE_SECRET: secret });
  const res = await fetch(`${r.base}/`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  const csp = res.headers.get('content-security-policy')!;
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${r.port}`);
  const html = await res.text();
  expect(html).toContain('<html lang="nl">');
  expect(html).toContain(`<title>Klacht indienen | ${m.name}</title>`);
  expect(html).toContain(m.name);
  expect(html).toContain('U chat met een computerprogramma, niet met een mens.');
  expect(html).toContain(`href="tel:${m.phoneE164}"`);
  expect(html).toContain(`href="${m.urls.privacy}"`);
  expect(html).toContain('<script src="/assets/webchat.js" defer></script>');
  expect(html).toContain('lang="en" data-lang="en">English</button>');
  expect(html).not.toContain(secret);
  expect(html).not.toMatch(/cdn|unpkg|jsdelivr|botframework\.com/i);

  const en = await (await fetch(`${r.base}/?lang=en`)).text();
  expect(en).toContain('<html lang="en">');
  expect(en).toContain('You are chatting with a computer program, not a person.');
  expect(en).toContain('lang="nl" data-lang="nl">Nederlands</button>');

  const themeCss = await (await fetch(`${r.base}/assets/theme.css`)).text();
  expect(themeCss).toContain(`--primary: ${m.branding.primaryColor}`);
  expect(themeCss).toContain(`--on-primary: ${m.branding.primaryTextColor}`);

  // the page's token: a Direct Line token, never the secret
  const tokenRes = await fetch(`${r.base}/api/directline/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"locale":"nl-NL"}' });
  const token = await tokenRes.text();
  expect(tokenRes.headers.get('cache-control')).toBe('no-store');
  expect(token).not.toContain(secret);
  expect(JSON.parse(token)).toEqual({ token: expect.any(String), conversationId: expect.any(String), expires_in: 3600, domain: `${r.base}/v3/directline` });
});

test('Web Chat is served from the installed npm package, gzipped when the browser accepts it', async () => {
  const r = await run();
  const original = readFileSync(path.join(__dirname, '../../node_modules/botframework-webchat/dist/webchat.js'));
  const plainRes = await fetch(`${r.base}/assets/webchat.js`, { headers: { 'Accept-Encoding': 'identity' } });
  expect(plainRes.headers.get('content-type')).toMatch(/javascript/);
  expect(Buffer.from(await plainRes.arrayBuffer()).equals(original)).toBe(true);
  const raw = await import('http').then(
    (http) =>
      new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
        http.get(`${r.base}/assets/webchat.js`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
        }).on('error', reject);
      }),
  );
  expect(raw.encoding).toBe('gzip');
  expect(gunzipSync(raw.body).equals(original)).toBe(true);
  expect((await fetch(`${r.base}/assets/page.js`)).status).toBe(200);
  expect((await fetch(`${r.base}/assets/page.css`)).status).toBe(200);
  expect((await fetch(`${r.base}/assets/..%2Fpackage.json`)).status).toBe(404);
  expect((await fetch(`${r.base}/assets/nope.js`)).status).toBe(404);
});

test('a gemeente on Azure Bot Service: DIRECTLINE_ENDPOINT points the same page at that Direct Line, with the token exchanged on the server', async () => {
  // "Azure": another server with its own Direct Line and a secret
  const secret = 'azure-direct-line-secret-for-tests';
  const azure = await run({ DIRECTLINE_SECRET: secret });
  const site = await run({ DIRECTLINE_ENDPOINT: azure.domain, DIRECTLINE_SECRET: secret });

  const page = await fetch(`${site.base}/`);
  expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' http://127.0.0.1:${azure.port} ws://127.0.0.1:${azure.port}`);
  const tokenRes = await fetch(`${site.base}/api/directline/token`, { method: 'POST' });
  const body = await tokenRes.text();
  expect(body).not.toContain(secret);
  const t = JSON.parse(body);
  expect(t.domain).toBe(azure.domain);
  expect(JSON.parse(Buffer.from(t.token.split('.')[1], 'base64url').toString()).user).toMatch(/^dl_/);
  // the built-in Direct Line is off on the site
  expect((await api(site, 'POST', '/conversations', { token: t.token })).status).toBe(404);
  // and the page's token works at "Azure"
  const c = client({ domain: t.domain, token: t.token, webSocket: true });
  await c.waitFor(botText('Hallo! Ik ben de digitale assistent'), 'welcome from the other Direct Line');
  c.end();

  // "Azure" refusing or unreachable: a 502 for the page, the secret not in it
  await stop(runs.splice(0, 1)[0]);
  const down = await fetch(`${site.base}/api/directline/token`, { method: 'POST' });
  expect(down.status).toBe(502);
  expect(await down.text()).not.toContain(secret);
});

test('colours keep WCAG AA contrast whatever the municipality file says', () => {
  const light: Municipality = { ...m, branding: { primaryColor: '#ffd200', primaryTextColor: '#ffffff', accentColor: '#ffee99' } };
  const t = theme(light);
  expect(contrast(t.onPrimary, t.primary)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(t.link, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  expect(contrast(t.focus, '#ffffff')).toBeGreaterThanOrEqual(3);
  const own = theme(m);
  expect(own).toEqual({ primary: '#00548f', onPrimary: '#ffffff', link: '#00548f', focus: '#e3007d' });
});
