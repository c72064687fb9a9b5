import { findDateInStory, formatDate, isMoreThanAYearAgo, parseIncidentDate } from '../../src/domain/dates';
import type { Locale } from '../../src/domain/routes';

/** Tuesday 24 November 2026, 10:00 in Amsterdam (CET = UTC+1). */
const NOW = new Date('2026-11-24T09:00:00Z');
const nl = { locale: 'nl' as Locale, now: NOW };
const en = { locale: 'en' as Locale, now: NOW };

describe('parseIncidentDate: Dutch', () => {
  test.each([
    ['gisteren', '2026-11-23'],
    ['Gisteren om 3 uur', '2026-11-23'],
    ['gisteravond', '2026-11-23'],
    ['eergisteren', '2026-11-22'],
    ['eergisteren rond het middaguur', '2026-11-22'],
    ['vandaag', '2026-11-24'],
    ['vanochtend', '2026-11-24'],
    ['vorige week dinsdag', '2026-11-17'],
    ['vorige week maandag', '2026-11-16'],
    ['maandag vorige week', '2026-11-16'],
    ['afgelopen maandag', '2026-11-23'],
    ['afgelopen dinsdag', '2026-11-17'],
    ['afgelopen vrijdag', '2026-11-20'],
    ['vrijdag', '2026-11-20'],
    ['op zondag', '2026-11-22'],
    ['14 november', '2026-11-14'],
    ['op 14 november om 10:00', '2026-11-14'],
    ['twee weken geleden', '2026-11-10'],
    ['3 dagen geleden', '2026-11-21'],
    ['drie weken terug', '2026-11-03'],
    ['12-03-2025', '2025-03-12'],
    ['12/3/2025', '2025-03-12'],
    ['2 maart 2024', '2024-03-02'],
    ['30 december', '2025-12-30'],
    ['in maart', '2026-03-01'],
    ['vorige maand', '2026-10-24'],
    ['afgelopen weekend', '2026-11-21'],
    ['zaterdag jl.', '2026-11-21'],
    ['16-11', '2026-11-16'],
    ['30-12', '2025-12-30'],
  ])('%s -> %s', (text, date) => {
    expect(parseIncidentDate(text, nl)).toEqual({ kind: 'date', date, text });
  });

  test('uncertainty with a date is a date, and keeps the words', () => {
    expect(parseIncidentDate('ongeveer 14 november', nl)).toEqual({
      kind: 'date',
      date: '2026-11-14',
      text: 'ongeveer 14 november',
    });
    expect(parseIncidentDate('rond 3 maart', nl)).toEqual({ kind: 'date', date: '2026-03-03', text: 'rond 3 maart' });
  });

  test.each([
    'weet ik niet precies',
    'Geen idee',
    'ergens vorig jaar',
    'vorig jaar',
    'in 2025',
    'een tijdje geleden',
    'anderhalf jaar geleden',
    'in de zomer',
    'met kerst',
    'deze week',
  ])(
    '%s -> unknown',
    (text) => {
      expect(parseIncidentDate(text, nl)).toEqual({ kind: 'unknown', text });
    },
  );

  test.each([
    ['morgen', '2026-11-25'],
    ['volgende week', '2026-12-01'],
    ['volgende week dinsdag', '2026-12-01'],
    ['3 januari 2027', '2027-01-03'],
  ])('%s -> future %s', (text, date) => {
    expect(parseIncidentDate(text, nl)).toEqual({ kind: 'future', date, text });
  });

  test.each(['asdf', 'blauw', '', 'om 3 uur', 'ik was zo boos', 'zat', '3-4 keer'])('%j -> invalid', (text) => {
    expect(parseIncidentDate(text, nl)).toEqual({ kind: 'invalid', text });
  });

  test('trims the answer', () => {
    expect(parseIncidentDate('  gisteren \n', nl)).toEqual({ kind: 'date', date: '2026-11-23', text: 'gisteren' });
  });
});

describe('parseIncidentDate: English', () => {
  test.each([
    ['yesterday', '2026-11-23'],
    ['the day before yesterday', '2026-11-22'],
    ['last Monday', '2026-11-23'],
    ['last Tuesday', '2026-11-17'],
    ['Monday last week', '2026-11-16'],
    ['on Friday', '2026-11-20'],
    ['two weeks ago', '2026-11-10'],
    ['on 3 October', '2026-10-03'],
    ['this morning', '2026-11-24'],
    ['12/3/2025', '2025-03-12'],
    ['12-03-2025', '2025-03-12'],
    ['30 December', '2025-12-30'],
    ['around 14 November', '2026-11-14'],
    ['last weekend', '2026-11-21'],
  ])('%s -> %s', (text, date) => {
    expect(parseIncidentDate(text, en)).toEqual({ kind: 'date', date, text });
  });

  test.each([
    ['tomorrow', '2026-11-25'],
    ['next week', '2026-12-01'],
  ])('%s -> future %s', (text, date) => {
    expect(parseIncidentDate(text, en)).toEqual({ kind: 'future', date, text });
  });

  test.each(["I don't know", 'not sure', 'no idea, a while ago'])('%s -> unknown', (text) => {
    expect(parseIncidentDate(text, en)).toEqual({ kind: 'unknown', text });
  });

  test.each(['asdf', 'blue', 'I sat there'])('%s -> invalid', (text) => {
    expect(parseIncidentDate(text, en)).toEqual({ kind: 'invalid', text });
  });
});

describe('parseIncidentDate: locale fallback and time zone', () => {
  test('an English answer in a Dutch conversation and vice versa', () => {
    expect(parseIncidentDate('yesterday', nl)).toMatchObject({ kind: 'date', date: '2026-11-23' });
    expect(parseIncidentDate('eergisteren', en)).toMatchObject({ kind: 'date', date: '2026-11-22' });
    expect(parseIncidentDate('morgen', en)).toMatchObject({ kind: 'future', date: '2026-11-25' });
  });

  test('the most precise reading wins over the conversation locale', () => {
    // chrono.nl only sees "November" here; chrono.en sees the day.
    expect(parseIncidentDate('on the 14th of November', nl)).toMatchObject({ kind: 'date', date: '2026-11-14' });
  });

  test('days are Amsterdam days, not UTC days', () => {
    // 23:30 UTC on 23 November is already 00:30 on 24 November in Amsterdam.
    const justAfterMidnight = { locale: 'nl' as Locale, now: new Date('2026-11-23T23:30:00Z') };
    expect(parseIncidentDate('vandaag', justAfterMidnight)).toMatchObject({ date: '2026-11-24' });
    expect(parseIncidentDate('gisteren', justAfterMidnight)).toMatchObject({ date: '2026-11-23' });
    // Summer time: 22:30 UTC on 30 June is 00:30 on 1 July (CEST = UTC+2).
    const summer = { locale: 'nl' as Locale, now: new Date('2026-06-30T22:30:00Z') };
    expect(parseIncidentDate('gisteren', summer)).toMatchObject({ date: '2026-06-30' });
    expect(parseIncidentDate('1 juli', summer)).toMatchObject({ kind: 'date', date: '2026-07-01' });
  });

  test('a yearless date later than today is last year, also early in the year', () => {
    const january = { locale: 'nl' as Locale, now: new Date('2027-01-05T09:00:00Z') };
    expect(parseIncidentDate('20 december', january)).toMatchObject({ kind: 'date', date: '2026-12-20' });
    expect(parseIncidentDate('6 januari', january)).toMatchObject({ kind: 'date', date: '2026-01-06' });
    expect(parseIncidentDate('6 januari 2027', january)).toMatchObject({ kind: 'future', date: '2027-01-06' });
  });
});

describe('findDateInStory', () => {
  test('finds the first past date and the words that gave it', () => {
    expect(
      findDateInStory('Ik heb eergisteren gebeld en moest drie kwartier wachten. Morgen bel ik weer.', nl),
    ).toEqual({ date: '2026-11-22', text: 'eergisteren' });
    expect(findDateInStory('Op maandag 16 november stond ik aan de balie.', nl)).toEqual({
      date: '2026-11-16',
      text: 'maandag 16 november',
    });
    expect(findDateInStory('Vorige week dinsdag was de medewerker erg onbeleefd.', nl)).toEqual({
      date: '2026-11-17',
      text: 'Vorige week dinsdag',
    });
    expect(findDateInStory('Two weeks ago I called the town hall and was cut off.', en)).toEqual({
      date: '2026-11-10',
      text: 'Two weeks ago',
    });
  });

  test('skips future dates and vague months', () => {
    expect(findDateInStory('Ik moet morgen terugkomen, dat zeiden ze gisteren.', nl)).toEqual({
      date: '2026-11-23',
      text: 'gisteren',
    });
    expect(findDateInStory('Sinds maart wacht ik op antwoord.', nl)).toBeNull();
  });

  test('ordinary words that look like weekday abbreviations are no dates', () => {
    expect(findDateInStory('Ik was zo boos, ik zat vrij lang te wachten en mijn ma ook.', nl)).toBeNull();
    expect(findDateInStory('I sat on a chair and nobody came.', en)).toBeNull();
  });

  test('a story without a date gives null', () => {
    expect(findDateInStory('De medewerker was onbeleefd en heeft mij niet geholpen.', nl)).toBeNull();
    expect(findDateInStory('Ik moest om 14:00 komen maar werd pas om 15 uur geholpen.', nl)).toBeNull();
    expect(findDateInStory('', en)).toBeNull();
    expect(findDateInStory('Ik heb 3-4 keer gebeld, het duurde 10-12 minuten.', nl)).toBeNull();
    expect(findDateInStory('I sat there for an hour and nobody came.', en)).toBeNull();
  });
});

describe('isMoreThanAYearAgo (Awb 9:8)', () => {
  test.each([
    ['2025-11-23', true],
    ['2025-11-24', false], // exactly one year ago
    ['2025-11-25', false],
    ['2026-11-24', false],
    ['2020-01-01', true],
  ])('%s on 24 Nov 2026 -> %s', (date, expected) => {
    expect(isMoreThanAYearAgo(date, NOW)).toBe(expected);
  });

  test('uses the Amsterdam date of now', () => {
    // 23:30 UTC on 24 November is 00:30 on 25 November in Amsterdam.
    expect(isMoreThanAYearAgo('2025-11-24', new Date('2026-11-24T23:30:00Z'))).toBe(true);
    expect(isMoreThanAYearAgo('2025-11-24', new Date('2026-11-24T22:30:00Z'))).toBe(false);
  });

  test('29 February', () => {
    expect(isMoreThanAYearAgo('2027-02-28', new Date('2028-02-29T12:00:00Z'))).toBe(false);
    expect(isMoreThanAYearAgo('2027-02-27', new Date('2028-02-29T12:00:00Z'))).toBe(true);
  });
});

describe('formatDate', () => {
  test('Dutch and English, with weekday', () => {
    expect(formatDate('2026-11-17', 'nl')).toBe('dinsdag 17 november 2026');
    expect(formatDate('2026-11-17', 'en')).toBe('Tuesday 17 November 2026');
    expect(formatDate('2027-03-01', 'nl')).toBe('maandag 1 maart 2027');
  });
});
