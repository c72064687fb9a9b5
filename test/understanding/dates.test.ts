import { formatPeriod, isMoreThanAYearAgo, understandDate, isoWeekOf } from '../../src/understanding/dates';
import type { Locale } from '../../src/domain/routes';

/** Tuesday 24 November 2026, 10:00 in Amsterdam. */
const NOW = new Date('2026-11-24T09:00:00Z');
const when = (text: string, locale: Locale = 'nl') => understandDate(text, { locale, now: NOW, whole: true });
const inStory = (text: string, locale: Locale = 'nl') => understandDate(text, { locale, now: NOW, whole: false });
const span = (text: string, locale: Locale = 'nl') => {
  const d = when(text, locale);
  return d ? [d.from, d.to] : undefined;
};

describe('days, in either order, with or without ordinal', () => {
  test.each([
    ['September 15', 'en', '2026-09-15'],
    ['Sept 15', 'en', '2026-09-15'],
    ['Nov 18', 'en', '2026-11-18'],
    ['October 30', 'en', '2026-10-30'], // not "in the future": this year's 30 October has passed
    ['15 september', 'nl', '2026-09-15'],
    ['the 3rd', 'en', '2026-11-03'],
    ['de 5e', 'nl', '2026-11-05'],
    ['on the 26th', 'en', '2026-10-26'], // the 26th of this month is still to come: last month
    ['the 1st of October', 'en', '2026-10-01'],
    ['vrijdagmiddag', 'nl', '2026-11-20'],
    ['gisterne', 'nl', '2026-11-23'],
    ['yesterdy', 'en', '2026-11-23'],
    ['30 december', 'nl', '2025-12-30'], // no year and later than today: last year
    ['16-11', 'nl', '2026-11-16'],
    ['12/3/2025', 'en', '2025-03-12'],
    ['15 oktober vorig jaar', 'nl', '2025-10-15'],
    ['vorige week dinsdag', 'nl', '2026-11-17'],
    ['last Friday', 'en', '2026-11-20'],
    ['the day before yesterday', 'en', '2026-11-22'],
  ] as [string, Locale, string][])('%s (%s) -> %s', (text, locale, day) => {
    expect(when(text, locale)).toEqual({ text, from: day, to: day });
  });
});

describe('periods', () => {
  test.each([
    ['begin oktober', 'nl', '2026-10-01', '2026-10-10'],
    ['half oktober', 'nl', '2026-10-11', '2026-10-20'],
    ['midden oktober', 'nl', '2026-10-11', '2026-10-20'],
    ['eind oktober', 'nl', '2026-10-21', '2026-10-31'],
    ['mid October', 'en', '2026-10-11', '2026-10-20'],
    ['late October', 'en', '2026-10-21', '2026-10-31'],
    ['early December', 'en', '2025-12-01', '2025-12-10'],
    ['week 46', 'nl', '2026-11-09', '2026-11-15'],
    ['week 50', 'nl', '2025-12-08', '2025-12-14'],
    ['vorig jaar december', 'nl', '2025-12-01', '2025-12-31'],
    ['in oktober', 'nl', '2026-10-01', '2026-10-31'],
    ['in May', 'en', '2026-05-01', '2026-05-31'],
    ['vorige week', 'nl', '2026-11-16', '2026-11-22'],
    ['afgelopen weekend', 'nl', '2026-11-21', '2026-11-22'],
    ['anderhalf jaar geleden', 'nl', '2025-05-01', '2025-05-31'],
    ['vorig jaar', 'nl', '2025-01-01', '2025-12-31'],
  ] as [string, Locale, string, string][])('%s -> %s..%s', (text, locale, from, to) => {
    expect(span(text, locale)).toEqual([from, to]);
  });

  test.each([
    ['eind september begin oktober', 'nl', '2026-09-21', '2026-10-10'],
    ['late September or early October', 'en', '2026-09-21', '2026-10-10'],
    ['tweede helft van oktober', 'nl', '2026-10-16', '2026-10-31'],
    ['the first half of October', 'en', '2026-10-01', '2026-10-15'],
    ['eind 2025', 'nl', '2025-10-01', '2025-12-31'],
    ['during the summer holidays', 'en', '2026-07-01', '2026-08-31'],
    ['the weekend before last', 'en', '2026-11-14', '2026-11-15'],
    ['tussen 1 en 5 november', 'nl', '2026-11-01', '2026-11-05'],
    ['in de week van 9 november', 'nl', '2026-11-09', '2026-11-15'],
    ['met Pasen', 'nl', '2026-04-04', '2026-04-06'],
    ['meer dan een jaar geleden', 'nl', '2025-10-01', '2025-10-31'],
  ] as [string, Locale, string, string][])('combined and named periods: %s -> %s..%s', (text, locale, from, to) => {
    expect(span(text, locale)).toEqual([from, to]);
  });

  test.each([
    ['last Tues', '2026-11-17'],
    ['Weds', '2026-11-18'],
    ['Sat 21st', '2026-11-21'],
    ['the second of November', '2026-11-02'],
    ['on the 15th of last month', '2026-10-15'],
  ])('%s -> %s', (text, day) => {
    expect(span(text, 'en')).toEqual([day, day]);
  });

  test('an abbreviation that is an ordinary word is no day', () => {
    expect(when('I sat there for hours', 'en')).toBeUndefined();
  });

  test('too vague for a day or period: text only', () => {
    expect(when('een paar maanden geleden')).toEqual({ text: 'een paar maanden geleden' });
    expect(when('a few months ago', 'en')).toEqual({ text: 'a few months ago' });
    expect(when('lang geleden')).toEqual({ text: 'lang geleden' });
  });
});

describe('no date from words that are not about the event', () => {
  test.each(['ik heb nu al 5 keer gebeld', 'nu', 'Ik heb 3-4 keer gebeld, het duurde 10-12 minuten.', 'om 3 uur', 'Jan de Vries', 'weet ik niet'])('%s', (text) => {
    expect(when(text)).toBeUndefined();
  });
  test('ordinary words that look like months are no months in a story', () => {
    expect(inStory('I may have called them, I march on', 'en')).toBeUndefined();
    expect(inStory('Jan belde mij maar niemand nam op')).toBeUndefined();
  });
  test('in a story the date is the words that gave it', () => {
    expect(inStory('Op maandag 16 november stond ik aan de balie.')).toEqual({ text: '16 november', from: '2026-11-16', to: '2026-11-16' });
    expect(inStory('Eind oktober kreeg ik een brief')).toEqual({ text: 'Eind oktober', from: '2026-10-21', to: '2026-10-31' });
  });
});

describe('formatPeriod says a date back', () => {
  test.each([
    [{ text: 'x', from: '2026-10-15', to: '2026-10-15' }, 'nl', '15 oktober 2026'],
    [{ text: 'x', from: '2026-10-21', to: '2026-10-31' }, 'nl', 'eind oktober 2026 (21–31 oktober)'],
    [{ text: 'x', from: '2026-10-01', to: '2026-10-10' }, 'en', 'early October 2026 (1–10 October)'],
    [{ text: 'x', from: '2026-10-11', to: '2026-10-20' }, 'en', 'mid-October 2026 (11–20 October)'],
    [{ text: 'x', from: '2026-11-09', to: '2026-11-15' }, 'nl', 'week 46 (9–15 november 2026)'],
    [{ text: 'x', from: '2026-10-26', to: '2026-11-01' }, 'nl', 'week 44 (26 oktober – 1 november 2026)'],
    [{ text: 'x', from: '2025-12-01', to: '2025-12-31' }, 'nl', 'december 2025'],
    [{ text: 'x', from: '2025-01-01', to: '2025-12-31' }, 'en', '2025'],
    [{ text: 'x', from: '2025-12-24', to: '2025-12-26' }, 'en', '24–26 December 2025'],
    [{ text: 'een paar maanden geleden' }, 'nl', 'een paar maanden geleden'],
  ] as [{ text: string; from?: string; to?: string }, Locale, string][])('%j -> %s', (date, locale, said) => {
    expect(formatPeriod(date, locale)).toBe(said);
  });
});

describe('isMoreThanAYearAgo uses the end of the period', () => {
  test('anderhalf jaar geleden gets the warning', () => {
    expect(isMoreThanAYearAgo(when('anderhalf jaar geleden'), NOW)).toBe(true);
  });
  test('a period that ends within the year does not, even when it starts before', () => {
    expect(isMoreThanAYearAgo({ text: 'x', from: '2025-11-01', to: '2025-11-30' }, NOW)).toBe(false);
    expect(isMoreThanAYearAgo({ text: 'x', from: '2025-10-21', to: '2025-10-31' }, NOW)).toBe(true);
  });
  test('exactly one year ago is not more; strings still work; no date is never', () => {
    expect(isMoreThanAYearAgo('2025-11-24', NOW)).toBe(false);
    expect(isMoreThanAYearAgo('2025-11-23', NOW)).toBe(true);
    expect(isMoreThanAYearAgo({ text: 'lang geleden' }, NOW)).toBe(false);
    expect(isMoreThanAYearAgo(undefined, NOW)).toBe(false);
  });
});

test('ISO weeks', () => {
  expect(isoWeekOf('2026-11-24')).toEqual({ year: 2026, week: 48 });
  expect(isoWeekOf('2027-01-01')).toEqual({ year: 2026, week: 53 });
});
