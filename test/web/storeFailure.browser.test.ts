/**
 * Issue 10, point 6, in a real browser (Debian's Chromium driven by playwright-core): the store
 * cannot be written while a citizen chats in Web Chat. The citizen sees the bot's clear message
 * (errors.turn) at once; their own message stays in the transcript, marked "Verzenden mislukt.
 * Opnieuw" (after Web Chat's send time-out), and once the store is back, "Opnieuw" sends the same
 * text again and the bot answers it.
 * The store fails for real: the app's SQLite connection is put in `PRAGMA query_only = ON`.
 */
import { existsSync } from 'fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CITIZEN } from '../../src/bench/intakeScript';
import { translator } from '../../src/i18n';
import { loadMunicipality } from '../../src/municipality';
import { start, stop, type Running } from '../directline/helpers';
import { sqliteDb, turnsSettled } from '../helpers/sqlite';

jest.setTimeout(120_000);

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const BOT_BUBBLES = '.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content';
const USER_BUBBLES = '.webchat__bubble--from-user .webchat__bubble__content';
const SEND_BOX = '[data-id="webchat-sendbox-input"]';
const SEND_FAILED = '.webchat__activity-status span';
const ERROR_TEXT = translator('nl')('errors.turn', { phone: loadMunicipality().phone });

let r: Running;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  }
  r = await start({ env: { DIRECTLINE_MAX_STARTS_PER_MINUTE: '100' } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await sqliteDb(r.app).exec('PRAGMA query_only = OFF').catch(() => undefined);
  await stop(r);
});

const botTexts = (page: Page) => page.$$eval(BOT_BUBBLES, (els) => els.map((e) => (e as HTMLElement).innerText));

test('the store fails: the citizen reads the clear message, keeps their text, and "Opnieuw" sends it once the store is back', async () => {
  context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'nl-NL' });
  const page = await context.newPage();
  await page.goto(`${r.base}/`);
  await page.locator(BOT_BUBBLES, { hasText: 'computerprogramma, geen mens' }).waitFor({ timeout: 20_000 });
  await turnsSettled(r.app); // the welcome turn still writes after its text went out

  await sqliteDb(r.app).exec('PRAGMA query_only = ON');
  try {
    await page.locator(SEND_BOX).fill(CITIZEN.nl.story);
    await page.locator(SEND_BOX).press('Enter');
    // the bot's clear message reaches the page
    await page.locator(BOT_BUBBLES, { hasText: ERROR_TEXT.slice(0, 40) }).waitFor({ timeout: 15_000 });
    expect(await botTexts(page)).toContain(ERROR_TEXT);
    // the citizen's message stays, marked as not sent, with a way to send it again
    await page.locator(SEND_FAILED, { hasText: 'Verzenden mislukt' }).first().waitFor({ timeout: 30_000 });
    expect(await page.locator(USER_BUBBLES, { hasText: CITIZEN.nl.story.slice(0, 40) }).count()).toBe(1);
  } finally {
    await sqliteDb(r.app).exec('PRAGMA query_only = OFF');
  }

  const before = (await botTexts(page)).length;
  await page.getByRole('button', { name: 'Opnieuw' }).click();
  // the same message is handled now: the bot asks the next question (not the story again, no new error)
  await page.waitForFunction(
    ([selector, n]) => document.querySelectorAll(selector as string).length > (n as number),
    [BOT_BUBBLES, before] as const,
    { timeout: 15_000 },
  );
  await page.waitForTimeout(500);
  const after = (await botTexts(page)).slice(before);
  expect(after.join('\n')).not.toContain(ERROR_TEXT);
  expect(after.join('\n')).toMatch(/Wanneer|Waar gaat het over|Klopt/);
  // Web Chat's retry sends the text as a new message: it shows as sent, and the failed original keeps its mark
  expect(await page.locator(USER_BUBBLES, { hasText: CITIZEN.nl.story.slice(0, 40) }).count()).toBe(2);
  expect(await page.locator(SEND_FAILED, { hasText: 'Verzenden mislukt' }).count()).toBe(1);
});
