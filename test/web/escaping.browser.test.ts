/**
 * Issue 10, point 7, in a real browser (Debian's Chromium driven by playwright-core, as in
 * chat.browser.test.ts): text that came from the citizen is shown as text on the chat page.
 * - The page layer alone: a bot message with raw HTML (sent straight through the built-in Direct
 *   Line, without the bot's escaping) shows the tags as text; markdown still renders.
 * - End to end: a citizen whose story and wished solution hold an image tag and a markdown link sees
 *   them back in the summary as text: no <img src=x> and no link to http://evil anywhere in the
 *   transcript, and the script never ran.
 */
import { existsSync } from 'fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CITIZEN } from '../../src/bench/intakeScript';
import { move } from '../security/intakeDriver';
import { start, stop, type Running } from '../directline/helpers';

jest.setTimeout(180_000);

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const BOT_BUBBLES = '.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content';
const USER_BUBBLES = '.webchat__bubble--from-user .webchat__bubble__content';
const SEND_BOX = '[data-id="webchat-sendbox-input"]';
const TRANSCRIPT = '.webchat__basic-transcript';

const IMG = '<img src=x onerror=window.xss=1>';
const LINK = '[klik hier](http://evil.example/)';

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

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await stop(r);
});

async function openPage(): Promise<Page> {
  context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'nl-NL' });
  const page = await context.newPage();
  await page.goto(`${r.base}/`);
  await page.locator(BOT_BUBBLES, { hasText: 'computerprogramma, geen mens' }).waitFor({ timeout: 20_000 });
  return page;
}

/** What the transcript holds that must never come from a citizen's text. */
async function dangerous(page: Page): Promise<{ images: number; evilLinks: number; xss: number }> {
  return page.evaluate((selector) => {
    const root = document.querySelector(selector) ?? document.body;
    return {
      images: root.querySelectorAll('img[src="x"], img[onerror]').length,
      evilLinks: Array.from(root.querySelectorAll('a[href], button[value]')).filter((a) => /evil/.test(a.getAttribute('href') ?? a.getAttribute('value') ?? '')).length,
      xss: (window as unknown as { xss?: number }).xss ?? 0,
    };
  }, TRANSCRIPT);
}

test('the page shows raw HTML in a bot message as text, and still renders markdown', async () => {
  const page = await openPage();
  const conversationId = await page.evaluate(() => JSON.parse(sessionStorage.getItem('klachtbot.chat') ?? '{}').conversationId as string);
  expect(conversationId).toBeTruthy();
  // straight through the Direct Line, as a bot message: no escaping by the bot
  await r.app.chat.directLine!.send({
    type: 'message',
    conversation: { id: conversationId } as never,
    from: { id: 'bot', name: 'Klachtbot', role: 'bot' } as never,
    text: `Ruw: ${IMG} <a href=/evil>link</a> en **vet**`,
  });
  const bubble = page.locator(BOT_BUBBLES, { hasText: 'Ruw:' });
  await bubble.waitFor({ timeout: 10_000 });
  expect(await bubble.innerText()).toContain('<img src=x onerror=');
  expect(await bubble.innerText()).toContain('<a href=/evil>link</a>');
  expect(await bubble.locator('strong', { hasText: 'vet' }).count()).toBe(1);
  await page.waitForTimeout(300);
  expect(await dangerous(page)).toEqual({ images: 0, evilLinks: 0, xss: 0 });
});

test('a story and a wished solution with an image tag and a markdown link come back as text in the summary', async () => {
  const page = await openPage();
  const story = `${CITIZEN.nl.story} ${IMG} ${LINK}`;
  const solution = `${CITIZEN.nl.solution} ${IMG} ${LINK}`;
  let seen = 0;
  let atSummary = false;
  for (let i = 0; i < 60 && !atSummary; i++) {
    const texts = await page.$$eval(BOT_BUBBLES, (els) => els.map((e) => (e as HTMLElement).innerText));
    const buttons = await page.$$eval('.webchat__suggested-actions button', (els) => els.map((e) => (e as HTMLElement).innerText.trim()));
    const next = texts.length > seen ? move(texts.slice(seen), buttons, { story, solution }) : undefined;
    if (!next) {
      await page.waitForTimeout(100);
      continue;
    }
    if ('done' in next) throw new Error('filed before the summary was seen');
    if ('summary' in next) {
      atSummary = true;
      break;
    }
    seen = texts.length;
    const before = await page.locator(USER_BUBBLES).count();
    if (buttons.includes(next.send)) {
      await page.locator('.webchat__suggested-actions button', { hasText: next.send }).first().click();
    } else {
      await page.locator(SEND_BOX).fill(next.send);
      await page.locator(SEND_BOX).press('Enter');
    }
    await page.waitForFunction(([s, n]) => document.querySelectorAll(s as string).length > (n as number), [USER_BUBBLES, before] as const, { timeout: 10_000 });
  }
  expect(atSummary).toBe(true);
  const summary = page.locator(BOT_BUBBLES, { hasText: 'klik hier' }).last();
  await summary.waitFor({ timeout: 20_000 });
  const shown = await summary.innerText();
  expect(shown).toContain(`${IMG} ${LINK}`);
  // the citizen's own messages are text too
  expect(await page.locator(USER_BUBBLES, { hasText: '<img src=x' }).count()).toBeGreaterThan(0);
  await page.waitForTimeout(300);
  expect(await dangerous(page)).toEqual({ images: 0, evilLinks: 0, xss: 0 });
});
