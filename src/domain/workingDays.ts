/**
 * Dutch working days for legal terms (Algemene termijnenwet) and call-back slots.
 * All dates are ISO calendar dates 'YYYY-MM-DD' in Europe/Amsterdam; nothing here reads the clock.
 */
import Holidays from 'date-holidays';
import decreed from './holidays-nl.json';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Parses 'YYYY-MM-DD' to a UTC-midnight Date (calendar arithmetic only); throws on anything else. */
function parseIso(date: string): Date {
  const m = ISO_DATE.exec(date);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : new Date(NaN);
  if (!m || d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    throw new RangeError(`Not an ISO calendar date (YYYY-MM-DD): ${date}`);
  }
  return d;
}

function formatIso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return formatIso(new Date(parseIso(date).getTime() + days * DAY_MS));
}

const amsterdamDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date of an instant in Europe/Amsterdam, whatever the server's time zone. */
export function toAmsterdamDate(d: Date): string {
  const parts = Object.fromEntries(amsterdamDateFormat.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * Algemene termijnenwet art. 3 lid 2: Goede Vrijdag is equal to the holidays of lid 1 (date-holidays rule
 * 'easter -2'); lid 3: the days the Crown makes equal by decree, kept in src/domain/holidays-nl.json
 * (update it when a new decree is published).
 */
const GOEDE_VRIJDAG = (r: string) => r === 'easter -2';

/** Days equal to holidays by royal decree (Atw art. 3 lid 3), from the data file. */
export const DECREED_DAYS: ReadonlySet<string> = new Set(decreed.decrees.flatMap((d) => d.days.map((x) => x.date)));
/** The years the data file has a decree for (later years: lid 1 and lid 2 only). */
export const DECREED_YEARS: ReadonlySet<number> = new Set(decreed.decrees.flatMap((d) => d.years));

/**
 * Algemene termijnenwet art. 3 lid 1: Nieuwjaarsdag, Tweede Paasdag, Hemelvaartsdag, Tweede Pinksterdag,
 * Eerste en Tweede Kerstdag, the King's birthday (Koningsdag) and 5 mei. date-holidays ('NL') has all of them,
 * plus days the law does not count (Goede Vrijdag, Pasen, Pinksteren, observances); we pick by rule, not by
 * (translatable) name. Bevrijdingsdag is typed 'school' there, but counts every year for legal terms.
 */
const TERMIJNENWET_RULES: ReadonlyArray<(rule: string) => boolean> = [
  (r) => r === '01-01', // Nieuwjaarsdag
  (r) => r === 'easter 1', // Tweede Paasdag
  (r) => r === 'easter 39', // Hemelvaartsdag
  (r) => r === 'easter 50', // Tweede Pinksterdag
  (r) => r.startsWith('04-27') || r.startsWith('04-30'), // Koningsdag (26 Apr when the 27th is a Sunday); Koninginnedag before 2014
  (r) => r === '05-05', // Bevrijdingsdag
  (r) => r === '12-25', // Eerste Kerstdag
  (r) => r === '12-26', // Tweede Kerstdag
];

const nlHolidays = new Holidays('NL');
const holidayCache = new Map<number, ReadonlySet<string>>();

function holidaysOf(year: number): ReadonlySet<string> {
  let set = holidayCache.get(year);
  if (!set) {
    const all = nlHolidays.getHolidays(year) || [];
    // Legal deadlines must never be silently wrong: fail loudly if the library's data ever changes shape.
    const missing = [...TERMIJNENWET_RULES, GOEDE_VRIJDAG].filter((matches) => !all.some((h) => matches(h.rule)));
    if (missing.length > 0) {
      throw new Error(`date-holidays lacks ${missing.length} Termijnenwet holiday(s) for ${year}`);
    }
    // A Set: two holidays may share a day (Hemelvaartsdag fell on 5 May in 2005 and 2016).
    set = new Set([
      ...all.filter((h) => TERMIJNENWET_RULES.some((matches) => matches(h.rule)) || GOEDE_VRIJDAG(h.rule)).map((h) => h.date.slice(0, 10)),
      ...[...DECREED_DAYS].filter((d) => d.startsWith(`${year}-`)),
    ]);
    holidayCache.set(year, set);
  }
  return set;
}

/**
 * A holiday under the Algemene termijnenwet (weekends are not holidays, just not working days): art. 3
 * lid 1, Goede Vrijdag (lid 2), and the days of the decrees in holidays-nl.json (lid 3).
 */
export function isPublicHoliday(date: string): boolean {
  return holidaysOf(parseIso(date).getUTCFullYear()).has(date);
}

/** Monday to Friday and not a Termijnenwet holiday. */
export function isWorkingDay(date: string): boolean {
  const weekday = parseIso(date).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isPublicHoliday(date);
}

/** The n-th working day after `date` (n = 0: `date` itself; negative n counts back). */
export function addWorkingDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer: ${n}`);
  const step = n < 0 ? -1 : 1;
  let current = date;
  parseIso(current);
  for (let left = Math.abs(n); left > 0; ) {
    current = addDays(current, step);
    if (isWorkingDay(current)) left--;
  }
  return current;
}

/** The next `count` working days strictly after today in Amsterdam (for call-back slots). */
export function nextWorkingDays(now: Date, count: number): string[] {
  const days: string[] = [];
  let current = toAmsterdamDate(now);
  while (days.length < count) {
    current = addWorkingDays(current, 1);
    days.push(current);
  }
  return days;
}

/** Plain calendar weeks, no working-day adjustment. */
export function addWeeks(date: string, weeks: number): string {
  return addDays(date, 7 * weeks);
}

/** Algemene termijnenwet art. 1: a term ending on a Saturday, Sunday or holiday ends on the next working day. */
export function nextWorkingDayOnOrAfter(date: string): string {
  return isWorkingDay(date) ? date : addWorkingDays(date, 1);
}

export interface ComplaintDeadlines {
  /** The department contacts the citizen within 2 to 4 working days (informal handling). */
  contactBy: string;
  /** Awb 9:11 lid 1: decision within 6 weeks of receipt. */
  decideBy: string;
  /** Awb 9:11 lid 2: one extension of at most 4 weeks. */
  decideByExtended: string;
}

/** Deadlines for a complaint received at `receivedAt` (the Amsterdam calendar day of receipt counts as day 0). */
export function complaintDeadlines(receivedAt: Date): ComplaintDeadlines {
  const received = toAmsterdamDate(receivedAt);
  const sixWeeks = addWeeks(received, 6);
  return {
    contactBy: addWorkingDays(received, 4),
    decideBy: nextWorkingDayOnOrAfter(sixWeeks),
    decideByExtended: nextWorkingDayOnOrAfter(addWeeks(sixWeeks, 4)),
  };
}
