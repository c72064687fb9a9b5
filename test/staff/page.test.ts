/**
 * The staff page in headless Chromium (playwright-core, Debian's chromium): sign in with an API token
 * and with the identity provider (authorization code + PKCE), list, filter and search, open a complaint
 * whose every citizen field is an HTML/script injection and see it as text, change status, download the
 * transcript, work the call-back queue. Runs always (also with CI=true); it fails when no browser exists.
 */
jest.mock('jose', () => require('module')._load(require.resolve('jose'), null, false));

import { readFileSync } from 'fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { API_TOKEN, API_TOKEN_ENTRY, CLIENT_ID, oidcEnv, seedComplaint, startApp, startIdp, STAFF_ROLE, type Idp, type TestApp } from './helpers';

jest.setTimeout(120_000);

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const INJECTION = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> De balie was dicht & niemand hielp.`;
const NAME = '<b onmouseover="window.__pwned=true">Jan</b> "Tables"';
const SAID = `<script>window.__pwned=3</script><a href="javascript:window.__pwned=5">klik</a>`;

let idp: Idp;
let t: TestApp;
let browser: Browser;
let injected: string;
let plain: string;
const dialogs: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  idp = await startIdp();
  t = await startApp({ ...oidcEnv(idp, { OIDC_CLIENT_ID: CLIENT_ID }), STAFF_API_TOKENS: API_TOKEN_ENTRY });
  plain = (await seedComplaint(t.app, { input: { story: 'De thuiszorg kwam drie weken niet opdagen bij mijn moeder.', route: 'care' } })).reference;
  t.clock.now = new Date(t.clock.now.getTime() + 3_600_000);
  injected = (
    await seedComplaint(t.app, {
      input: {
        story: INJECTION,
        place: '<svg onload="window.__pwned=6">',
        person: '<iframe src="javascript:window.__pwned=7"></iframe>',
        solution: '</dd><script>window.__pwned=8</script>',
        contact: { name: NAME, phone: '0612345678', street: '<i>Dorpsstraat</i> 12', postcode: '1182JR', city: 'Amstel<u>veen</u>', email: null },
      },
      said: [SAID, INJECTION],
    })
  ).reference;
  await t.app.complaints.requestCallback(
    { name: '<img src=x onerror="window.__pwned=true">Els', phone: '0201234567', date: '2026-11-26', partOfDay: 'morning' },
    { locale: 'nl', channel: 'emulator', conversationId: 'cb-page' },
    'cb-page',
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await idp?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

async function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
}

test('API token sign-in, list, search, injection shown as text, status change, download, call-backs', async () => {
  const page = await newPage();
  const response = await page.goto(`${t.base}/staff`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await page.fill('#api-token', API_TOKEN);
  await page.click('#token-form button[type=submit]');
  await page.waitForSelector(`tr[data-reference="${injected}"]`);
  await expect(page.textContent('#who-name')).resolves.toBe('token:ops');

  // the list: newest first; the injected name and story are text
  const refs = await page.$$eval('#complaint-rows tr', (rows) => rows.map((r) => r.getAttribute('data-reference')));
  expect(refs).toEqual([injected, plain]);
  const row = page.locator(`tr[data-reference="${injected}"]`);
  await expect(row.locator('td.name').textContent()).resolves.toBe(NAME);
  await expect(row.locator('td.excerpt').textContent()).resolves.toBe(INJECTION.slice(0, 160));

  // filter and search
  await page.selectOption('#f-route', 'care');
  await page.click('#filters button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#complaint-rows tr').length === 1);
  expect(await page.$$eval('#complaint-rows tr', (rows) => rows.map((r) => r.getAttribute('data-reference')))).toEqual([plain]);
  await page.selectOption('#f-route', '');
  await page.fill('#f-q', 'niemand');
  await page.click('#filters button[type=submit]');
  await page.waitForFunction((ref) => {
    const rows = document.querySelectorAll('#complaint-rows tr');
    return rows.length === 1 && rows[0].getAttribute('data-reference') === ref;
  }, injected);

  // the complaint: every field the citizen typed is shown literally, nothing of it became markup
  await page.click(`tr[data-reference="${injected}"] a.open`);
  await page.waitForSelector('#story');
  await expect(page.textContent('#story')).resolves.toBe(INJECTION);
  const fields = await page.textContent('#fields');
  for (const literal of [NAME, '<svg onload="window.__pwned=6">', '<iframe src="javascript:window.__pwned=7"></iframe>', '</dd><script>window.__pwned=8</script>', '<i>Dorpsstraat</i> 12', 'Amstel<u>veen</u>']) {
    expect(fields).toContain(literal);
  }
  const userTexts = await page.$$eval('#chat .bubble.user .text', (nodes) => nodes.map((n) => n.textContent));
  expect(userTexts).toEqual([SAID, INJECTION]);
  const botTexts = await page.$$eval('#chat .bubble.bot .text', (nodes) => nodes.map((n) => n.textContent));
  expect(botTexts).toEqual(['Antwoord 1 van de bot', 'Antwoord 2 van de bot']);
  expect(await page.locator('#main img, #main script, #main svg, #main iframe, #main b, #main i, #main u, #main a[href^="javascript"]').count()).toBe(0);
  await page.hover('#fields');
  expect(await pwned(page)).toBeUndefined();

  // status change with a note; the history shows who and what
  await page.selectOption('#new-status', 'informal');
  await page.fill('#status-note', 'Doorgestuurd naar <Burgerzaken>');
  await page.click('#status-form button[type=submit]');
  await page.waitForSelector('#timeline li');
  await expect(page.textContent('#timeline li')).resolves.toMatch(/token:ops — Ontvangen → Informee?le? (in behandeling|afhandeling): Doorgestuurd naar <Burgerzaken>/);
  await expect(page.textContent('#message')).resolves.toMatch(/^De status is gewijzigd: Informe/);
  expect((await t.app.complaints.getByReference(injected))?.status).toBe('informal');

  // the .transcript download
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  expect(download.suggestedFilename()).toBe(`${injected}.transcript`);
  const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(file.map((a: { text: string }) => a.text)).toEqual([SAID, 'Antwoord 1 van de bot', INJECTION, 'Antwoord 2 van de bot']);

  // call-back queue: the injected name is text; mark done
  await page.click('#nav a[data-view="callbacks"]');
  await page.waitForSelector('#callback-rows tr[data-callback]');
  await expect(page.textContent('#callback-rows tr[data-callback] td:nth-child(3)')).resolves.toBe('<img src=x onerror="window.__pwned=true">Els');
  await page.click('#callback-rows button.outcome-toggle');
  await page.click('#callback-rows form.callback-outcome button.done');
  await page.waitForFunction(() => document.querySelector('#callback-rows')?.textContent?.includes('Geen open terugbelverzoeken'));

  // the audit log page
  await page.click('#nav a[data-view="audit"]');
  await page.waitForSelector('#audit-rows tr');
  await expect(page.textContent('#audit-rows')).resolves.toContain('callback.done');

  expect(await pwned(page)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('sign-in with the identity provider (authorization code + PKCE); without the staff role: refused', async () => {
  idp.nextLogin = { sub: 'u-7', preferred_username: 'c.bakker', roles: [STAFF_ROLE] };
  const page = await newPage();
  await page.goto(`${t.base}/staff`);
  await page.click('#sign-in-oidc');
  await page.waitForSelector(`tr[data-reference="${injected}"]`);
  await expect(page.textContent('#who-name')).resolves.toBe('c.bakker');
  expect(page.url()).toBe(`${t.base}/staff#/complaints`); // code and state are gone from the address bar
  await page.click('#sign-out');
  await page.waitForSelector('#sign-in-oidc');

  idp.nextLogin = { sub: 'u-8', preferred_username: 'd.devos', roles: ['medewerker'] };
  const other = await newPage();
  await other.goto(`${t.base}/staff`);
  await other.click('#sign-in-oidc');
  await other.waitForSelector('#message:not([hidden])');
  await expect(other.textContent('#message')).resolves.toContain('niet de rol van klachtenfunctionaris');
  expect(await other.locator('#complaint-rows').count()).toBe(0);
  expect(pageErrors).toEqual([]);
});

test('an expired session says so; a wrong API token says the token is not valid; the menu stays hidden', async () => {
  const page = await newPage();
  await page.goto(`${t.base}/staff`);
  await page.waitForSelector('#api-token');
  expect(await page.isHidden('#nav')).toBe(true);
  // a token of the identity provider that expired two minutes ago, as if the session ran out
  const expired = await idp.token({}, { expiresIn: Math.floor(Date.now() / 1000) - 120 });
  await page.evaluate((tok) => sessionStorage.setItem('klachtbot.staff.token', tok), expired);
  await page.reload();
  await page.waitForSelector('#message:not([hidden])');
  await expect(page.textContent('#message')).resolves.toContain('Uw sessie is verlopen');
  expect(await page.isHidden('#nav')).toBe(true);

  await page.fill('#api-token', 'wrong-token');
  await page.press('#api-token', 'Enter');
  await page.waitForFunction(() => (document.getElementById('message')?.textContent ?? '').includes('Dit token is niet geldig'));
  expect(await page.textContent('#message')).not.toContain('sessie');
  expect(await page.isHidden('#nav')).toBe(true);
  expect(pageErrors).toEqual([]);
});
