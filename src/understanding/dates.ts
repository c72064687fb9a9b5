/**
 * When something happened, as a day or a period (issue 11). Dutch and English, rules first; chrono-node
 * (through src/domain/dates.ts) only as a fallback for a whole answer to "when?" that no rule read.
 *
 * A date is `{text, from, to}`: a day has from == to, a period has from < to, a date too vague for either
 * (e.g. "een paar maanden geleden") has neither. Dates lie in the past: a date without a year that would fall
 * after today means last year.
 *
 * Periods (documented choices):
 * - "begin/start/early/beginning of" + month = the 1st to the 10th; "half/halverwege/midden/medio/mid/middle of"
 *   = the 11th to the 20th; "eind/einde/end of/late" = the 21st to the last day.
 * - a month alone ("in oktober", "vorig jaar december", "October 2025", "vorige maand") = the whole month;
 * - "week 46" = ISO week, Monday to Sunday; "vorige week"/"last week" = the previous Monday to Sunday;
 *   "deze week"/"this week" = this Monday to today; "(afgelopen) weekend" = the last Saturday and Sunday;
 * - "N maanden geleden" = that calendar month; "N jaar geleden"/"anderhalf jaar geleden" = the calendar month
 *   12·N (18) months back, so the one-year check works on it; "N weken geleden" = the day N·7 days back;
 * - "vorig jaar", "in 2025" = the whole year; seasons: the most recent past season (zomer = June–August, ...),
 *   "met kerst" = 24–26 December;
 * - "een paar/enkele/a few" months or years, "lang geleden", "een tijdje geleden", "weet ik niet": text only.
 * Words that are not about the event give no date: "ik heb nu al 5 keer gebeld", "nu", "3-4 keer".
 * Typos in date words ("gisterne", "vrijdga", "setpember") are corrected by one edit (Damerau).
 */
import type { Locale } from '../domain/routes';
import { parseIncidentDate } from '../domain/dates';
import { toAmsterdamDate } from '../domain/workingDays';
import type { UnderstoodDate } from './types';

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic on ISO dates (UTC, no time zones: `today` is already Amsterdam's day)

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
const parts = (date: string) => date.split('-').map(Number) as [number, number, number];
const utc = (date: string) => {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d));
};
const fromUtc = (t: Date) => t.toISOString().slice(0, 10);
export const addDays = (date: string, n: number) => {
  const t = utc(date);
  t.setUTCDate(t.getUTCDate() + n);
  return fromUtc(t);
};
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const isValid = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
/** 0 = Sunday ... 6 = Saturday */
const weekday = (date: string) => utc(date).getUTCDay();
const mondayOf = (date: string) => addDays(date, -((weekday(date) + 6) % 7));
function monthsBack(today: string, n: number): { y: number; m: number } {
  const [y, m] = parts(today);
  const total = y * 12 + (m - 1) - n;
  return { y: Math.floor(total / 12), m: (total % 12) + 1 };
}
const wholeMonth = (y: number, m: number) => ({ from: iso(y, m, 1), to: iso(y, m, daysInMonth(y, m)) });

/** Monday of ISO week `w` of ISO year `y`. */
function isoWeekMonday(y: number, w: number): string {
  const jan4 = iso(y, 1, 4);
  return addDays(mondayOf(jan4), (w - 1) * 7);
}
export function isoWeekOf(date: string): { year: number; week: number } {
  const thursday = addDays(mondayOf(date), 3);
  const year = parts(thursday)[0];
  const week = Math.round((utc(thursday).getTime() - utc(isoWeekMonday(year, 1)).getTime()) / (7 * 86400000)) + 1;
  return { year, week };
}

// ---------------------------------------------------------------------------------------------
// Words

const MONTHS: Record<string, number> = {
  januari: 1, january: 1, jan: 1, februari: 2, february: 2, feb: 2, febr: 2, maart: 3, march: 3, mrt: 3, mar: 3,
  april: 4, apr: 4, mei: 5, may: 5, juni: 6, june: 6, jun: 6, juli: 7, july: 7, jul: 7, augustus: 8, august: 8, aug: 8,
  september: 9, sept: 9, sep: 9, oktober: 10, october: 10, okt: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
};
/** Month words that are also ordinary words or names: only a month next to a number or a date word. */
const WEAK_MONTHS = new Set(['jan', 'feb', 'febr', 'mar', 'mrt', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'okt', 'oct', 'nov', 'dec', 'may', 'march']);
const MONTH_RE = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');
const WEEKDAYS: Record<string, number> = {
  zondag: 0, maandag: 1, dinsdag: 2, woensdag: 3, donderdag: 4, vrijdag: 5, zaterdag: 6,
  sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6,
};
const WEEKDAY_RE = Object.keys(WEEKDAYS).join('|');
const DAYPART = '(?:ochtend|morgen|middag|avond|nacht)';
const NUMBERS: Record<string, number> = {
  een: 1, één: 1, eén: 1, twee: 2, drie: 3, vier: 4, vijf: 5, zes: 6, zeven: 7, acht: 8, negen: 9, tien: 10, elf: 11, twaalf: 12,
  dertien: 13, veertien: 14, vijftien: 15, zestien: 16, zeventien: 17, achttien: 18, negentien: 19, twintig: 20, vierentwintig: 24,
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, 'twenty-four': 24,
};
const NUMBER_RE = `\\d{1,2}|${Object.keys(NUMBERS).sort((a, b) => b.length - a.length).join('|')}`;

/** Targets for typo correction: long date words only (short ones collide with ordinary words). */
const TYPO_TARGETS = [
  'gisteren', 'eergisteren', 'gisteravond', 'gistermiddag', 'gisterochtend', 'vandaag', 'vanochtend', 'vanmiddag', 'vanavond',
  'yesterday', 'januari', 'january', 'februari', 'february', 'augustus', 'september', 'oktober', 'october', 'november', 'december',
  'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag', 'monday', 'tuesday', 'wednesday', 'thursday',
  'friday', 'saturday', 'sunday', 'afgelopen', 'weekend', 'vrijdagmiddag', 'vrijdagavond', 'zaterdagochtend',
];
const TYPO_BY_FIRST = new Map<string, string[]>();
for (const t of TYPO_TARGETS) TYPO_BY_FIRST.set(t[0], [...(TYPO_BY_FIRST.get(t[0]) ?? []), t]);
const KNOWN_WORDS = new Set([...TYPO_TARGETS, ...Object.keys(MONTHS), ...Object.keys(WEEKDAYS), 'gisternacht', 'zondags', 'mondays']);
/** Ordinary words one edit away from a date word. */
const NOT_TYPOS = new Set(['gelegen', 'zonder', 'vandaar', 'weekends', 'fridays', 'sundays', 'mondays']);

/** Restricted Damerau-Levenshtein distance, capped: true when a and b are at most one edit apart. */
function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return true;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // transposition
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

const ORDINAL_WORDS: Record<string, number> = {};
[
  ['eerste', 'first'], ['tweede', 'second'], ['derde', 'third'], ['vierde', 'fourth'], ['vijfde', 'fifth'], ['zesde', 'sixth'],
  ['zevende', 'seventh'], ['achtste', 'eighth'], ['negende', 'ninth'], ['tiende', 'tenth'], ['elfde', 'eleventh'], ['twaalfde', 'twelfth'],
  ['dertiende', 'thirteenth'], ['veertiende', 'fourteenth'], ['vijftiende', 'fifteenth'], ['zestiende', 'sixteenth'],
  ['zeventiende', 'seventeenth'], ['achttiende', 'eighteenth'], ['negentiende', 'nineteenth'], ['twintigste', 'twentieth'],
  ['eenentwintigste', 'twenty-first'], ['tweeëntwintigste', 'twenty-second'], ['drieëntwintigste', 'twenty-third'],
  ['vierentwintigste', 'twenty-fourth'], ['vijfentwintigste', 'twenty-fifth'], ['zesentwintigste', 'twenty-sixth'],
  ['zevenentwintigste', 'twenty-seventh'], ['achtentwintigste', 'twenty-eighth'], ['negenentwintigste', 'twenty-ninth'],
  ['dertigste', 'thirtieth'], ['eenendertigste', 'thirty-first'],
].forEach(([nl, en], i) => {
  ORDINAL_WORDS[nl] = i + 1;
  ORDINAL_WORDS[en] = i + 1;
});
const ORDINAL_WORD_RE = new RegExp(`(?<![\\p{L}-])(${Object.keys(ORDINAL_WORDS).sort((a, b) => b.length - a.length).join('|')})(?=\\s+(?:of\\s+|van\\s+)?(?:${MONTH_RE}|vorige|last|deze|this)(?![\\p{L}]))`, 'giu');

/** "de tweede november" -> "de 2e      november": same length, so positions still point into the original. */
function ordinalWordsToDigits(lower: string): string {
  return lower.replace(ORDINAL_WORD_RE, (w) => `${ORDINAL_WORDS[w]}e`.padEnd(w.length, ' '));
}

/** Typos of date words too short for the one-edit correction ("vorge week"). */
const SHORT_TYPOS = /(?<![\p{L}])(vorge|vorie|vorgie|voorige|vroige)(?![\p{L}])/gu;

function fixTypos(lower: string): string {
  return ordinalWordsToDigits(lower).replace(SHORT_TYPOS, 'vorige').replace(/\p{L}{6,}/gu, (w) => {
    if (KNOWN_WORDS.has(w) || NOT_TYPOS.has(w)) return w;
    for (const t of TYPO_BY_FIRST.get(w[0]) ?? []) if (oneEditApart(w, t)) return t;
    return w;
  });
}

// ---------------------------------------------------------------------------------------------
// Candidates

type Precision = 'day' | 'week' | 'part' | 'month' | 'season' | 'year' | 'vague';
const RANK: Record<Precision, number> = { day: 0, week: 1, part: 2, month: 3, season: 4, year: 5, vague: 6 };

interface Candidate {
  index: number;
  end: number;
  precision: Precision;
  from?: string;
  to?: string;
}

interface Ctx {
  today: string;
  year: number;
  month: number;
  day: number;
  /** the whole message answers "when?" */
  whole: boolean;
}

const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const re = (body: string) => new RegExp(`${B}(?:${body})${E}`, 'giu');

const ORD = '(?:e|ste|de|st|nd|rd|th)';
const DAY = `(\\d{1,2})${ORD}?`;
const YEAR_AFTER = "(?:\\s*,?\\s*(?:van\\s+|of\\s+|in\\s+)?('?\\d{2}(?!\\d)(?![.:/-])|\\d{4})|\\s+(?:van\\s+|of\\s+)?(vorig\\s+jaar|last\\s+year|dit\\s+jaar|this\\s+year))?";
const LAST_YEAR_BEFORE = '(vorig\\s+jaar|last\\s+year|afgelopen|vorige|last|dit\\s+jaar|this\\s+year)\\s+(?:in\\s+)?';

function resolveYear(token: string | undefined, ctx: Ctx): { year?: number; explicit: boolean } {
  if (!token) return { explicit: false };
  const t = token.toLowerCase().replace(/\s+/g, ' ');
  if (t === 'vorig jaar' || t === 'last year') return { year: ctx.year - 1, explicit: true };
  if (t === 'dit jaar' || t === 'this year') return { year: ctx.year, explicit: true };
  const digits = t.replace("'", '');
  if (/^\d{2}$/.test(digits)) return { year: 2000 + Number(digits), explicit: true };
  if (/^\d{4}$/.test(digits)) return { year: Number(digits), explicit: true };
  return { explicit: false };
}

/** A day of a month; without a year, the most recent such day not after today. */
function dayCandidate(d: number, m: number, yearToken: string | undefined, ctx: Ctx): { from: string; to: string } | undefined {
  const { year, explicit } = resolveYear(yearToken, ctx);
  if (explicit && year !== undefined) {
    if (year < 1900 || year > ctx.year + 1 || !isValid(year, m, d)) return undefined;
    const date = iso(year, m, d);
    return { from: date, to: date };
  }
  for (let y = ctx.year; y > ctx.year - 8; y--) {
    if (isValid(y, m, d) && iso(y, m, d) <= ctx.today) return { from: iso(y, m, d), to: iso(y, m, d) };
  }
  return undefined;
}

/** Days `a` to `b` of month `mo` ("3 tot 5 november", "November 3-5"): a period ending on the day `b` would be. */
function dayRange(mo: number | undefined, a: number, b: number, yearToken: string | undefined, ctx: Ctx): Omit<Candidate, 'index' | 'end'> | undefined {
  if (!mo || a < 1 || b > 31 || a >= b) return undefined;
  const end = dayCandidate(b, mo, yearToken, ctx);
  if (!end) return undefined;
  const [y] = parts(end.from);
  if (!isValid(y, mo, a)) return undefined;
  return { precision: 'week', from: iso(y, mo, a), to: end.to };
}

/** A period within a month; without a year, the most recent such month whose period has begun. */
function monthPeriod(m: number, fromDay: number, toDay: number | 'end', yearToken: string | undefined, ctx: Ctx, lastYearHint = false) {
  let { year, explicit } = resolveYear(yearToken, ctx);
  if (!explicit && lastYearHint) {
    year = ctx.year - 1;
    explicit = true;
  }
  const span = (y: number) => ({ from: iso(y, m, fromDay), to: iso(y, m, toDay === 'end' ? daysInMonth(y, m) : toDay) });
  if (explicit && year !== undefined) return year >= 1900 && year <= ctx.year + 1 ? span(year) : undefined;
  const y = iso(ctx.year, m, fromDay) <= ctx.today ? ctx.year : ctx.year - 1;
  return span(y);
}

const PART_START = 'begin|start|early|(?:the\\s+)?(?:beginning|start)\\s+of|begin\\s+van|aan\\s+het\\s+begin\\s+van|in\\s+het\\s+begin\\s+van';
const PART_MID =
  'halfway\\s+(?:through|into)|half|halverwege|midden|medio|mid|mid-|(?:the\\s+)?middle\\s+of|(?:in\\s+)?het\\s+midden\\s+van|midden\\s+van|half\\s+van';
const PART_END = 'eind|einde|eind\\s+van|einde\\s+van|aan\\s+het\\s+eind\\s+van|(?:the\\s+)?end\\s+of|late|eindje';

interface Rule {
  re: RegExp;
  make: (m: RegExpExecArray, ctx: Ctx, text: string) => Omit<Candidate, 'index' | 'end'> | undefined;
}

const monthOf = (w: string | undefined) => (w ? MONTHS[w.toLowerCase().replace(/\.$/, '')] : undefined);
const num = (w: string) => (/^\d+$/.test(w) ? Number(w) : NUMBERS[w.toLowerCase()]);
const dayResult = (r: { from: string; to: string } | undefined) => (r ? { precision: 'day' as const, ...r } : undefined);

/** Easter Sunday (anonymous Gregorian algorithm). */
function easter(y: number): string {
  const a = y % 19, b = Math.floor(y / 100), c = y % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(y, month, day);
}
/** Days people date things by: [from, to] in year y. */
const HOLIDAYS: [RegExp, (y: number) => [string, string]][] = [
  [/^(pasen|paasweekend|easter|easter weekend)$/, (y) => [addDays(easter(y), -1), addDays(easter(y), 1)]],
  [/^(goede vrijdag|good friday)$/, (y) => [addDays(easter(y), -2), addDays(easter(y), -2)]],
  [/^(hemelvaart|hemelvaartsdag|ascension day)$/, (y) => [addDays(easter(y), 39), addDays(easter(y), 39)]],
  [/^(pinksteren|whitsun|pentecost)$/, (y) => [addDays(easter(y), 49), addDays(easter(y), 50)]],
  [/^(koningsdag|king'?s day)$/, (y) => [iso(y, 4, 27), iso(y, 4, 27)]],
  [/^(bevrijdingsdag|liberation day)$/, (y) => [iso(y, 5, 5), iso(y, 5, 5)]],
  [/^(sinterklaas|pakjesavond)$/, (y) => [iso(y, 12, 5), iso(y, 12, 5)]],
  [/^(oudejaarsavond|oudejaarsdag|oudjaar|new year'?s eve)$/, (y) => [iso(y, 12, 31), iso(y, 12, 31)]],
  [/^(nieuwjaarsdag|new year'?s day)$/, (y) => [iso(y, 1, 1), iso(y, 1, 1)]],
  [/^(halloween)$/, (y) => [iso(y, 10, 31), iso(y, 10, 31)]],
  [/^(valentijnsdag|valentine'?s day)$/, (y) => [iso(y, 2, 14), iso(y, 2, 14)]],
  [/^(kerstvakantie|christmas holidays?|christmas break)$/, (y) => [iso(y, 12, 20), iso(y + 1, 1, 3)]],
  [/^(meivakantie|may holidays?)$/, (y) => [iso(y, 4, 25), iso(y, 5, 3)]],
  [/^(herfstvakantie|autumn half-term|half-term)$/, (y) => [iso(y, 10, 17), iso(y, 10, 25)]],
];
const HOLIDAY_RE = 'pasen|paasweekend|easter weekend|easter|goede vrijdag|good friday|hemelvaartsdag|hemelvaart|ascension day|pinksteren|whitsun|pentecost|koningsdag|king\'?s day|bevrijdingsdag|liberation day|sinterklaas|pakjesavond|oudejaarsavond|oudejaarsdag|oudjaar|new year\'?s eve|nieuwjaarsdag|new year\'?s day|halloween|valentijnsdag|valentine\'?s day|kerstvakantie|christmas holidays?|christmas break|meivakantie|may holidays?|herfstvakantie|autumn half-term|half-term';

const RULES: Rule[] = [
  // holidays: the most recent one that has begun ("met Pasen", "op Koningsdag", "during the Christmas holidays")
  {
    re: re(`(?:(?:met|op|rond|tijdens|in\\s+de|in\\s+het|at|on|around|during|over|in)\\s+(?:the\\s+)?)?(?:(afgelopen|vorige|last|this\\s+past)\\s+)?(${HOLIDAY_RE})(?:\\s+(?:van\\s+|of\\s+)?(vorig\\s+jaar|last\\s+year|\\d{4}))?`),
    make: (m, ctx) => {
      const name = m[2].toLowerCase().replace(/\s+/g, ' ');
      const h = HOLIDAYS.find(([r]) => r.test(name));
      if (!h) return undefined;
      const explicit = resolveYear(m[3], ctx);
      let y = explicit.year ?? ctx.year;
      let [from, to] = h[1](y);
      if (explicit.year === undefined) while (from > ctx.today) [from, to] = h[1](--y);
      return { precision: from === to ? 'day' : 'week', from, to };
    },
  },
  // tussen 1 en 5 november, van 10 tot 14 november, 10-14 november, between 1 and 5 November, from 10 to 14 November
  {
    re: re(`(?:(?:tussen|between|van|from)\\s+)?(?:de\\s+|the\\s+)?(\\d{1,2})${ORD}?\\s*(?:en|and|of|or|tot(?:\\s+en\\s+met)?|t\\/m|to|till|until|-|–)\\s*(?:de\\s+|the\\s+)?(\\d{1,2})${ORD}?\\s*(?:of\\s+|van\\s+)?(${MONTH_RE})\\.?${YEAR_AFTER}`),
    make: (m, ctx) => dayRange(monthOf(m[3]), Number(m[1]), Number(m[2]), m[4] ?? m[5], ctx),
  },
  // November 3 or 4, Nov 3-5, november 3 tot 5: the month first
  {
    re: re(`(${MONTH_RE})\\.?\\s+(?:the\\s+)?(\\d{1,2})${ORD}?\\s*(?:en|and|of|or|tot(?:\\s+en\\s+met)?|t\\/m|to|till|until|-|–)\\s*(?:the\\s+)?(\\d{1,2})${ORD}?(?!\\s*(?:uur|u|h|o\\s*clock|:))${YEAR_AFTER}`),
    make: (m, ctx) => dayRange(monthOf(m[1]), Number(m[2]), Number(m[3]), m[4] ?? m[5], ctx),
  },
  // in de week van 9 november, the week of 9 November
  {
    re: re(`(?:in\\s+)?(?:de|the)\\s+week\\s+(?:van|of)\\s+(?:de\\s+|the\\s+)?(\\d{1,2})${ORD}?\\s*(?:of\\s+|van\\s+)?(${MONTH_RE})\\.?${YEAR_AFTER}`),
    make: (m, ctx) => {
      const mo = monthOf(m[2]);
      if (!mo) return undefined;
      const d = dayCandidate(Number(m[1]), mo, m[3] ?? m[4], ctx);
      if (!d) return undefined;
      const monday = mondayOf(d.from);
      return { precision: 'week', from: monday, to: addDays(monday, 6) };
    },
  },
  // de 15e van vorige maand, 15e vorige maand, on the 15th of last month, vorige maand op de 15e
  {
    re: re(`(?:(?:op\\s+)?(?:de|the)\\s+)?(\\d{1,2})${ORD}?\\s+(?:van\\s+|of\\s+)?(vorige|verleden|afgelopen|last|deze|this)\\s+(?:maand|month)|(vorige|verleden|last|deze|this)\\s+(?:maand|month)\\s+(?:op\\s+|on\\s+)?(?:de|the)\\s+(\\d{1,2})${ORD}?`),
    make: (m, ctx) => {
      const d = Number(m[1] ?? m[4]);
      const which = (m[2] ?? m[3]).toLowerCase();
      const { y, m: mo } = /^(deze|this)$/.test(which) ? { y: ctx.year, m: ctx.month } : monthsBack(ctx.today, 1);
      if (!isValid(y, mo, d)) return undefined;
      return { precision: 'day', from: iso(y, mo, d), to: iso(y, mo, d) };
    },
  },
  // begin dit jaar, eind vorig jaar, early this year, end of last year; earlier this year; rond deze tijd vorig jaar
  {
    re: re(`(begin|eind|einde|halverwege|midden|medio|early|late|end\\s+of|beginning\\s+of|the\\s+end\\s+of|the\\s+beginning\\s+of|the\\s+middle\\s+of|middle\\s+of|mid|earlier)\\s+(?:van\\s+)?(dit|vorig|verleden|this|last)\\s+(?:jaar|year)|(?:(?:rond|around|about|omstreeks)\\s+)?(?:deze|this)\\s+tijd\\s+vorig\\s+jaar|(?:vorig\\s+jaar|last\\s+year)\\s+(?:rond|around|about|at)\\s+(?:deze|this)\\s+tijd|(?:around|about|at)\\s+this\\s+time\\s+last\\s+year`),
    make: (m, ctx) => {
      if (!m[1]) {
        const { y, m: mo } = monthsBack(ctx.today, 12);
        return { precision: 'month', ...wholeMonth(y, mo) };
      }
      const y = /^(dit|this)$/i.test(m[2]) ? ctx.year : ctx.year - 1;
      const part = m[1].toLowerCase();
      if (part === 'earlier') return { precision: 'season', from: iso(y, 1, 1), to: ctx.today };
      if (/begin|early|beginning/.test(part)) return { precision: 'season', from: iso(y, 1, 1), to: iso(y, 3, 31) };
      if (/eind|end|late/.test(part)) return { precision: 'season', from: iso(y, 10, 1), to: iso(y, 12, 31) };
      return { precision: 'season', from: iso(y, 5, 1), to: iso(y, 8, 31) };
    },
  },
  // 23 11 2026
  {
    re: re('(\\d{1,2})\\s(\\d{1,2})\\s(\\d{4})'),
    make: (m, ctx) => {
      const [d, mo] = [Number(m[1]), Number(m[2])];
      if (mo < 1 || mo > 12) return undefined;
      return dayResult(dayCandidate(d, mo, m[3], ctx));
    },
  },
  // 2026-10-15
  {
    re: re('(\\d{4})-(\\d{1,2})-(\\d{1,2})'),
    make: (m) => {
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      return isValid(y, mo, d) ? { precision: 'day', from: iso(y, mo, d), to: iso(y, mo, d) } : undefined;
    },
  },
  // 15-10-2025, 15/10/25, 15.10.2025; 10/15/2025 (month first) when the second number cannot be a month
  {
    re: re(`(?:(?:op|on|sinds|since|vanaf|${WEEKDAY_RE})\\s+)?(\\d{1,2})[-/.](\\d{1,2})(?:[-/.](\\d{4}|\\d{2}))?`),
    make: (m, ctx) => {
      const withYear = m[3] !== undefined;
      const prefixed = new RegExp(`^(op|on|sinds|since|vanaf|${WEEKDAY_RE})\\s`, 'i').test(m[0]);
      if (!withYear && !prefixed && !(ctx.whole && /^\s*\S+\s*$/.test(m.input))) return undefined;
      if (!withYear && m[0].includes('.')) return undefined; // 10.30 is a time
      let [a, b] = [Number(m[1]), Number(m[2])];
      if (b > 12 && a <= 12) [a, b] = [b, a];
      if (b < 1 || b > 12) return undefined;
      return dayResult(dayCandidate(a, b, m[3], ctx));
    },
  },
  // 15 september, 15e september 2025, 15th of September, 15 sept. vorig jaar
  {
    re: re(`${DAY}\\s*(?:of\\s+|van\\s+)?(${MONTH_RE})\\.?${YEAR_AFTER}`),
    make: (m, ctx) => {
      const mo = monthOf(m[2]);
      const d = Number(m[1]);
      if (!mo || d < 1 || d > 31) return undefined;
      return dayResult(dayCandidate(d, mo, m[3] ?? m[4], ctx));
    },
  },
  // September 15, Sept 15th, Nov 18, 2025; "oktober 12"
  {
    re: re(`(${MONTH_RE})\\.?\\s+(?:the\\s+)?(\\d{1,2})${ORD}?(?![\\d:.,]\\d)${YEAR_AFTER}`),
    make: (m, ctx) => {
      const mo = monthOf(m[1]);
      const d = Number(m[2]);
      if (!mo || d < 1 || d > 31) return undefined;
      return dayResult(dayCandidate(d, mo, m[3] ?? m[4], ctx));
    },
  },
  // de 5e, op de 12de, the 3rd, on the 26th: a day of this month, or of last month when later than today
  {
    re: re(`(?:op\\s+)?(?:de|the)\\s+(\\d{1,2})${ORD}(?!\\s*(?:keer|maal|time|times|x|week|dag|day|floor|verdieping))(?!\\s+(?:of\\s+|van\\s+)?(?:${MONTH_RE}))`),
    make: (m, ctx) => {
      const d = Number(m[1]);
      if (d < 1 || d > 31) return undefined;
      let { y, m: mo } = { y: ctx.year, m: ctx.month };
      if (d > ctx.day || !isValid(y, mo, d)) ({ y, m: mo } = monthsBack(ctx.today, 1));
      if (!isValid(y, mo, d)) ({ y, m: mo } = monthsBack(ctx.today, 2));
      return { precision: 'day', from: iso(y, mo, d), to: iso(y, mo, d) };
    },
  },
  // de eerste/tweede helft van oktober, the first/second half of October
  {
    re: re(`(?:de\\s+|the\\s+)?(eerste|first|tweede|second|laatste|latter|last)\\s+(?:helft|half)\\s+(?:van\\s+|of\\s+)?(${MONTH_RE})\\.?${YEAR_AFTER}`),
    make: (m, ctx) => {
      const mo = monthOf(m[2]);
      if (!mo) return undefined;
      const first = /^(eerste|first)$/i.test(m[1]);
      const r = first ? monthPeriod(mo, 1, 15, m[3] ?? m[4], ctx) : monthPeriod(mo, 16, 'end', m[3] ?? m[4], ctx);
      return r ? { precision: 'part', ...r } : undefined;
    },
  },
  // begin/eind 2025, the end of 2025
  {
    re: re('(begin|eind|einde|halverwege|midden|medio|early|late|end\\s+of|beginning\\s+of|the\\s+end\\s+of|the\\s+beginning\\s+of|the\\s+middle\\s+of|middle\\s+of|mid)\\s+((?:19|20)\\d{2})'),
    make: (m, ctx) => {
      const y = Number(m[2]);
      if (y > ctx.year) return undefined;
      const part = m[1].toLowerCase();
      if (/begin|early|beginning/.test(part)) return { precision: 'season', from: iso(y, 1, 1), to: iso(y, 3, 31) };
      if (/eind|end|late/.test(part)) return { precision: 'season', from: iso(y, 10, 1), to: iso(y, 12, 31) };
      return { precision: 'season', from: iso(y, 5, 1), to: iso(y, 8, 31) };
    },
  },
  // weekday abbreviations in a whole answer or after last/on ("last Tues", "Weds", "Sat 21st")
  {
    re: re('(?:(last|on|afgelopen|vorige)\\s+)?(mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)\\.?(?:\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?)?'),
    make: (m, ctx, text) => {
      const prefixed = m[1] !== undefined;
      if (!prefixed && !(ctx.whole && text.trim().split(/\s+/).length <= 3)) return undefined;
      const target = { mon: 1, tue: 2, tues: 2, wed: 3, weds: 3, thu: 4, thur: 4, thurs: 4, fri: 5, sat: 6, sun: 0 }[m[2].toLowerCase()];
      if (target === undefined) return undefined;
      if (m[3]) {
        // "Sat 21st": the most recent 21st that was that weekday (this month or the ones before)
        const d = Number(m[3]);
        for (let back = 0; back < 12; back++) {
          const { y, m: mo } = monthsBack(ctx.today, back);
          if (isValid(y, mo, d) && iso(y, mo, d) <= ctx.today && weekday(iso(y, mo, d)) === target) return { precision: 'day', from: iso(y, mo, d), to: iso(y, mo, d) };
        }
        return undefined;
      }
      let back = (weekday(ctx.today) - target + 7) % 7;
      if (back === 0 && /^(last|afgelopen|vorige)$/i.test(m[1] ?? '')) back = 7;
      const d = addDays(ctx.today, -back);
      return { precision: 'day', from: d, to: d };
    },
  },
  // eind vorige maand, begin deze maand, the end of last month
  {
    re: re(
      `(?:ergens\\s+)?(?:in\\s+)?(${PART_START}|${PART_MID}|${PART_END})\\s*-?\\s*(vorige\\s+maand|afgelopen\\s+maand|verleden\\s+maand|deze\\s+maand|last\\s+month|this\\s+month)`,
    ),
    make: (m, ctx) => {
      const part = m[1].toLowerCase();
      const { y, m: mo } = /deze|this/i.test(m[2]) ? { y: ctx.year, m: ctx.month } : monthsBack(ctx.today, 1);
      const last = daysInMonth(y, mo);
      const [f, t] = new RegExp(`^(?:${PART_START})$`, 'i').test(part) ? [1, 10] : new RegExp(`^(?:${PART_END})$`, 'i').test(part) ? [21, last] : [11, 20];
      return { precision: 'part', from: iso(y, mo, f), to: iso(y, mo, t) };
    },
  },
  // de eerste week van november, the last week of October
  {
    re: re(`(?:in\\s+)?(?:de|the)\\s+(eerste|first|1e|1st|tweede|second|2e|2nd|derde|third|3e|3rd|laatste|last)\\s+week\\s+(?:van|of|in)\\s+(${MONTH_RE})\\.?${YEAR_AFTER}`),
    make: (m, ctx) => {
      const mo = monthOf(m[2]);
      if (!mo) return undefined;
      const which = m[1].toLowerCase();
      const idx = /^(eerste|first|1e|1st)$/.test(which) ? 0 : /^(tweede|second|2e|2nd)$/.test(which) ? 1 : /^(derde|third|3e|3rd)$/.test(which) ? 2 : -1;
      const r = monthPeriod(mo, 1, 'end', m[3] ?? m[4], ctx);
      if (!r) return undefined;
      const [y] = parts(r.from);
      const last = daysInMonth(y, mo);
      return idx < 0
        ? { precision: 'week', from: iso(y, mo, last - 6), to: iso(y, mo, last) }
        : { precision: 'week', from: iso(y, mo, 1 + 7 * idx), to: iso(y, mo, 7 + 7 * idx) };
    },
  },
  // begin/half/eind oktober (vorig jaar), early/mid/late October 2025, the end of october
  {
    re: re(
      `(?:${LAST_YEAR_BEFORE})?(?:in\\s+)?(${PART_START}|${PART_MID}|${PART_END})\\s*-?\\s*(${MONTH_RE})\\.?${YEAR_AFTER}`,
    ),
    make: (m, ctx) => {
      const mo = monthOf(m[3]);
      if (!mo) return undefined;
      const part = m[2].toLowerCase();
      const lastYear = /^(vorig\s+jaar|last\s+year)$/i.test(m[1] ?? '');
      const [from, to]: [number, number | 'end'] = new RegExp(`^(?:${PART_START})$`, 'i').test(part)
        ? [1, 10]
        : new RegExp(`^(?:${PART_END})$`, 'i').test(part)
          ? [21, 'end']
          : [11, 20];
      const r = monthPeriod(mo, from, to, m[4] ?? m[5], ctx, lastYear);
      return r ? { precision: 'part', ...r } : undefined;
    },
  },
  // vorig jaar december, december vorig jaar, last December, in oktober, October 2025, afgelopen oktober
  {
    re: re(`(?:${LAST_YEAR_BEFORE}|(in|sinds|since|during|tijdens|of|van|rond|around)\\s+)?(${MONTH_RE})\\.?${YEAR_AFTER}`),
    make: (m, ctx, text) => {
      const word = m[3].toLowerCase();
      const mo = monthOf(word);
      if (!mo) return undefined;
      const hasYear = m[4] !== undefined || m[5] !== undefined;
      const before = (m[1] ?? '').toLowerCase().replace(/\s+/g, ' ');
      const lastYear = before === 'vorig jaar' || before === 'last year';
      const context = before !== '' || m[2] !== undefined || hasYear;
      const alone = ctx.whole && text.trim().split(/\s+/).length <= 3;
      const preposition = m[2] !== undefined || before !== '';
      if (WEAK_MONTHS.has(word) ? !(hasYear || (preposition && word.length >= 3) || (alone && word.length > 3)) : !(context || alone)) return undefined;
      if (word === 'mei' && !context && !alone) return undefined;
      const r = monthPeriod(mo, 1, 'end', m[4] ?? m[5], ctx, lastYear);
      return r ? { precision: 'month', ...r } : undefined;
    },
  },
  // week 46, wk 46 (van 2025), in week 46
  {
    re: re('(?:in\\s+)?(?:weeknummer|weeknr\\.?|week\\s+number|week\\s+no\\.?|week|wk\\.?)\\s*(\\d{1,2})(?:\\s+(?:van\\s+|of\\s+)?(\\d{4}))?'),
    make: (m, ctx) => {
      const w = Number(m[1]);
      if (w < 1 || w > 53) return undefined;
      let y = m[2] ? Number(m[2]) : isoWeekOf(ctx.today).year;
      let monday = isoWeekMonday(y, w);
      if (!m[2] && monday > ctx.today) monday = isoWeekMonday(--y, w);
      if (isoWeekOf(monday).week !== w) return undefined;
      return { precision: 'week', from: monday, to: addDays(monday, 6) };
    },
  },
  // vorige week, last week, de week ervoor; deze week, this week
  {
    re: re('(vorige|verleden|afgelopen|last|past)\\s+week|(deze|this)\\s+week|(?:the\\s+)?week\\s+before\\s+last|de\\s+week\\s+daarvoor'),
    make: (m, ctx) => {
      const monday = mondayOf(ctx.today);
      if (m[2]) return monday === ctx.today ? { precision: 'day', from: monday, to: monday } : { precision: 'week', from: monday, to: ctx.today };
      if (m[1]) return { precision: 'week', from: addDays(monday, -7), to: addDays(monday, -1) };
      return { precision: 'week', from: addDays(monday, -14), to: addDays(monday, -8) };
    },
  },
  // vorige maand, last month; deze maand, this month
  {
    re: re('(vorige|verleden|afgelopen|last|past)\\s+(?:maand|month)|(deze|this)\\s+(?:maand|month)'),
    make: (m, ctx) => {
      if (m[2]) return { precision: 'month', from: iso(ctx.year, ctx.month, 1), to: ctx.today };
      const { y, m: mo } = monthsBack(ctx.today, 1);
      return { precision: 'month', ...wholeMonth(y, mo) };
    },
  },
  // N dagen/weken/maanden/jaar geleden (terug), N days/weeks/months/years ago; anderhalf jaar geleden
  {
    re: re(
      `(?:(ongeveer|zo'?n|ruim|bijna|about|around|roughly|almost|over|just\\s+over|meer\\s+dan|more\\s+than|minder\\s+dan|less\\s+than|nearly|een\\s+kleine|een\\s+goede|a\\s+good)\\s+)?(anderhalf|anderhalve|a\\s+year\\s+and\\s+a\\s+half|one\\s+and\\s+a\\s+half|1[.,]5|een\\s+half|een\\s+halve|half\\s+a|a\\s+half|een\\s+paar|paar|enkele|a\\s+few|a\\s+couple\\s+of|couple\\s+of|several|some|${NUMBER_RE})\\s+(dag|dagen|week|weken|weekje|maand|maanden|maandje|jaar|jaren|day|days|week|weeks|fortnight|fortnights|month|months|year|years)(?:\\s+(?:en\\s+een\\s+half|and\\s+a\\s+half))?\\s+(geleden|terug|ago|back)`,
    ),
    make: (m, ctx) => {
      const qualifier = (m[1] ?? '').toLowerCase().replace(/\s+/g, ' ');
      const q = m[2].toLowerCase().replace(/\s+/g, ' ');
      let unit = m[3].toLowerCase();
      const halfOnly = /^(een half|een halve|half a|a half)$/.test(q);
      const half = /en een half|and a half/i.test(m[0]) || /^(anderhalf|anderhalve|a year and a half|one and a half|1[.,]5)$/.test(q);
      const vague = /^(een paar|paar|enkele|a few|a couple of|couple of|several|some)$/.test(q);
      let n = halfOnly ? 0.5 : half ? (/^(anderhalf|anderhalve|a year and a half|one and a half|1[.,]5)$/.test(q) ? 1.5 : num(q) + 0.5) : num(q);
      if (/^fortnights?$/.test(unit)) [n, unit] = [n * 2, 'weeks'];
      // "meer dan een jaar geleden" lies further back than "een jaar geleden"; "bijna" less far
      const shift = /^(ruim|over|just over|meer dan|more than|een goede|a good)$/.test(qualifier) ? 1 : /^(bijna|almost|minder dan|less than|nearly|een kleine)$/.test(qualifier) ? -1 : 0;
      if (/^(dag|dagen|day|days)$/.test(unit)) {
        if (vague) return { precision: 'week', from: addDays(ctx.today, -4), to: addDays(ctx.today, -2) };
        const d = addDays(ctx.today, -n);
        return { precision: 'day', from: d, to: d };
      }
      if (vague) return { precision: 'vague' };
      if (/^(week|weken|weekje|weeks)$/.test(unit)) {
        const d = addDays(ctx.today, -Math.round(n * 7));
        return { precision: 'day', from: d, to: d };
      }
      const months = (/^(maand|maanden|maandje|month|months)$/.test(unit) ? Math.round(n) : Math.round(n * 12)) + shift;
      const { y, m: mo } = monthsBack(ctx.today, months);
      return { precision: 'month', ...wholeMonth(y, mo) };
    },
  },
  // een week of twee geleden, a week or two ago, een dag of drie terug
  {
    re: re(`(?:een\\s+|a\\s+)?(dag|week|maand|day|week|month)\\s+(?:of|or)\\s+(${NUMBER_RE})\\s+(?:geleden|terug|ago|back)`),
    make: (m, ctx) => {
      const n = num(m[2]);
      const unit = m[1].toLowerCase();
      if (!n) return undefined;
      if (unit === 'dag' || unit === 'day') return { precision: 'day', from: addDays(ctx.today, -n), to: addDays(ctx.today, -n) };
      if (unit === 'week') return { precision: 'day', from: addDays(ctx.today, -7 * n), to: addDays(ctx.today, -7 * n) };
      const { y, m: mo } = monthsBack(ctx.today, n);
      return { precision: 'month', ...wholeMonth(y, mo) };
    },
  },
  // vandaag, gisteren, eergisteren (with a part of the day), yesterday, today, the day before yesterday
  {
    re: re(
      `(eer)?gister(?:en)?(?:${DAYPART})?|(vandaag|vanochtend|vanmorgen|vanmiddag|vanavond|vannacht|deze\\s+ochtend|deze\\s+middag|vanochtend\\s+vroeg|zojuist|net\\s+nog|daarnet|today|this\\s+morning|this\\s+afternoon|this\\s+evening|earlier\\s+today|just\\s+now|a\\s+moment\\s+ago)|(?:the\\s+)?((?:day|evening|night|morning|afternoon)\\s+before\\s+)?yesterday(?:\\s+(?:morning|afternoon|evening|night))?|(last\\s+night)|(?:het\\s+|the\\s+|afgelopen\\s+)(weekend)`,
    ),
    make: (m, ctx) => {
      const w = m[0].toLowerCase();
      if (m[5]) {
        // the most recent Saturday and Sunday before today
        const back = ((weekday(ctx.today) - 6 + 7) % 7) || 7;
        const sat = addDays(ctx.today, -back);
        const sun = addDays(sat, 1);
        return { precision: 'week', from: sat, to: sun < ctx.today ? sun : addDays(ctx.today, -1) > sat ? addDays(ctx.today, -1) : sat };
      }
      if (m[2]) return { precision: 'day', from: ctx.today, to: ctx.today };
      const back = m[1] || m[3] ? 2 : 1;
      void w;
      const d = addDays(ctx.today, -back);
      return { precision: 'day', from: d, to: d };
    },
  },
  // the weekend before last, het weekend daarvoor
  {
    re: re('(?:the\\s+)?weekend\\s+before\\s+last|(?:het\\s+)?weekend\\s+daarvoor|(?:het\\s+)?voorlaatste\\s+weekend|(?:het\\s+)?weekend\\s+van\\s+vorige\\s+week'),
    make: (_m, ctx) => {
      const back = (((weekday(ctx.today) - 6 + 7) % 7) || 7) + 7;
      const sat = addDays(ctx.today, -back);
      return { precision: 'week', from: sat, to: addDays(sat, 1) };
    },
  },
  // vorig/afgelopen weekend, last weekend, in het weekend
  {
    re: re('(?:vorig|vorige|afgelopen|verleden|last|this\\s+past|past|in\\s+het|over\\s+the|at\\s+the)\\s+weekend'),
    make: (_m, ctx) => {
      const back = ((weekday(ctx.today) - 6 + 7) % 7) || 7;
      const sat = addDays(ctx.today, -back);
      const sun = addDays(sat, 1);
      return { precision: 'week', from: sat, to: sun < ctx.today ? sun : sat };
    },
  },
  // (afgelopen|vorige week) vrijdag(middag) (jl./vorige week), last Friday, Friday afternoon, on Friday
  {
    re: re(
      `(?:(vorige\\s+week|verleden\\s+week|last\\s+week|the\\s+week\\s+before)\\s+(?:on\\s+)?|(afgelopen|vorige|verleden|jongstleden|last|this\\s+past|past)\\s+|(?:op\\s+|on\\s+))?(${WEEKDAY_RE})(?:${DAYPART}|s)?(?:\\s+(?:morning|afternoon|evening|night|ochtend|middag|avond))?(?:\\s+((?:van\\s+|of\\s+)?(?:vorige|verleden|last)\\s+week|jl\\.?|j\\.l\\.|jongstleden))?`,
    ),
    make: (m, ctx, text) => {
      const wdWord = m[3].toLowerCase();
      const target = WEEKDAYS[wdWord];
      // "op maandag 16 november": the day rule reads the date; a weekday right before a day number is not ours.
      const after = text.slice((m.index ?? 0) + m[0].length);
      if (/^\s*(?:de\s+|the\s+)?\d{1,2}(?!\d)/.test(after)) return undefined;
      if (m[1] || /week/i.test(m[4] ?? '')) {
        const monday = addDays(mondayOf(ctx.today), -7);
        const d = addDays(monday, (target + 6) % 7);
        return { precision: 'day', from: d, to: d };
      }
      const strict = m[2] !== undefined || /^(jl|j\.l|jongstleden)/i.test(m[4] ?? '');
      let back = (weekday(ctx.today) - target + 7) % 7;
      if (back === 0 && strict) back = 7;
      const d = addDays(ctx.today, -back);
      return { precision: 'day', from: d, to: d };
    },
  },
  // seasons and Christmas
  {
    re: re(
      `(?:(afgelopen|vorige|verleden|deze|last|this|this\\s+past|past)\\s+|(?:in\\s+de|in\\s+het|in\\s+the|in|during\\s+the|tijdens\\s+de)\\s+)?(zomervakantie|summer\\s+holidays?|zomer|winter|lente|voorjaar|herfst|najaar|summer|spring|autumn|fall|kerst|kerstmis|christmas|de\\s+kerstdagen|oud\\s+en\\s+nieuw|de\\s+jaarwisseling|jaarwisseling|new\\s+year'?s?(?:\\s+eve)?)(?:\\s+(?:van\\s+|of\\s+)?(vorig\\s+jaar|last\\s+year|\\d{4}))?`,
    ),
    make: (m, ctx) => {
      const w = m[2].toLowerCase();
      if ((w === 'fall' || w === 'spring') && !m[1] && !/^(in|during)/i.test(m[0])) return undefined;
      const explicit = resolveYear(m[3], ctx);
      const span = (y: number): [string, string] => {
        if (/kerst|christmas/.test(w)) return [iso(y, 12, 24), iso(y, 12, 26)];
        if (/oud|jaarwisseling|new/.test(w)) return [iso(y - 1, 12, 31), iso(y, 1, 1)];
        if (/zomervakantie|summer\s+holiday/.test(w)) return [iso(y, 7, 1), iso(y, 8, 31)];
        if (/zomer|summer/.test(w)) return [iso(y, 6, 1), iso(y, 8, 31)];
        if (/lente|voorjaar|spring/.test(w)) return [iso(y, 3, 1), iso(y, 5, 31)];
        if (/herfst|najaar|autumn|fall/.test(w)) return [iso(y, 9, 1), iso(y, 11, 30)];
        return [iso(y - 1, 12, 1), iso(y, 2, daysInMonth(y, 2))]; // winter: December of the year before
      };
      let y = explicit.year ?? ctx.year;
      if (/winter/.test(w) && explicit.year !== undefined) y = explicit.year + 1;
      let [from, to] = span(y);
      if (explicit.year === undefined) {
        while (from > ctx.today) [from, to] = span(--y);
        if (/^(afgelopen|vorige|verleden|last|past|this past)$/i.test(m[1] ?? '') && to >= ctx.today) [from, to] = span(--y);
      }
      return { precision: 'season', from, to };
    },
  },
  // vorig jaar, last year, in 2025
  {
    re: re('(vorig\\s+jaar|verleden\\s+jaar|last\\s+year)|(?:(?:in|sinds|since|during|begin|eind)\\s+)?((?:19|20)\\d{2})'),
    make: (m, ctx, text) => {
      let y: number;
      if (m[1]) y = ctx.year - 1;
      else {
        y = Number(m[2]);
        const prefixed = /^(in|sinds|since|during|begin|eind)\s/i.test(m[0]);
        if (!prefixed && !(ctx.whole && text.trim().split(/\s+/).length <= 3)) return undefined;
        if (y > ctx.year) return undefined;
      }
      return { precision: 'year', from: iso(y, 1, 1), to: iso(y, 12, 31) };
    },
  },
  // Too vague for a day or a period, but clearly an answer about when
  {
    re: re(
      "(?:een\\s+)?(?:tijdje|tijd|poosje|paar\\s+maanden|paar\\s+jaar|aantal\\s+maanden|aantal\\s+jaren?)\\s+(?:geleden|terug)|lang\\s+geleden|kort(?:\\s+)?geleden|onlangs|laatst|recent(?:elijk)?|a\\s+while\\s+(?:ago|back)|some\\s+time\\s+ago|ages\\s+ago|long\\s+ago|recently|a\\s+few\\s+months\\s+ago|the\\s+other\\s+day|een\\s+tijdje|a\\s+while|ergens\\s+(?:in\\s+)?(?:het\\s+)?(?:voorjaar|najaar)?",
    ),
    make: () => ({ precision: 'vague' }),
  },
];

/** Words that are never the date of the event. */
const NOT_A_DATE = /^(?:nu|now|right now|op dit moment|momenteel|tegenwoordig|nowadays|currently)$/i;

function findCandidates(lower: string, original: string, ctx: Ctx): Candidate[] {
  const out: Candidate[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    let hits = 0;
    for (let m = rule.re.exec(lower); m && hits < 20; m = rule.re.exec(lower), hits++) {
      const made = rule.make(m, ctx, original);
      if (made) out.push({ index: m.index, end: m.index + m[0].length, ...made });
      if (m[0].length === 0) rule.re.lastIndex++;
    }
  }
  return out;
}

/** Cheap test: could the text hold a date at all? */
const MAYBE_DATE = new RegExp(
  `\\d|\\b(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)\\b|${HOLIDAY_RE}|zojuist|daarnet|just now|the other day|fortnight|ochtend|middag|avond|tijd|time|${MONTH_RE}|${WEEKDAY_RE}|gister|vandaag|vanochtend|vanmiddag|vanavond|vannacht|today|yesterday|week|maand|month|jaar|year|geleden|ago|terug|back|zomer|winter|lente|voorjaar|herfst|najaar|summer|spring|autumn|fall|kerst|christmas|morgen|morning|afternoon|evening|night|nacht|recent|onlangs|laatst|while|tijdje|poosje|ergens`,
  'i',
);

export interface DateOptions {
  locale: Locale;
  now: Date;
  /** The whole message answers "when?": vague answers are kept as text, a bare "16-11" is a date. */
  whole?: boolean;
}

/**
 * The date a message gives, or undefined. In a whole answer to "when?" a vague answer keeps its text; in other
 * messages only a day or a period counts, and `text` is the words that gave it.
 */
export function understandDate(message: string, opts: DateOptions): UnderstoodDate | undefined {
  const text = message.trim();
  if (!text || !MAYBE_DATE.test(fixTyposIfNeeded(text))) return undefined;
  const alt = weekdayAlternatives(text, opts);
  if (alt) return alt;
  const today = toAmsterdamDate(opts.now);
  const [year, month, day] = parts(today);
  const ctx: Ctx = { today, year, month, day, whole: opts.whole === true };
  const lower = fixTypos(text.toLowerCase());
  const found = findCandidates(lower, text, ctx);
  // In a story a bare year ("sinds 2010 woon ik hier") is rarely when it happened: only whole answers give one.
  const dated = found.filter((c) => c.from !== undefined && (opts.whole || c.precision !== 'year'));
  // Most precise first, then the earliest; a candidate inside a longer one is the longer one's part.
  const contains = (a: Candidate, b: Candidate) => a.index <= b.index && a.end >= b.end && (a.end - a.index) > (b.end - b.index);
  const pool = dated.filter((c) => !dated.some((o) => contains(o, c)));
  pool.sort((a, b) => RANK[a.precision] - RANK[b.precision] || a.index - b.index);
  let best = pool[0];
  if (best && opts.whole && (best.precision === 'part' || best.precision === 'month' || best.precision === 'day')) {
    // "eind september begin oktober", "late September or early October": one period from the first to the second;
    // "woensdag of donderdag", "from November 2 to November 6", "tussen 27 februari en 2 maart": days, at most a month apart
    const kinds: Precision[] = best.precision === 'day' ? ['day'] : ['part', 'month'];
    const others = pool.filter((c) => c !== best && kinds.includes(c.precision) && (best!.precision !== 'day' || daysBetween(best!.from!, c.from!) <= 31));
    for (const o of others) {
      const [a, b] = best.index < o.index ? [best, o] : [o, best];
      const between = lower.slice(a.end, b.index);
      if (/^\s*(?:,|of|or|en|and|tot|tot\s+en\s+met|to|till|until|through|-|–|\/|t\/m|of\s+misschien|or\s+maybe)?\s*$/i.test(between) && a.from! <= b.from! && b.to! > a.to!) {
        best = { ...a, end: b.end, to: b.to };
        break;
      }
    }
  }
  if (best) {
    const words = opts.whole ? text : text.slice(best.index, best.end).trim();
    return { text: words, from: best.from, to: best.to };
  }
  if (opts.whole) {
    if (found.length > 0) return { text };
    // Fallback: chrono-node, for the ways of saying a day that no rule above knows.
    const withoutNow = text.replace(/(?<![\p{L}])(?:nu|now|right now|momenteel|currently)(?![\p{L}])/giu, ' ').trim();
    // Only for answers with a number in them: chrono reads "Jan" (a name) as January, "zo" as Sunday.
    if (!withoutNow || !/\d/.test(withoutNow) || withoutNow.length > 200) return undefined;
    const p = parseIncidentDate(withoutNow, { locale: opts.locale, now: opts.now });
    if (p.kind === 'date' && !NOT_A_DATE.test(text)) return { text, from: p.date, to: p.date };
    if (p.kind === 'unknown' && !/weet|idee|know|sure|zeker|remember|herinner|vergeten|forgot|unsure/i.test(text)) return { text };
  }
  return undefined;
}

function daysBetween(a: string, b: string): number {
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;
}

const WEEK_QUALIFIER = '(?:van\\s+|of\\s+)?(?:vorige|afgelopen|verleden|deze|last|this|the\\s+previous)\\s+(?:week)';
const WEEKDAY_ALTERNATIVES = new RegExp(
  `(?:(${WEEK_QUALIFIER}|vorige|afgelopen|last)\\s+)?(?:either\\s+|op\\s+|on\\s+)?(${WEEKDAY_RE})\\s+(?:of|or)\\s+(?:op\\s+|on\\s+)?(${WEEKDAY_RE})(?:\\s+(${WEEK_QUALIFIER}))?`,
  'iu',
);

/**
 * "maandag of dinsdag vorige week", "vorige week maandag of dinsdag", "Monday or Tuesday last week": the week said
 * once counts for both days; the answer is the period from the one to the other (at most a week).
 */
function weekdayAlternatives(text: string, opts: DateOptions): UnderstoodDate | undefined {
  const m = WEEKDAY_ALTERNATIVES.exec(fixTypos(text.toLowerCase()));
  if (!m || (!m[1] && !m[4])) return undefined;
  const q = (m[1] ?? m[4]).replace(/^(?:van|of)\s+/, '');
  const one = understandDate(`${m[2]} ${q}`, { ...opts, whole: false });
  const two = understandDate(`${m[3]} ${q}`, { ...opts, whole: false });
  if (!one?.from || !two?.from || one.from !== one.to || two.from !== two.to || daysBetween(one.from, two.from) > 7) return undefined;
  const [from, to] = one.from <= two.from ? [one.from, two.from] : [two.from, one.from];
  return { text: opts.whole ? text.trim() : m[0], from, to };
}

/** Could the text be about when something happened (a date word, a number, a time word)? Cheap. */
export function looksLikeDate(text: string): boolean {
  return MAYBE_DATE.test(fixTyposIfNeeded(text)) || /\b(dag|day|days|dagen|elke|every|altijd|always|steeds|lang|long|sinds|since)\b/i.test(text);
}

function fixTyposIfNeeded(text: string): string {
  return /\p{L}{6,}/u.test(text) ? fixTypos(text.toLowerCase()) : text;
}

// ---------------------------------------------------------------------------------------------
// Saying a date back, and the one-year rule

const MONTH_NAMES: Record<Locale, string[]> = {
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/**
 * How the bot says a date back: "15 oktober 2026", "oktober 2026", "eind oktober 2026 (21–31 oktober)",
 * "week 46 (9–15 november 2026)", "9–15 november 2026", "2025"; a date without a day or period: its text.
 */
export function formatPeriod(date: UnderstoodDate | undefined, locale: Locale): string {
  if (!date) return '';
  if (!date.from) return date.text;
  const to = date.to ?? date.from;
  const [fy, fm, fd] = parts(date.from);
  const [ty, tm, td] = parts(to);
  const mn = (m: number) => MONTH_NAMES[locale][m - 1];
  const day = (d: number, m: number) => (locale === 'nl' ? `${d} ${mn(m)}` : `${d} ${mn(m)}`);
  if (date.from === to) return `${day(fd, fm)} ${fy}`;
  if (fm === 1 && fd === 1 && tm === 12 && td === 31 && fy === ty) return String(fy);
  if (fy === ty && fm === tm) {
    const last = daysInMonth(fy, fm);
    if (fd === 1 && td === last) return `${mn(fm)} ${fy}`;
    const range = `${fd}–${td} ${mn(fm)}`;
    if (fd === 1 && td === 10) return locale === 'nl' ? `begin ${mn(fm)} ${fy} (${range})` : `early ${mn(fm)} ${fy} (${range})`;
    if (fd === 11 && td === 20) return locale === 'nl' ? `half ${mn(fm)} ${fy} (${range})` : `mid-${mn(fm)} ${fy} (${range})`;
    if (fd === 21 && td === last) return locale === 'nl' ? `eind ${mn(fm)} ${fy} (${range})` : `late ${mn(fm)} ${fy} (${range})`;
  }
  const span =
    fy === ty && fm === tm
      ? `${fd}–${td} ${mn(fm)} ${fy}`
      : fy === ty
        ? `${day(fd, fm)} – ${day(td, tm)} ${fy}`
        : `${day(fd, fm)} ${fy} – ${day(td, tm)} ${ty}`;
  const isWeek = weekday(date.from) === 1 && addDays(date.from, 6) === to;
  if (isWeek) return `week ${isoWeekOf(date.from).week} (${span})`;
  return span;
}

/**
 * More than a year ago (the gemeente need not handle a complaint about conduct more than a year before): judged
 * on the END of the period, so "eind oktober vorig jaar" counts from 31 October. Exactly one year ago is not more.
 * A date without a day or period is never more than a year ago (the dialog cannot know).
 */
export function isMoreThanAYearAgo(date: UnderstoodDate | string | undefined, now: Date): boolean {
  const end = typeof date === 'string' ? date : date?.to ?? date?.from;
  if (!end) return false;
  const [y, m, d] = parts(toAmsterdamDate(now));
  const oneYearBefore = isValid(y - 1, m, d) ? iso(y - 1, m, d) : iso(y - 1, m, d - 1);
  return end < oneYearBefore;
}
