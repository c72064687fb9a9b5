/**
 * Issue 10, point 7 (bot side): what the citizen typed is shown as text in the bot's messages, never
 * as markdown or HTML. Rendered with Web Chat's own markdown engine (markdown-it 13, with the options
 * Web Chat uses: raw HTML on, linkify, typographer), the escaped value has no element and no link, and
 * reads exactly as typed.
 */
import { TestAdapter, TurnContext } from 'botbuilder';
import { newDraft, type Draft } from '../../dialogs/draft';
import { summaryText } from '../../dialogs/summaryDialog';
import { LOCALE_KEY } from '../../dialogs/turn';
import { citizenText } from '../../dialogs/text';
import { CITIZEN } from '../../src/bench/intakeScript';
import { buttonsOf, Harness, tempDbFile, textOf } from '../helpers/harness';
import { move } from './intakeDriver';

// markdown-it (Web Chat's dependency) ships no type declarations
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (options: Record<string, unknown>) => { render(markdown: string): string };

// Web Chat 4.18's markdown-it options (botframework-webchat/src/markdown/renderMarkdown.ts)
const md = new MarkdownIt({ breaks: false, html: true, linkify: true, typographer: true, xhtmlOut: true });

/** the text a browser would show for rendered HTML without tags (entities decoded) */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[\u201c\u201d]/g, '"') // the typographer's curly quotes are the one change markdown makes
    .replace(/[\u2018\u2019]/g, "'")
    .trim();
}

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '[click](http://evil)',
  '![x](http://evil/x.png)',
  '<http://evil>',
  'http://evil.example/path',
  'www.evil.example',
  'evil.example',
  'a@evil.example',
  '<script>alert(1)</script>',
  '<a href="http://evil">hi</a>',
  '**bold** _it_ ~~del~~ `code`',
  '&lt;b&gt; &amp; &#60;img&#62;',
  '# heading',
  '1. list',
  '- item',
  '> quote',
  '{.cls onclick=alert(1)}',
  '[x]: http://evil',
  '[ref][x]',
  'javascript:alert(1)',
  "O'Brien \"quote\" (c) -- ...",
  'back\\slash\\',
  '| a | b |',
];

test.each(HOSTILE)('citizenText(%j) renders as exactly that text, with no element or link', (input) => {
  const html = md.render(citizenText(input));
  expect(html).not.toMatch(/<(?!\/?p>)[a-z]/i); // nothing but the paragraph
  expect(visibleText(html)).toBe(input);
});

test('random punctuation renders as typed (no markdown construct can start)', () => {
  const alphabet = '<>[]()!*_`~#+-.:/\\&;=|{}"\'@%^$?, abcx1\t';
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 2000; i++) {
    const s = Array.from({ length: 1 + Math.floor(random() * 30) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const shown = md.render(citizenText(s));
    expect(shown).not.toMatch(/<(?!\/?p>)[a-z]/i);
    expect(visibleText(shown)).toBe(s.replace(/\s+/g, ' ').trim());
  }
});

test('a line break cannot leave the line the value is in', () => {
  const html = md.render(`- Naam: ${citizenText('Jan\n\n# Kop\n- [x](http://evil)')}`);
  expect(html).toBe('<ul>\n<li>Naam: Jan # Kop - [x](http://evil)</li>\n</ul>\n');
  expect(citizenText(undefined)).toBe('');
  expect(citizenText(null)).toBe('');
});

test('summaryText escapes every value the citizen gave', () => {
  const context = new TurnContext(new TestAdapter(), { type: 'message', channelId: 'test', conversation: { id: 'c' } } as never);
  context.turnState.set(LOCALE_KEY, 'nl');
  const evil = '<img src=x onerror=alert(1)> [click](http://evil)';
  const draft = {
    ...newDraft(),
    story: `Verhaal ${evil}`,
    incidentDateText: `ooit ${evil}`,
    place: `Balie ${evil}`,
    person: `Meneer ${evil}`,
    solution: `Sorry ${evil}`,
    contact: { name: `Jan ${evil}`, phone: '0612345678', street: `Straat ${evil}`, postcode: '1182 JR', city: `Stad ${evil}`, email: 'jan@evil.example' },
  } as Draft;
  const html = md.render(summaryText(context, draft));
  expect(html).not.toMatch(/<img/i);
  expect(html).not.toMatch(/<a\s/i);
  const shown = visibleText(html);
  for (const v of [draft.story, draft.incidentDateText, draft.place, draft.person, draft.solution, draft.contact.name, draft.contact.street, draft.contact.city, 'jan@evil.example']) {
    expect(shown).toContain(v);
  }
});

describe('the summary through the real dialogs', () => {
  let db: ReturnType<typeof tempDbFile>;
  let h: Harness;

  beforeEach(async () => {
    db = tempDbFile();
    h = await Harness.open({ file: db.file });
    await h.join();
  });
  afterEach(async () => {
    await h.close();
    db.cleanup();
  });

  test('a story, name and solution with HTML and a markdown link appear escaped in the summary', async () => {
    const evil = '<img src=x onerror=alert(1)> [click](http://evil)';
    const name = 'Jan <img src=x onerror=alert(document.domain)> [click](http://evil)';
    const shownValues = { story: `${CITIZEN.nl.story} ${evil}`, name, solution: `${CITIZEN.nl.solution} ${evil}` };
    // the name asked alone, or with the address in one question
    const replace = { ...shownValues, nameAddress: `${name}, ${CITIZEN.nl.address}` };
    let replies = await h.sayActivities(replace.story);
    let summary: string | undefined;
    for (let turn = 0; turn < 30 && !summary; turn++) {
      const texts = replies.map(textOf);
      const next = move(texts, buttonsOf(replies[replies.length - 1] ?? {}), replace);
      if (!next || 'done' in next) throw new Error(`unexpected turn: ${JSON.stringify(texts)}`);
      if ('summary' in next) summary = texts.find((t) => t.includes('onerror')) ?? texts.join('\n');
      else replies = await h.sayActivities(next.send);
    }
    expect(summary).toBeDefined();
    for (const v of Object.values(shownValues)) expect(summary).toContain(citizenText(v));
    const html = md.render(summary!);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<a\s/i);
    for (const v of Object.values(shownValues)) expect(visibleText(html)).toContain(v);
  });
});
