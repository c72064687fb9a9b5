/**
 * The complaint officer's day on the staff page, keyboard only, in headless Chromium (playwright-core,
 * Debian's chromium) against the real app on a SQLite file: the menu hidden before sign-in, a wrong
 * token, sign-in, open a complaint from the list (focus on its heading), assign, add a note, close with
 * an outcome (after a confirmation), reopen, a colleague's change in between (412: the Dutch message
 * and the reloaded state, nothing overwritten), a letter, Back and forward, manual entry (a field error
 * first), the annual report and the other views; axe-core (WCAG 2.1 A/AA) after every view renders.
 * One browser and one page for the whole file.
 */
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import type { Activity } from 'botbuilder';
import { chromium, type Browser, type Page } from 'playwright-core';
import { API_TOKEN, API_TOKEN_ENTRY, request, seedComplaint, startApp, type TestApp } from './helpers';

jest.setTimeout(180_000);

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** a klachtbehandelaar's API token (role 'handler'): acts as token:kb */
const HANDLER_TOKEN = 'handler-token-0123456789abcdef';
const HANDLER_ENTRY = `kb:${createHash('sha256').update(HANDLER_TOKEN).digest('hex')}:handler`;

let t: TestApp;
let browser: Browser;
let page: Page;
let ref: string;
let other: string;
const pageErrors: string[] = [];
const axeByView: Record<string, unknown[]> = {};

beforeAll(async () => {
  t = await startApp({ STAFF_API_TOKENS: `${API_TOKEN_ENTRY},${HANDLER_ENTRY}` }, new Date());
  other = (await seedComplaint(t.app, { input: { story: 'De gemeente reageerde niet op mijn brief over de parkeervergunning.' } })).reference;
  ref = (
    await seedComplaint(t.app, {
      input: {
        story: 'Ik stond een uur te wachten aan de balie van Burgerzaken en niemand hielp mij.',
        contact: { name: 'Petra Voorbeeld', phone: '0612345678', street: 'Voorbeeldlaan 1', postcode: '1181AA', city: 'Amstelveen', email: 'petra@example.org' },
      },
    })
  ).reference;
  // a call-back without complaint, with its own short conversation
  t.app.transcripts.logActivity({
    type: 'message',
    id: 'cb-only-u0',
    text: 'Please call me back about my parking permit',
    channelId: 'webchat',
    conversation: { id: 'cb-only' },
    from: { id: 'citizen', role: 'user' },
    recipient: { id: 'bot', role: 'bot' },
    timestamp: new Date(),
  } as Partial<Activity> as Activity);
  await t.app.transcripts.flush();
  await t.app.complaints.requestCallback(
    { name: 'Kees Proef', phone: '0201234567', date: '2026-01-05', partOfDay: 'morning' },
    { locale: 'en', channel: 'webchat', conversationId: 'cb-only' },
    'cb-only',
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  // axe is injected as a script: the page's CSP is bypassed for that only
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Presses Tab until the element matching `selector` has focus: proves it is reachable by keyboard. */
async function tabTo(selector: string, max = 250): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`not reachable with Tab: ${selector}`);
}

/** Tabs to a select and moves its value with the arrow keys. */
async function choose(selector: string, value: string): Promise<void> {
  await tabTo(selector);
  await page.keyboard.press('Home');
  for (let i = 0; i < 40; i++) {
    if ((await page.$eval(selector, (s) => (s as HTMLSelectElement).value)) === value) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`${selector}: no option ${value}`);
}

async function typeInto(selector: string, text: string): Promise<void> {
  await tabTo(selector);
  await page.keyboard.type(text);
}

async function press(selector: string): Promise<void> {
  await tabTo(selector);
  await page.keyboard.press('Enter');
}

async function axe(view: string): Promise<void> {
  await page.evaluate(AXE);
  axeByView[view] = await page.evaluate(async () => {
    const a = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const res = await a.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return res.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  expect({ view, violations: axeByView[view] }).toEqual({ view, violations: [] });
}

/** In the page: the text of the view's heading when it has the focus, else null. */
const headingInFocus = () => (document.activeElement?.id === 'view-title' ? document.activeElement.textContent : null);

async function focusedHeading(): Promise<string | null> {
  return page.evaluate(headingInFocus);
}

/**
 * Opens a view from the menu and waits until it is drawn, which is when its heading takes the focus:
 * until then the focus is on the link just pressed, and the list views share their rows' selector, so
 * rows on the page do not tell. A heading that never takes the focus is left to the caller's assertions.
 */
async function openView(view: string): Promise<void> {
  await press(`#nav a[data-view="${view}"]`);
  await page
    .waitForURL((url) => url.hash.startsWith(`#/${view}`), { timeout: 10_000 })
    .then(() => page.waitForFunction(headingInFocus, undefined, { timeout: 10_000 }))
    .catch(() => undefined);
}

async function message(text: string): Promise<void> {
  try {
    await page.waitForFunction((s) => {
      const m = document.getElementById('message');
      return m && !m.hidden && (m.textContent ?? '').includes(s);
    }, text, { timeout: 10_000 });
  } catch {
    throw new Error(`message "${text}" not shown; the page shows: "${await page.textContent('#message')}"`);
  }
}

async function detail(): Promise<{ status: string; version: number; timeline: { kind: string; note?: string; text?: string }[]; assignee?: string; outcome?: string | null }> {
  const r = await request(t.base, 'GET', `/staff/api/complaints/${ref}`, { token: API_TOKEN });
  return r.json;
}

test('the menu is hidden before sign-in; a wrong token says the token is not valid', async () => {
  await page.goto(`${t.base}/staff#/complaints/${ref}`);
  await page.waitForSelector('#api-token');
  expect(await page.isHidden('#nav')).toBe(true);
  expect(await page.isHidden('#who')).toBe(true);
  await axe('sign-in');
  await typeInto('#api-token', 'not-a-token');
  await page.keyboard.press('Enter');
  await message('Dit token is niet geldig');
  expect(await page.textContent('#message')).not.toContain('sessie is verlopen');
  expect(await page.isHidden('#nav')).toBe(true);
});

test('sign in lands on the linked complaint; the list opens a complaint with focus on its heading', async () => {
  await page.fill('#api-token', '');
  await typeInto('#api-token', API_TOKEN);
  await page.keyboard.press('Enter');
  // the link in the address bar survives the sign-in
  await page.waitForSelector('#timeline');
  expect(await focusedHeading()).toBe(`Klacht ${ref}`);
  expect(await page.isVisible('#nav')).toBe(true);
  await page.waitForSelector('#counts:not([hidden])');
  expect(await page.textContent('#counts')).toMatch(/Nieuw: 2.*Over termijn: 0/);
  await axe('complaint');

  await openView('complaints');
  await page.waitForSelector(`tr[data-reference="${other}"]`);
  expect(page.url()).toBe(`${t.base}/staff#/complaints`);
  expect(await page.title()).toBe('Klachten – Klachten – medewerkers');
  expect(await focusedHeading()).toBe('Klachten');
  await axe('list');
  await press(`tr[data-reference="${ref}"] a.open`);
  await page.waitForSelector('#timeline');
  expect(page.url()).toBe(`${t.base}/staff#/complaints/${ref}`);
  expect(await page.title()).toBe(`Klacht ${ref} – Klachten – medewerkers`);
  expect(await focusedHeading()).toBe(`Klacht ${ref}`);
  // the heading is scrolled into view
  expect(await page.$eval('#view-title', (h) => h.getBoundingClientRect().top)).toBeLessThan(200);

  // Back and forward
  await page.goBack();
  await page.waitForSelector(`tr[data-reference="${other}"]`);
  expect(await focusedHeading()).toBe('Klachten');
  await page.goForward();
  await page.waitForSelector('#timeline');
  expect(await focusedHeading()).toBe(`Klacht ${ref}`);
});

test('assign, add a note, close with an outcome after confirming, reopen', async () => {
  await typeInto('#assign-assignee', 'a.devries');
  await typeInto('#assign-handler', 'token:kb');
  await press('#assign-form button[type=submit]');
  await message('De toewijzing is opgeslagen.');
  expect(await focusedHeading()).toBe(`Klacht ${ref}`);
  expect(await page.textContent('#deadlines')).toContain('a.devries');
  expect((await detail()).assignee).toBe('a.devries');

  await typeInto('#note-text', 'Gebeld, geen gehoor.');
  await press('#note-form button[type=submit]');
  await message('De notitie is toegevoegd.');
  expect(await page.textContent('#timeline')).toContain('Gebeld, geen gehoor.');
  expect((await detail()).status).toBe('received');

  await choose('#new-status', 'formal');
  await typeInto('#status-note', 'Formeel in behandeling genomen.');
  await press('#status-submit');
  await message('De status is gewijzigd: Formeel in behandeling.');
  expect(await focusedHeading()).toBe(`Klacht ${ref}`);

  await choose('#new-status', 'resolved');
  await typeInto('#status-note', 'Excuses aangeboden; de balie krijgt een extra medewerker.');
  await choose('#status-outcome', 'gegrond');
  await choose('#status-category', 'wachttijd');
  await press('#status-submit');
  // a final state: the page asks first, focus on the confirming button
  await page.waitForSelector('#confirm-final:not([hidden])');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('confirm-yes');
  expect(await page.textContent('#confirm-text')).toContain('Gegrond');
  expect((await detail()).status).toBe('formal');
  await axe('confirm close');
  await page.keyboard.press('Enter');
  await message('De status is gewijzigd: Afgehandeld.');
  const closed = await detail();
  expect(closed.status).toBe('resolved');
  expect(closed.outcome).toBe('gegrond');
  expect(await page.textContent('#deadlines')).toContain('Gegrond');

  await typeInto('#reopen-reason', 'De inwoner belde: het probleem is er nog.');
  await press('#reopen-form button[type=submit]');
  await message('De klacht is heropend.');
  expect(await focusedHeading()).toBe(`Klacht ${ref}`);
  const reopened = await detail();
  expect(reopened.status).toBe('formal');
  expect(reopened.outcome ?? null).toBeNull();
  expect(await page.textContent('#timeline')).toContain('De inwoner belde: het probleem is er nog.');
});

test('a colleague changed the complaint in between: the Dutch message, the current state, nothing overwritten', async () => {
  const seen = await detail();
  const colleague = await request(t.base, 'POST', `/staff/api/complaints/${ref}/notes`, {
    token: API_TOKEN,
    headers: { 'if-match': `"${seen.version}"` },
    body: { text: 'Notitie van een collega.' },
  });
  expect(colleague.status).toBe(200);
  await typeInto('#note-text', 'Mijn notitie op een oude versie.');
  await press('#note-form button[type=submit]');
  await message('Een collega heeft deze klacht gewijzigd');
  expect(await page.textContent('#timeline')).toContain('Notitie van een collega.');
  expect(await focusedHeading()).toBe(`Klacht ${ref}`);
  const after = await detail();
  expect(after.version).toBeGreaterThan(seen.version);
  expect(JSON.stringify(after.timeline)).not.toContain('Mijn notitie op een oude versie.');
  // what the officer wrote is kept; the page now holds the current version, so sending it again goes through
  expect(await page.$eval('#note-text', (n) => (n as HTMLTextAreaElement).value)).toBe('Mijn notitie op een oude versie.');
  await page.fill('#note-text', '');
  await typeInto('#note-text', 'Nu wel opgeslagen.');
  await press('#note-form button[type=submit]');
  await message('De notitie is toegevoegd.');
  expect(JSON.stringify((await detail()).timeline)).toContain('Nu wel opgeslagen.');

  // the decision term extended once (Awb 9:11): the form is gone afterwards
  await typeInto('#extension-note', 'Advies van de afdeling is nodig.');
  await press('#extension-form button[type=submit]');
  await message('De termijn is met 4 weken verdaagd.');
  expect(await page.textContent('#deadlines')).toContain('(verdaagd)');
  expect(await page.locator('#extension-form').count()).toBe(0);
});

test('a letter: previewed as PDF, sent by e-mail and on the timeline', async () => {
  await tabTo('#letter-receipt');
  const [preview] = await Promise.all([page.context().waitForEvent('page'), press('#letter-preview')]);
  await preview.waitForURL(/^blob:/); // the tab opens at the click, then shows the fetched PDF
  await preview.close();
  await message('Het voorbeeld is geopend in een nieuw tabblad.');
  await press('#letter-send');
  await message('De brief is opgeslagen en wordt per e-mail verstuurd.');
  expect((await detail()).timeline.some((e) => e.kind === 'letter')).toBe(true);
  expect(await page.locator('#timeline li[data-kind="letter"]').count()).toBeGreaterThan(0);

  // the notice of extension (the term was extended above) to print: stored, on the timeline, its PDF opened in a new tab
  await tabTo('#letter-receipt');
  await page.keyboard.press('ArrowDown');
  expect(await page.$eval('#letter-extension', (r) => (r as HTMLInputElement).checked)).toBe(true);
  await typeInto('#letter-extension-reason', 'Wij hebben advies van de afdeling nodig.');
  const [pdf] = await Promise.all([page.context().waitForEvent('page'), press('#letter-print')]);
  await pdf.waitForURL(/^blob:/);
  await pdf.close();
  await message('De brief is opgeslagen en geopend in een nieuw tabblad om af te drukken.');
  expect(await page.locator('#timeline li[data-kind="letter"]').count()).toBe(2);
});

test('a document added from a file, read back; the deliveries with their status and a retry', async () => {
  await tabTo('#doc-file');
  await page.setInputFiles('#doc-file', { name: 'brief-inwoner.txt', mimeType: 'text/plain', buffer: Buffer.from('Geachte heer/mevrouw, hierbij mijn aanvulling.') });
  await typeInto('#doc-description', 'Brief van de inwoner');
  await press('#document-form button[type=submit]');
  await message('Het document is toegevoegd.');
  const item = page.locator('#timeline li[data-kind="document"]');
  await expect(item.textContent()).resolves.toContain('brief-inwoner.txt');
  await expect(page.textContent('#documents')).resolves.toContain('brief-inwoner.txt (1 kB, Brief van de inwoner, token:ops');
  const [download] = await Promise.all([page.waitForEvent('download'), item.locator('button').press('Enter')]);
  expect(readFileSync((await download.path())!, 'utf8')).toBe('Geachte heer/mevrouw, hierbij mijn aanvulling.');

  // the letter sent by e-mail is a delivery (no SMTP here: it waits or fails, with its error, and can be retried)
  const rows = page.locator('#deliveries tr[data-delivery-row]');
  expect(await rows.count()).toBeGreaterThan(0);
  await expect(page.textContent('#deliveries')).resolves.toContain('Brief per e-mail');
  const retry = page.locator('#deliveries button.retry').first();
  if ((await retry.count()) > 0) {
    await press('#deliveries button.retry');
    await message('De verzending wordt opnieuw geprobeerd.');
  } else {
    expect(await page.locator('#deliveries tr[data-status="sent"]').count()).toBeGreaterThan(0);
  }
});

test('the complaint with its whole timeline prints on one or two A4 pages, without menu and forms', async () => {
  await page.emulateMedia({ media: 'print' });
  expect(await page.isHidden('#nav')).toBe(true);
  expect(await page.isHidden('#handling')).toBe(true);
  expect(await page.isVisible('#timeline')).toBe(true);
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  await page.emulateMedia({ media: 'screen' });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
  expect(pages).toBeGreaterThanOrEqual(1);
  expect(pages).toBeLessThanOrEqual(2);
});

test('manual entry: a field error first, then filed with its channel', async () => {
  await openView('new');
  await page.waitForSelector('#new-form');
  expect(await focusedHeading()).toBe('Klacht invoeren');
  await axe('new');
  // the channel: letter (arrow keys in the radio group)
  await tabTo('#new-channel-phone');
  await page.keyboard.press('ArrowDown');
  expect(await page.$eval('#new-channel-letter', (r) => (r as HTMLInputElement).checked)).toBe(true);
  await typeInto('#new-story', 'Per brief: de vuilnisbak is drie weken niet geleegd en niemand reageert op mijn meldingen.');
  await typeInto('#new-place', 'Voorbeeldstraat');
  await typeInto('#new-contact-street', 'Voorbeeldstraat 3');
  await typeInto('#new-contact-postcode', '11 AB');
  await typeInto('#new-contact-city', 'Amstelveen');
  await press('#new-submit');
  // the name is missing: the summary gets focus and names it; the error is next to the field
  await page.waitForSelector('#error-summary:not([hidden])');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
  expect(await page.textContent('#error-summary')).toContain('Naam');
  expect(await page.textContent('#new-contact-name-error')).toContain('Vul dit in.');
  expect(await page.getAttribute('#new-contact-name', 'aria-invalid')).toBe('true');
  await axe('new with errors');
  await typeInto('#new-contact-name', 'Henk Proefpersoon');
  await press('#new-submit');
  // the server checks as the chatbot does: the postcode is wrong, said next to the field
  await page.waitForFunction(() => !document.getElementById('new-contact-postcode-error')?.hidden);
  expect(await page.getAttribute('#new-contact-postcode', 'aria-invalid')).toBe('true');
  expect(await page.textContent('#error-summary')).toContain('Postcode');
  expect(await page.getAttribute('#new-contact-name', 'aria-invalid')).toBeNull();
  await message('De klacht is niet opgeslagen');
  await page.fill('#new-contact-postcode', '');
  await typeInto('#new-contact-postcode', '1183 AB');
  await press('#new-submit');
  await page.waitForFunction(() => /#\/complaints\/KL-/.test(location.hash) && document.getElementById('timeline'));
  const filed = decodeURIComponent(page.url().split('#/complaints/')[1]);
  await message(`De klacht is opgeslagen met kenmerk ${filed}.`);
  const r = await request(t.base, 'GET', `/staff/api/complaints/${filed}`, { token: API_TOKEN });
  expect(r.json.intakeChannel).toBe('letter');
  expect(r.json.contact.name).toBe('Henk Proefpersoon');
  expect(await page.textContent('#deadlines')).toContain('Brief');
});

test('the annual report, the other views, and the list as CSV', async () => {
  const year = new Date().getFullYear();
  await openView('reports');
  await page.waitForSelector('#report-totals');
  expect(page.url()).toBe(`${t.base}/staff#/reports/${year}`);
  expect(await focusedHeading()).toBe(`Jaarverslag klachten ${year}`);
  expect(await page.textContent('#report-totals')).toContain('Klachten');
  await page.waitForSelector('#report-byChannel');
  await page.waitForSelector('figure.chart img');
  expect(await page.$$eval('figure.chart img', (imgs) => imgs.every((i) => (i.getAttribute('alt') ?? '').length > 10))).toBe(true);
  await axe('report');

  for (const [view, ready] of [
    ['mine', '#complaint-rows tr'],
    ['due', '#complaint-rows tr'],
    ['callbacks', '#callback-rows tr'],
    ['deliveries', '#deliveries-list table, #deliveries-list p'],
    ['mail', '#mail-form'],
    ['audit', '#audit-rows tr'],
  ] as const) {
    await openView(view);
    await page.waitForSelector(ready);
    expect(page.url()).toContain(`#/${view}`);
    expect(await focusedHeading()).not.toBeNull();
    await axe(view);
  }

  // a mail template previewed with a made-up complaint
  await openView('mail');
  await page.waitForSelector('#mail-form');
  await press('#mail-form button[type=submit]');
  await page.waitForSelector('#mail-subject');
  expect(page.url()).toMatch(/#\/mail\/[\w.%-]+\?locale=nl$/);
  expect((await page.textContent('#mail-text'))?.length).toBeGreaterThan(20);
  await axe('mail preview');
  const [html] = await Promise.all([page.waitForEvent('download'), press('#mail-html-download')]);
  expect(html.suggestedFilename()).toMatch(/^voorbeeld-.+-nl\.html$/);
  expect(readFileSync((await html.path())!, 'utf8')).toMatch(/<html|<body|<p/i);

  // the list exported as CSV, with the current filters, fetched with the token
  await openView('complaints');
  await page.waitForSelector(`tr[data-reference="${other}"]`);
  const [csv] = await Promise.all([page.waitForEvent('download'), press('#export-csv')]);
  expect(csv.suggestedFilename()).toMatch(/^klachten-\d{4}-\d{2}-\d{2}\.csv$/);
  const csvText = readFileSync((await csv.path())!, 'utf8');
  expect(csvText).toContain(ref);
  expect(csvText).toContain(';');
});

test('call-backs: missed and its language shown; not reached, then reached with a note that stays visible', async () => {
  await openView('callbacks');
  await page.waitForSelector('#callback-rows tr[data-callback]');
  const row = page.locator('#callback-rows tr[data-callback]').first();
  await expect(row.textContent()).resolves.toContain('Engels');
  await expect(row.textContent()).resolves.toContain('Gemist');
  await expect(row.textContent()).resolves.toContain('Alleen terugbellen');
  // its conversation, downloaded with the token
  const [conversation] = await Promise.all([page.waitForEvent('download'), press('#callback-rows button.conversation')]);
  expect(conversation.suggestedFilename()).toMatch(/^TB-\d{4}-\w+\.transcript$/);
  expect(readFileSync((await conversation.path())!, 'utf8')).toContain('Please call me back about my parking permit');

  await press('#callback-rows button.outcome-toggle');
  expect(await page.getAttribute('#callback-rows button.outcome-toggle', 'aria-expanded')).toBe('true');
  // focus is on the first outcome; the arrow key picks "niet bereikt"
  await page.keyboard.press('ArrowDown');
  await typeInto('#callback-rows form.callback-outcome textarea', 'Voicemail ingesproken.');
  await press('#callback-rows form.callback-outcome button.done');
  await message('niet bereikt');
  await page.waitForFunction(() => /1 \(laatst: Niet bereikt\)/.test(document.querySelector('#callback-rows tr[data-callback]')?.textContent ?? ''));

  await press('#callback-rows button.outcome-toggle');
  await typeInto('#callback-rows form.callback-outcome textarea', 'Teruggebeld: vraag beantwoord.');
  await press('#callback-rows form.callback-outcome button.done');
  await message('Gemarkeerd als teruggebeld.');
  await page.waitForFunction(() => (document.getElementById('callback-rows')?.textContent ?? '').includes('Geen open terugbelverzoeken'));
  await press('#callbacks-done');
  await page.waitForSelector('#callback-rows tr[data-callback]');
  expect(await page.textContent('#callback-rows')).toContain('Teruggebeld: vraag beantwoord.');
  await axe('callbacks done');
});

test('on a 320 px wide screen the list and a complaint reflow (no sideways scrolling of the page)', async () => {
  await page.setViewportSize({ width: 320, height: 640 });
  try {
    for (const hash of ['#/complaints', `#/complaints/${ref}`]) {
      await page.evaluate((h) => { location.hash = h; }, hash);
      await page.waitForSelector(hash === '#/complaints' ? `tr[data-reference="${ref}"]` : '#timeline');
      const wider = await page.evaluate(() =>
        Array.from(document.querySelectorAll('body *'))
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
          .slice(-5)
          .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`),
      );
      expect({ hash, wider }).toEqual({ hash, wider: [] });
      await axe(`320px ${hash}`);
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});

test('sign-out hides the menu again', async () => {

  await press('#sign-out');
  await page.waitForSelector('#api-token');
  expect(await page.isHidden('#nav')).toBe(true);
  expect(await page.textContent('#message')).toContain('U bent uitgelogd.');
  expect(pageErrors).toEqual([]);
});

test('a klachtbehandelaar sees only the complaint assigned to them and may add a note with a proposed outcome', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const own = await context.newPage();
  own.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    await own.goto(`${t.base}/staff`);
    await own.fill('#api-token', HANDLER_TOKEN);
    await own.press('#api-token', 'Enter');
    await own.waitForSelector(`tr[data-reference="${ref}"]`);
    expect(await own.locator('#complaint-rows tr[data-reference]').count()).toBe(1);
    expect(await own.locator('#nav li:not([hidden]) a').evaluateAll((as) => as.map((a) => a.getAttribute('data-view')))).toEqual(['complaints', 'mine']);
    await own.click(`tr[data-reference="${ref}"] a.open`);
    await own.waitForSelector('#note-form');
    expect(await own.locator('#status-form, #reopen-form, #assign-form, #letter-form').count()).toBe(0);
    await own.fill('#note-text', 'Met de afdeling besproken; voorstel: gegrond.');
    await own.selectOption('#note-proposed-outcome', 'gegrond');
    await own.click('#note-form button[type=submit]');
    await own.waitForFunction(() => (document.getElementById('message')?.textContent ?? '').includes('De notitie is toegevoegd.'));
    expect(await own.textContent('#timeline')).toContain('Met de afdeling besproken');
  } finally {
    await context.close();
  }
  expect(pageErrors).toEqual([]);
});
