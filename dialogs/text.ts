/** Lower case, no accents, no punctuation, single spaces: one definition, in the understanding step. */
export { normalise } from '../src/understanding/normalise';

/**
 * Markdown that could start in the middle of a line: escapes (\), code (`), emphasis (* _ ~), links
 * and images ([ ] ( ) !), raw HTML, autolinks and entities (< > &), attribute blocks ({ }), and what
 * linkify turns into a link (a scheme's ":", a domain's ".", an e-mail's "@"); at the start of the value
 * what would start a block (# + - = |); and what the typographer would replace ("--", "+-", ",,", "??").
 */
const MARKDOWN_SPECIAL = /[\\`*_~[\]()!<>&{}:.@]|^[#+\-=|]|-(?=-)|(?<=[-+])-|\+(?=-)|,(?=,)|\?(?=\?)/g;

/**
 * Text that came from the citizen (or from outside, like a Teams profile), made safe to put into a
 * bot message: every channel renders the bot's text as markdown (Web Chat with markdown-it, raw HTML
 * on and linkify; Teams with its own markdown), so `<img src=x onerror=...>` would become an element
 * and `[click](http://evil)` or `www.evil.example` a live link in the bot's own words. The characters
 * that could start any of that are backslash-escaped (CommonMark shows an escaped punctuation
 * character as itself), so the value reads exactly as typed: no element, link, image, emphasis,
 * heading, list, entity or attribute block. Runs of white space (line breaks, tabs) become one space
 * and the ends are trimmed, so the value stays inside the line or list item it was put in and cannot
 * start a code block or a hard break.
 *
 * Use it on every citizen-supplied value that goes into a bot message: `t('key', { name: citizenText(name) })`,
 * and in text built by hand (the summary). Never on the gemeente's own facts, which may hold links.
 */
export function citizenText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/\s+/g, ' ').trim().replace(MARKDOWN_SPECIAL, '\\$&');
}
