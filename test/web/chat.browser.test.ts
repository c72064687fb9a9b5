/**
 * The chat page in a real browser (Debian's Chromium driven by playwright-core): a citizen files a
 * complete complaint through Web Chat by typing and clicking the suggested buttons, in Dutch, then
 * switches to English and files another; the references shown are the stored complaints. Also:
 * polling mode, and an axe-core check for WCAG 2.1 A/AA on a desktop and a phone screen.
 * These tests always run (in CI too); without Chromium they fail and say how to install it.
 */
import { existsSync, mkdirSync, readFileSync } from 'fs';
import path from 'path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { nextStep, CITIZEN, type IntakeLocale } from '../../src/bench/intakeScript';
import { translator } from '../../src/i18n';
import { start, stop, type Running } from '../directline/helpers';

jest.setTimeout(180_000);

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ARTIFACTS = path.join(__dirname, '../../artifacts');
const BOT_BUBBLES = '.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content';
const USER_BUBBLES = '.webchat__bubble--from-user .webchat__bubble__content';
const SEND_BOX = '[data-id="webchat-sendbox-input"]';

let r: Running;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
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

/** Every problem the page reports: console errors (CSP violations among them) and page errors. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return problems;
}

async function botTexts(page: Page): Promise<string[]> {
  return page.$$eval(BOT_BUBBLES, (els) => els.map((e) => (e as HTMLElement).innerText));
}

/** Waits until the bot has said something new that calls for an answer (or the reference). */
async function nextQuestion(page: Page, seen: number, locale: IntakeLocale): Promise<{ step: ReturnType<typeof nextStep>; count: number }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const texts = await botTexts(page);
    // among the new messages: the reference if it came, else the newest question
    const steps = texts.slice(seen).map((t) => nextStep(t, locale));
    const step = steps.find((s) => s.kind === 'done') ?? steps.reverse().find((s) => s.kind !== 'wait');
    if (step) return { step, count: texts.length };
    if (Date.now() > deadline) {
      await page.screenshot({ path: path.join(ARTIFACTS, 'web-chat-stuck.png'), fullPage: true });
      throw new Error(`no new question from the bot; last: ${JSON.stringify((await botTexts(page)).slice(-2))}`);
    }
    await page.waitForTimeout(100);
  }
}

/** Answers every question, by clicking the suggested button or typing, until the reference shows. */
async function fileComplaint(page: Page, locale: IntakeLocale, seenBefore: number): Promise<{ reference: string; prompts: string[]; seen: number }> {
  let seen = seenBefore;
  const prompts: string[] = [];
  for (let i = 0; i < 40; i++) {
    const { step, count } = await nextQuestion(page, seen, locale);
    seen = count;
    if (step.kind === 'done') return { reference: step.reference, prompts, seen };
    if (step.kind === 'wait') continue;
    prompts.push(step.prompt);
    if (prompts.length >= 3 && prompts.slice(-3).every((p) => p === step.prompt)) throw new Error(`the bot keeps asking ${step.prompt}`);
    const sentBefore = await page.locator(USER_BUBBLES).count();
    if (step.kind === 'click') {
      const button = page.locator('.webchat__suggested-actions button', { hasText: step.title }).first();
      await button.waitFor({ state: 'visible', timeout: 10_000 });
      await button.click();
    } else {
      const input = page.locator(SEND_BOX);
      await input.fill(step.text);
      await input.press('Enter');
    }
    // what the citizen sent shows up as their own message
    const sent = step.kind === 'click' ? step.title : step.text;
    await page.waitForFunction(
      ([selector, before, text]) => {
        const bubbles = document.querySelectorAll(selector as string);
        return bubbles.length > (before as number) && (bubbles[bubbles.length - 1] as HTMLElement).innerText.includes(text as string);
      },
      [USER_BUBBLES, sentBefore, sent] as const,
      { timeout: 10_000 },
    );
  }
  throw new Error('the intake did not finish in 40 steps');
}

/** Scrolls the transcript so the message with `text` (the reference) is at the top, for the screenshot. */
async function showFromTop(page: Page, text: string): Promise<void> {
  await page.setViewportSize({ width: 1100, height: 1400 });
  await page.waitForTimeout(300);
  await page.locator(BOT_BUBBLES, { hasText: text }).evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    window.scrollTo(0, 0);
  });
  await page.waitForTimeout(300);
}

async function openPage(query = ''): Promise<{ page: Page; problems: string[] }> {
  context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'nl-NL' });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${r.base}/${query}`);
  return { page, problems };
}

test('a citizen files a complaint through Web Chat in Dutch, then in English; the references shown are stored', async () => {
  const { page, problems } = await openPage();
  const en = translator('en');

  await page.locator(BOT_BUBBLES, { hasText: 'Ik ben een computerprogramma, geen mens' }).waitFor({ timeout: 20_000 });
  await page.locator(SEND_BOX).waitFor();
  expect(await page.getAttribute(SEND_BOX, 'placeholder')).toBe('Typ uw bericht');
  expect(await page.textContent('h1')).toBe('Klacht indienen');

  // Dutch
  const dutch = await fileComplaint(page, 'nl', 0);
  expect(dutch.prompts).toEqual(expect.arrayContaining(['intake.askStory', 'details.ask.whenPerson', 'contact.ask.nameAddress', 'summary.ask']));
  // the route recogniser knew this was a complaint: no route question
  expect(dutch.prompts).not.toContain('route.ask');
  await page.locator(BOT_BUBBLES, { hasText: dutch.reference }).waitFor();
  await showFromTop(page, dutch.reference);
  await page.screenshot({ path: path.join(ARTIFACTS, 'web-chat-complaint-nl.png') });
  const stored = await r.app.complaints.getByReference(dutch.reference);
  expect(stored).toMatchObject({
    reference: dutch.reference,
    story: CITIZEN.nl.story,
    // the phone-or-e-mail question is answered with the phone number, so no e-mail
    contact: { name: CITIZEN.nl.name, phone: '+31612345678', email: null, postcode: '1182 JR', city: CITIZEN.nl.city },
  });
  expect(JSON.stringify(stored)).toContain('directline');
  expect(JSON.stringify(stored)).toMatch(/"locale":"nl"/);

  await page.setViewportSize({ width: 1100, height: 900 });

  // The visible switch: the page turns English, and the bot continues in English
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  expect(await page.textContent('h1')).toBe('File a complaint');
  await page.getByRole('button', { name: 'Nederlands' }).waitFor();
  await page.locator(BOT_BUBBLES, { hasText: en('commands.languageSet') }).waitFor({ timeout: 20_000 });
  expect(await page.getAttribute(SEND_BOX, 'placeholder')).toBe('Type your message');

  const english = await fileComplaint(page, 'en', (await botTexts(page)).length - 1);
  expect(english.reference).not.toBe(dutch.reference);
  await page.locator(BOT_BUBBLES, { hasText: english.reference }).waitFor();
  const storedEn = await r.app.complaints.getByReference(english.reference);
  expect(storedEn).toMatchObject({ reference: english.reference, story: CITIZEN.en.story, contact: { name: CITIZEN.en.name } });
  expect(JSON.stringify(storedEn)).toMatch(/"locale":"en"/);

  // every message the citizen sent came back from Direct Line with an id: none still "sending", none failed
  await page.waitForFunction(() => document.querySelectorAll('.webchat__activity-status--sending').length === 0, null, { timeout: 10_000 });
  expect(await page.locator('text=/Send failed|Verzenden mislukt/').count()).toBe(0);
  expect(await page.locator(USER_BUBBLES).count()).toBeGreaterThanOrEqual(dutch.prompts.length + english.prompts.length);
  await showFromTop(page, english.reference);
  await page.screenshot({ path: path.join(ARTIFACTS, 'web-chat-complaint-en.png') });
  expect(readFileSync(path.join(ARTIFACTS, 'web-chat-complaint-en.png')).length).toBeGreaterThan(10_000);
  expect(problems).toEqual([]);
});

test('Web Chat in polling mode gets the welcome and answers too', async () => {
  const { page, problems } = await openPage('?transport=polling');
  await page.locator(BOT_BUBBLES, { hasText: translator('nl')('intake.askStory').slice(0, 30) }).waitFor({ timeout: 20_000 });
  await page.locator(SEND_BOX).fill(CITIZEN.nl.story);
  await page.locator(SEND_BOX).press('Enter');
  // one sentence of acknowledgement, what the story gave said back, then the missing details in one question
  await page.locator(BOT_BUBBLES, { hasText: translator('nl')('intake.ack').slice(0, 30) }).waitFor({ timeout: 20_000 });
  await page.locator(BOT_BUBBLES, { hasText: translator('nl')('details.ask.whenPerson').slice(0, 30) }).waitFor({ timeout: 20_000 });
  expect(problems).toEqual([]);
});

describe('accessibility (axe-core, WCAG 2.1 A and AA)', () => {
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

  test.each([
    ['desktop, Dutch', { width: 1100, height: 900 }, ''],
    ['phone, English', { width: 320, height: 640 }, '?lang=en'],
  ])('%s: no violations, with the suggested buttons showing', async (name, viewport, query) => {
    // axe is injected as a script; the page's own CSP is bypassed for that only
    context = await browser.newContext({ viewport, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${r.base}/${query}`);
    const locale: IntakeLocale = query ? 'en' : 'nl';
    await page.locator(BOT_BUBBLES, { hasText: translator(locale)('intake.askStory').slice(0, 30) }).waitFor({ timeout: 20_000 });
    await page.locator(SEND_BOX).fill(CITIZEN[locale].story);
    await page.locator(SEND_BOX).press('Enter');
    // the missing details in one question, then the solution question with its button
    await page.locator(BOT_BUBBLES, { hasText: translator(locale)('details.ask.whenPerson').slice(0, 30) }).waitFor({ timeout: 20_000 });
    await page.locator(SEND_BOX).fill(CITIZEN[locale].details);
    await page.locator(SEND_BOX).press('Enter');
    await page.locator(BOT_BUBBLES, { hasText: translator(locale)('solution.ask').slice(0, 30) }).waitFor({ timeout: 20_000 });
    await page.locator('.webchat__suggested-actions button').first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const res = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
    });
    expect(result).toEqual([]);
    // reflow (WCAG 1.4.10): no horizontal scrolling
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(ARTIFACTS, `web-chat-${name.replace(/\W+/g, '-')}.png`) });
  });
});
