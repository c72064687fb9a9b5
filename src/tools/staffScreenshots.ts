/**
 * `npm run staff:screenshots`: screenshots of the staff page for the README. Starts the real app on a
 * temporary SQLite file with made-up complaints (no real people), handles one of them through the API
 * (assignment, note, status), and saves PNGs (1280×800) of the main views to docs/screenshots/ with
 * Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) through playwright-core.
 * Options: --out DIR (docs/screenshots).
 */
import { randomBytes, randomUUID } from 'crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { parseArgs } from 'util';
import type { Activity } from 'botbuilder';
import { chromium, type Page } from 'playwright-core';
import { createApp, type App } from '../app';
import { loadConfig } from '../config';
import type { ComplaintInput } from '../domain/complaint';
import { createLogger } from '../logger';
import { loadMunicipality } from '../municipality';
import { hashToken } from '../staff/auth';

const { values } = parseArgs({ options: { out: { type: 'string', default: path.resolve(__dirname, '../../../docs/screenshots') } } });
const OUT = path.resolve(values.out!);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TOKEN = randomBytes(18).toString('base64url');

/** Made-up citizens and stories. */
const PEOPLE: { input: Partial<ComplaintInput>; said: string[]; daysAgo: number }[] = [
  {
    daysAgo: 1,
    said: ['Ik wil een klacht indienen over de balie', 'Ja, versturen'],
    input: {
      story: 'Ik stond een uur te wachten aan de balie van Burgerzaken voor mijn paspoort. Niemand vertelde hoe lang het nog zou duren.',
      incidentDate: null,
      incidentDateText: 'vorige week',
      placeKind: 'counter',
      place: 'balie Burgerzaken',
      personKind: 'department',
      person: 'Burgerzaken',
      solution: 'Een excuus, en voortaan laten weten hoe lang het wachten duurt.',
      contact: { name: 'Petra Voorbeeld', phone: '0612345678', street: 'Voorbeeldlaan 1', postcode: '1181AA', city: 'Amstelveen', email: 'petra@example.org' },
    },
  },
  {
    daysAgo: 3,
    said: ['Niemand belt terug over mijn parkeervergunning', 'Ja'],
    input: {
      story: 'Ik heb drie keer gebeld over mijn parkeervergunning en er is nooit teruggebeld, terwijl dat wel was beloofd.',
      placeKind: 'phone',
      place: 'aan de telefoon',
      contact: { name: 'Kees Proef', phone: '0687654321', street: 'Proefstraat 8', postcode: '1183AB', city: 'Amstelveen', email: null },
    },
  },
  {
    daysAgo: 12,
    said: ['De vuilnisbak wordt niet geleegd', 'Ja, versturen'],
    input: {
      story: 'De ondergrondse container in onze straat is al drie weken vol. Mijn meldingen krijgen geen antwoord.',
      placeKind: 'elsewhere',
      place: 'Testplein',
      contact: { name: 'Anna Testers', phone: null, street: 'Testplein 4', postcode: '1185XE', city: 'Amstelveen', email: 'anna@example.org' },
    },
  },
  {
    daysAgo: 40,
    said: ['Klacht over de brief over de WOZ', 'Ja'],
    input: {
      story: 'De brief over mijn aanvraag was onbegrijpelijk en bevatte de verkeerde datum voor de afspraak.',
      placeKind: 'mail',
      place: 'per post',
      contact: { name: 'Mo Fictief', phone: '0201234567', street: 'Fictieweg 22', postcode: '1182JR', city: 'Amstelveen', email: null },
    },
  },
];

function input(over: Partial<ComplaintInput>): ComplaintInput {
  return {
    route: 'complaint',
    story: 'Voorbeeld',
    incidentDate: null,
    incidentDateText: 'onlangs',
    placeKind: null,
    place: 'onbekend',
    personKind: 'staff',
    person: 'een medewerker',
    solution: null,
    contact: { name: 'Voorbeeld', phone: null, street: 'Voorbeeldlaan 1', postcode: '1181AA', city: 'Amstelveen', email: null },
    callback: null,
    ...over,
  } as ComplaintInput;
}

async function seed(app: App, now: Date, clock: { now: Date }): Promise<string[]> {
  const refs: string[] = [];
  for (const p of PEOPLE) {
    const conversationId = `demo-${randomUUID()}`;
    const at = new Date(now.getTime() - p.daysAgo * 86_400_000);
    const base = { channelId: 'webchat', conversation: { id: conversationId }, serviceUrl: 'http://127.0.0.1:1' };
    p.said.forEach((text, i) => {
      app.transcripts.logActivity({ ...base, type: 'message', id: `${conversationId}-u${i}`, text, from: { id: 'citizen', role: 'user' }, recipient: { id: 'bot', role: 'bot' }, timestamp: new Date(at.getTime() + i * 4000) } as Partial<Activity> as Activity);
      app.transcripts.logActivity({ ...base, type: 'message', id: `${conversationId}-b${i}`, text: i === 0 ? 'Wat vervelend. Wanneer gebeurde dit?' : 'Dank u. Uw klacht is ontvangen.', from: { id: 'bot' }, recipient: { id: 'citizen' }, timestamp: new Date(at.getTime() + i * 4000 + 1500) } as Partial<Activity> as Activity);
    });
    await app.transcripts.flush();
    clock.now = at;
    const { reference } = await app.complaints.file(input(p.input), { locale: 'nl', channel: 'webchat', conversationId }, `${conversationId}/file`);
    refs.push(reference);
  }
  clock.now = now;
  await app.complaints.requestCallback(
    { name: 'Sam Bedenkt', phone: '0209876543', date: new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10), partOfDay: 'afternoon' },
    { locale: 'en', channel: 'webchat', conversationId: 'demo-callback' },
    'demo-callback',
  );
  return refs;
}

async function api(base: string, method: string, pathname: string, body?: unknown, version?: number): Promise<{ status: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (version !== undefined) headers['if-match'] = `"${version}"`;
  const res = await fetch(`${base}/staff/api${pathname}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** A change with If-Match; reports (does not throw) when an endpoint is missing, so the other shots still come. */
async function change(base: string, ref: string, pathname: string, body: unknown): Promise<void> {
  const current = await api(base, 'GET', `/complaints/${ref}`);
  const r = await api(base, 'POST', `/complaints/${ref}${pathname}`, body, current.json?.version);
  if (r.status >= 300) process.stderr.write(`note: ${pathname} answered ${r.status}\n`);
}

async function shoot(page: Page, name: string, hash: string, ready: string, opts: { full?: boolean; print?: boolean } = {}): Promise<void> {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForSelector(ready, { timeout: 15_000 });
  await page.waitForTimeout(300);
  await page.evaluate(() => { (document.activeElement as HTMLElement | null)?.blur(); window.scrollTo(0, 0); });
  if (opts.print) await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: Boolean(opts.full) });
  if (opts.print) await page.emulateMedia({ media: 'screen' });
  process.stdout.write(`${path.join(OUT, `${name}.png`)}\n`);
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'klachtbot-shots-'));
  const now = new Date();
  const config = loadConfig({ DATABASE_URL: `sqlite:${path.join(tmp, 'demo.db')}`, PORT: '0', LOG_LEVEL: 'silent', STAFF_API_TOKENS: `demo:${hashToken(TOKEN).toString('hex')}` });
  const clock = { now };
  const app = await createApp(config, loadMunicipality(), { log: createLogger('silent'), clock: () => clock.now });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, env: { ...process.env, LANGUAGE: 'nl', LANG: 'nl_NL.UTF-8' }, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--lang=nl-NL'] });
  try {
    const port = await app.listen(0);
    const base = `http://127.0.0.1:${port}`;
    const refs = await seed(app, now, clock);
    const [first, second, , old] = refs;
    await change(base, first, '/assignment', { assignee: 'token:demo', department: null, handler: null });
    await change(base, first, '/status', { status: 'formal', note: 'Formeel in behandeling; de inwoner wordt gehoord.' });
    await change(base, first, '/notes', { text: 'Gebeld met Burgerzaken: de wachttijd was die ochtend 55 minuten.' });
    await change(base, second, '/notes', { text: 'Gebeld, geen gehoor.' });
    await change(base, old, '/status', { status: 'informal', note: 'Telefonisch contact opgenomen.' });
    await change(base, old, '/status', { status: 'resolved', note: 'Uitgelegd en excuses aangeboden.', outcome: 'opgelost_informeel', category: 'informatievoorziening' });

    mkdirSync(OUT, { recursive: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
    const page = await context.newPage();
    await page.goto(`${base}/staff`);
    await page.waitForSelector('#api-token');
    await page.screenshot({ path: path.join(OUT, 'staff-sign-in.png') });
    await page.fill('#api-token', TOKEN);
    await page.press('#api-token', 'Enter');
    await page.waitForSelector('#complaint-rows tr[data-reference]');
    await shoot(page, 'staff-list', '#/complaints', '#complaint-rows tr[data-reference]');
    await shoot(page, 'staff-complaint', `#/complaints/${first}`, '#timeline');
    // closing with an outcome: the confirmation step
    await page.selectOption('#new-status', 'resolved');
    await page.fill('#status-note', 'Excuses aangeboden; de balie krijgt op drukke ochtenden een extra medewerker.');
    await page.selectOption('#status-outcome', 'gegrond');
    await page.click('#status-submit');
    await page.waitForSelector('#confirm-final:not([hidden])');
    await page.evaluate(() => document.getElementById('status-form')?.scrollIntoView());
    await page.screenshot({ path: path.join(OUT, 'staff-close.png') });
    process.stdout.write(`${path.join(OUT, 'staff-close.png')}\n`);
    await shoot(page, 'staff-due', '#/due', '#complaint-rows tr');
    await shoot(page, 'staff-callbacks', '#/callbacks', '#callback-rows tr');
    // manual entry of a letter, sent without the required fields: the error summary and the errors at the fields
    await page.evaluate(() => { location.hash = '#/new'; });
    await page.waitForSelector('#new-form');
    await page.check('#new-channel-letter');
    await page.fill('#new-story', 'Per brief: de ondergrondse container in de Proefstraat is al twee weken vol.');
    await page.click('#new-submit');
    await page.waitForSelector('#error-summary:not([hidden])');
    await shoot(page, 'staff-new', '#/new', '#error-summary:not([hidden])');
    await shoot(page, 'staff-report', `#/reports/${now.getFullYear()}`, '#report-totals');
    await shoot(page, 'staff-print', `#/complaints/${first}`, '#timeline', { print: true });
    const templates = await api(base, 'GET', '/mail/templates');
    if (templates.status === 200 && Array.isArray(templates.json) && templates.json.length > 0) {
      await shoot(page, 'staff-mail', `#/mail/${encodeURIComponent(templates.json[0].id)}?locale=nl`, '#mail-subject');
    }
    await context.close();
  } finally {
    await browser.close();
    await app.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
