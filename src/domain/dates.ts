/**
 * Understanding when something happened, in Dutch and English, with chrono-node.
 *
 * Rules on top of chrono (incidents lie in the past):
 * - A date without a year that would fall after today means the previous year ("30 december" on 24 Nov 2026
 *   is 2025-12-30; "in maart" is 1 March of the most recent past March).
 * - A bare weekday ("vrijdag", "on Friday") means the most recent one, today included.
 *   "afgelopen/vorige maandag", "maandag jl.", "last Monday" mean the most recent one strictly before today;
 *   "vorige week maandag", "maandag vorige week", "Monday last week" mean that day in the previous Mon–Sun week;
 *   "afgelopen weekend", "last weekend" mean the most recent Saturday before today.
 * - Month precision: month names give the 1st of the month, relative months ("vorige maand", "een maand geleden")
 *   give chrono's pick, the same day of that month. parseIncidentDate accepts these, findDateInStory does not
 *   (a story date must be precise to the day to be confirmed).
 * - Year precision only ("vorig jaar", "2 jaar geleden", "in 2025") is 'unknown': too vague to date; so are
 *   seasons and vague periods ("in de zomer", "met kerst", "deze week", "anderhalf jaar geleden").
 * - Both locales are tried; the most precise reading wins, the citizen's locale first on a tie
 *   ("on the 14th of November" in a Dutch conversation is 14 November, not chrono.nl's "November").
 * - Times are ignored; a time without a day ("om 3 uur") is no date, nor is a duration ahead ("for an hour").
 * - Weekday abbreviations chrono knows ("zo", "vrij", "ma", "zat", "sat") are ignored unless part of a full date:
 *   in a story they are nearly always ordinary words.
 * Times are read in Europe/Amsterdam: chrono gets a reference whose local wall clock equals Amsterdam's.
 */
import * as chrono from 'chrono-node';
import type { Locale } from './routes';
import { toAmsterdamDate } from './workingDays';

export type DateParse =
  | { kind: 'date'; date: string; text: string }
  | { kind: 'unknown'; text: string }
  | { kind: 'future'; date: string; text: string }
  | { kind: 'invalid'; text: string };

type Precision = 'day' | 'month' | 'year';
interface Candidate {
  date: string;
  text: string;
  precision: Precision;
}

// ---------------------------------------------------------------------------------------------
// Calendar helpers (local wall clock of the chrono reference == Amsterdam wall clock)

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const iso = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

function shiftIso(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function isValidIso(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const wallClockFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

/** A Date whose local (server time zone) fields show Amsterdam's wall clock at `now`. */
function amsterdamWallClock(now: Date): Date {
  const p = Object.fromEntries(wallClockFormat.formatToParts(now).map((x) => [x.type, Number(x.value)]));
  return new Date(p.year, p.month - 1, p.day, p.hour, p.minute);
}

// ---------------------------------------------------------------------------------------------
// Extra chrono parsers for what chrono.nl / chrono.en miss or place wrongly

const WEEKDAYS: Record<Locale, string[]> = {
  nl: ['zondag', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag'],
  en: ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'],
};
const FULL_WEEKDAY: Record<Locale, RegExp> = {
  nl: new RegExp(`(?:${WEEKDAYS.nl.join('|')})`, 'i'),
  en: new RegExp(`(?:${WEEKDAYS.en.join('|')})`, 'i'),
};
const BARE_WEEKDAY: Record<Locale, RegExp> = {
  nl: new RegExp(`^${FULL_WEEKDAY.nl.source}$`, 'i'),
  en: new RegExp(`^${FULL_WEEKDAY.en.source}$`, 'i'),
};

/** Parser answering a fixed date computed from the reference's local wall clock. */
function fixedDateParser(
  pattern: RegExp,
  compute: (ref: Date, match: RegExpMatchArray) => Date,
): chrono.Parser {
  return {
    pattern: () => pattern,
    extract: (context, match) => {
      const date = compute(new Date(context.reference.instant.getTime()), match);
      return { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate() };
    },
  };
}

function daysBefore(ref: Date, n: number): Date {
  return new Date(ref.getFullYear(), ref.getMonth(), ref.getDate() - n, 12);
}

/** The most recent `weekday` strictly before the reference day. */
function lastWeekday(ref: Date, weekday: number): Date {
  return daysBefore(ref, ((ref.getDay() - weekday + 6) % 7) + 1);
}

/** `weekday` in the Monday-to-Sunday week before the reference's week. */
function weekdayOfPreviousWeek(ref: Date, weekday: number): Date {
  const sinceMonday = (ref.getDay() + 6) % 7;
  const offset = (weekday + 6) % 7; // Monday 0 .. Sunday 6
  return daysBefore(ref, sinceMonday + 7 - offset);
}

const PAST_WEEKDAY_WORDS: Record<Locale, { on: string; lastWeek: string; lastDay: string; postfix?: string }> = {
  nl: {
    on: '(?:op\\s+)?',
    lastWeek: '(?:vorige|verleden|afgelopen)\\s+week',
    lastDay: '(?:afgelopen|vorige|verleden|jongstleden)',
    postfix: '(?:jl\\.?|j\\.l\\.|jongstleden)',
  },
  en: { on: '(?:on\\s+)?', lastWeek: 'last\\s+week', lastDay: '(?:last|this\\s+past|past)' },
};

/** "afgelopen maandag", "maandag jl.", "vorige week maandag", "maandag vorige week" and English equivalents. */
function pastWeekdayParsers(locale: Locale): chrono.Parser[] {
  const { on, lastWeek, lastDay, postfix } = PAST_WEEKDAY_WORDS[locale];
  const wd = `(${WEEKDAYS[locale].join('|')})`;
  const indexOf = (word: string) => WEEKDAYS[locale].indexOf(word.toLowerCase());
  const b = (body: string) => new RegExp(`(?<![\\p{L}\\p{N}])${on}${body}(?![\\p{L}\\p{N}])`, 'iu');
  const parsers = [
    fixedDateParser(b(`${lastWeek}\\s+${wd}`), (ref, m) => weekdayOfPreviousWeek(ref, indexOf(m[1]))),
    fixedDateParser(b(`${wd}\\s+(?:van\\s+|of\\s+)?${lastWeek}`), (ref, m) => weekdayOfPreviousWeek(ref, indexOf(m[1]))),
    fixedDateParser(b(`${lastDay}\\s+${wd}`), (ref, m) => lastWeekday(ref, indexOf(m[1]))),
  ];
  if (postfix) parsers.push(fixedDateParser(b(`${wd}\\s+${postfix}`), (ref, m) => lastWeekday(ref, indexOf(m[1]))));
  return parsers;
}

const NL_NUMBERS: Record<string, number> = {
  een: 1, twee: 2, drie: 3, vier: 4, vijf: 5, zes: 6, zeven: 7, acht: 8, negen: 9, tien: 10, paar: 2,
};

/** The most recent Saturday before today: "afgelopen weekend", "last weekend". */
function weekendParser(pattern: string): chrono.Parser {
  return fixedDateParser(new RegExp(`(?<![\\p{L}])(?:${pattern})(?![\\p{L}])`, 'iu'), (ref) => lastWeekday(ref, 6));
}

/** Dutch extras: "eergisteren", "gisteravond"/"gistermiddag"/…, "drie weken terug". */
const dutchExtraParsers: chrono.Parser[] = [
  fixedDateParser(
    /(?<![\p{L}\p{N}])(eer)?gister(?:en)?(?:ochtend|morgen|middag|avond|nacht)?(?![\p{L}\p{N}])/iu,
    (ref, m) => daysBefore(ref, m[1] ? 2 : 1),
  ),
  fixedDateParser(
    /(?<![\p{L}\p{N}])(?:een\s+)?(\d{1,2}|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|paar)\s+(dag|dagen|week|weken)\s+terug(?![\p{L}\p{N}])/iu,
    (ref, m) => {
      const n = /^\d/.test(m[1]) ? Number(m[1]) : NL_NUMBERS[m[1].toLowerCase()];
      return daysBefore(ref, n * (m[2].toLowerCase().startsWith('w') ? 7 : 1));
    },
  ),
];

function buildParser(base: chrono.Chrono, extra: chrono.Parser[]): chrono.Chrono {
  const c = base.clone();
  c.parsers.unshift(...extra); // first, so they win ties with chrono's own reading of the same words
  return c;
}

const PARSERS: Record<Locale, chrono.Chrono> = {
  nl: buildParser(chrono.nl.casual, [
    ...dutchExtraParsers,
    ...pastWeekdayParsers('nl'),
    weekendParser('(?:afgelopen|vorig|vorige|verleden)\\s+weekend|in\\s+het\\s+weekend'),
  ]),
  // en.GB reads 12/3/2025 day-first, as people in the Netherlands write it.
  en: buildParser(chrono.en.GB, [
    ...pastWeekdayParsers('en'),
    weekendParser('(?:last|this\\s+past|past)\\s+weekend|(?:at|over)\\s+the\\s+weekend'),
  ]),
};

// ---------------------------------------------------------------------------------------------

const other = (locale: Locale): Locale => (locale === 'nl' ? 'en' : 'nl');
const LEADING_FILLER = /^(?:[,(]\s*)?(?:op|on)\s+/i;

/** Chrono's results turned into past-biased calendar dates, in order of appearance. */
function candidates(text: string, locale: Locale, ref: Date, today: string): Candidate[] {
  const out: Candidate[] = [];
  for (const r of PARSERS[locale].parse(text, ref)) {
    const s = r.start;
    const known = (c: chrono.Component) => s.isCertain(c);
    const casual = [...r.tags()].some((t) => t.startsWith('casualReference/'));
    const matched = r.text.replace(LEADING_FILLER, '').trim();
    if (!known('year') && !known('month') && !known('day') && !known('weekday') && !casual) continue; // time only
    // "for an hour", "in 10 minutes": a duration from now, not a moment that happened
    if (r.tags().has('result/relativeDateAndTime') && s.date().getTime() > ref.getTime()) continue;

    let y = s.get('year')!;
    const m = s.get('month')!;
    const d = s.get('day')!;
    let date = iso(y, m, d);
    const weekdayOnly = known('weekday') && !known('day');
    if (weekdayOnly) {
      if (!FULL_WEEKDAY[locale].test(r.text)) continue; // "zo", "vrij", "zat", "sat": ordinary words
      if (BARE_WEEKDAY[locale].test(matched) && date > today) date = shiftIso(date, -7);
    } else if (!known('year') && known('month')) {
      while (date > today || !isValidIso(y, m, d)) date = iso(--y, m, d);
    }
    const precision: Precision =
      known('day') || known('weekday') || casual ? 'day' : known('month') ? 'month' : 'year';
    out.push({ date, text: matched, precision });
  }
  return out;
}

/** Candidates in the citizen's locale, then in the other; `best` picks the most precise, then by that order. */
function candidatesBothLocales(text: string, opts: { locale: Locale; now: Date }): Candidate[] {
  const ref = amsterdamWallClock(opts.now);
  const today = toAmsterdamDate(opts.now);
  return [...candidates(text, opts.locale, ref, today), ...candidates(text, other(opts.locale), ref, today)];
}

const PRECISION_RANK: Record<Precision, number> = { day: 0, month: 1, year: 2 };
function best(found: Candidate[], accept: (c: Candidate) => boolean): Candidate | undefined {
  const ok = found.filter(accept);
  return ok.sort((a, b) => PRECISION_RANK[a.precision] - PRECISION_RANK[b.precision])[0]; // stable: keeps order
}

/** "Don't know exactly" answers and vague periods (both languages), for answers without a usable date. */
const UNCERTAIN = new RegExp(
  `(?<![\\p{L}])(?:${[
    // Dutch
    'weet\\s+(?:ik\\s+)?(?:het\\s+)?niet',
    'geen\\s+(?:flauw\\s+)?idee',
    'niet\\s+(?:meer\\s+)?(?:precies|zeker|exact)',
    '(?:kan|weet)\\s+(?:ik\\s+)?(?:me|mij|het)?\\s*niet\\s+(?:meer\\s+)?herinneren',
    'vergeten|onbekend|ergens|ongeveer|rond|geleden|terug',
    'deze\\s+week|weekend|zomer|winter|lente|voorjaar|najaar|herfst|kerst\\p{L}*',
    // English
    "don'?t\\s+know|do\\s+not\\s+know|dunno|not\\s+sure|unsure|no\\s+idea",
    "(?:can'?t|cannot|don'?t|do\\s+not)\\s+remember|forgot|unknown",
    'some\\s*time|ago|around|roughly|approximately',
    'this\\s+week|summer|spring|autumn|fall|christmas',
  ].join('|')})(?![\\p{L}])`,
  'iu',
);
const BARE_YEAR = /(?<!\d)(?:19|20)\d{2}(?!\d)/;

/**
 * The citizen's answer to "when did it happen?". `text` is the answer as given (trimmed), so the words
 * stay available to the complaint officer ("ongeveer 14 november").
 */
export function parseIncidentDate(text: string, opts: { locale: Locale; now: Date }): DateParse {
  const answer = text.trim();
  // chrono reads "16/11" but not "16-11"; only a whole answer, since in a story "3-4 keer" is no date.
  const found = candidatesBothLocales(answer.replace(/^(\d{1,2})-(\d{1,2})$/, '$1/$2'), opts);
  const dated = best(found, (c) => c.precision !== 'year');
  if (dated) {
    const today = toAmsterdamDate(opts.now);
    return dated.date > today
      ? { kind: 'future', date: dated.date, text: answer }
      : { kind: 'date', date: dated.date, text: answer };
  }
  if (found.length > 0 || UNCERTAIN.test(answer) || BARE_YEAR.test(answer)) return { kind: 'unknown', text: answer };
  return { kind: 'invalid', text: answer };
}

/** The first past date, precise to the day, mentioned in a longer story; `text` is the words that gave it. */
export function findDateInStory(
  story: string,
  opts: { locale: Locale; now: Date },
): { date: string; text: string } | null {
  const today = toAmsterdamDate(opts.now);
  const hit = best(candidatesBothLocales(story, opts), (c) => c.precision === 'day' && c.date <= today);
  return hit ? { date: hit.date, text: hit.text } : null;
}

/**
 * Awb 9:8 lid 1 sub b: the conduct took place more than a year before now. Exactly one year ago (same calendar
 * day) is not more than a year; 29 February counts back to 28 February. A period ({from, to}, as the
 * understanding step gives it) is judged on its END; a date without a day or period is never more than a year ago.
 */
export function isMoreThanAYearAgo(period: string | { from?: string; to?: string } | undefined, now: Date): boolean {
  const date = typeof period === 'string' ? period : period?.to ?? period?.from;
  if (!date) return false;
  const [y, m, d] = toAmsterdamDate(now).split('-').map(Number);
  const oneYearBefore = isValidIso(y - 1, m, d) ? iso(y - 1, m, d) : iso(y - 1, m, d - 1);
  return date < oneYearBefore;
}

const DISPLAY_LOCALE: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };
const displayFormat = (locale: Locale) =>
  new Intl.DateTimeFormat(DISPLAY_LOCALE[locale], { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
/** Built once: constructing an Intl.DateTimeFormat is costly. */
const DISPLAY_FORMAT: Record<Locale, Intl.DateTimeFormat> = { nl: displayFormat('nl'), en: displayFormat('en') };

/** 'dinsdag 17 november 2026' / 'Tuesday 17 November 2026'. */
export function formatDate(date: string, locale: Locale): string {
  const [y, m, d] = date.split('-').map(Number);
  const parts = DISPLAY_FORMAT[locale].formatToParts(new Date(Date.UTC(y, m - 1, d)));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}
