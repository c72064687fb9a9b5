import {
  addWeeks,
  addWorkingDays,
  complaintDeadlines,
  DECREED_DAYS,
  DECREED_YEARS,
  isPublicHoliday,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
  nextWorkingDays,
  toAmsterdamDate,
} from '../../src/domain/workingDays';

/** Every day of a year that isPublicHoliday accepts. */
function holidaysIn(year: number): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    if (isPublicHoliday(date)) out.push(date);
  }
  return out;
}

describe('isPublicHoliday (Algemene termijnenwet art. 3)', () => {
  test('exactly the Termijnenwet holidays of 2026: lid 1, Goede Vrijdag (lid 2) and the decreed days (lid 3)', () => {
    expect(holidaysIn(2026)).toEqual([
      '2026-01-01', // Nieuwjaarsdag
      '2026-01-02', // Friday after Nieuwjaarsdag, by decree
      '2026-04-03', // Goede Vrijdag (art. 3 lid 2)
      '2026-04-06', // Tweede Paasdag
      '2026-04-27', // Koningsdag (Monday)
      '2026-05-05', // Bevrijdingsdag (Tuesday)
      '2026-05-14', // Hemelvaartsdag
      '2026-05-15', // Friday after Hemelvaartsdag, by decree
      '2026-05-25', // Tweede Pinksterdag
      '2026-12-25', // Eerste Kerstdag (Friday)
      '2026-12-26', // Tweede Kerstdag (Saturday)
    ]);
  });

  test('Koningsdag moves to Saturday 26 April when the 27th is a Sunday (2025)', () => {
    expect(isPublicHoliday('2025-04-26')).toBe(true);
    expect(isPublicHoliday('2025-04-27')).toBe(false);
  });

  test('Easter Monday 2027 and 5 May every year', () => {
    expect(isPublicHoliday('2027-03-29')).toBe(true);
    expect(isPublicHoliday('2027-05-05')).toBe(true);
    expect(isPublicHoliday('2025-05-05')).toBe(true);
  });

  test('Koninginnedag before 2014, and a year where Hemelvaartsdag falls on 5 May', () => {
    expect(isPublicHoliday('2013-04-30')).toBe(true);
    expect(holidaysIn(2016)).toEqual([
      '2016-01-01',
      '2016-03-25', // Goede Vrijdag (no decree in the data file for 2016)
      '2016-03-28',
      '2016-04-27',
      '2016-05-05', // Hemelvaartsdag and Bevrijdingsdag
      '2016-05-16',
      '2016-12-25',
      '2016-12-26',
    ]);
  });

  test('days the law does not list are no holidays', () => {
    expect(isPublicHoliday('2026-04-05')).toBe(false); // Eerste Paasdag (a Sunday anyway)
    expect(isPublicHoliday('2026-05-24')).toBe(false); // Eerste Pinksterdag (a Sunday anyway)
    expect(isPublicHoliday('2026-05-04')).toBe(false); // Dodenherdenking
    expect(isPublicHoliday('2026-12-31')).toBe(false); // Oudejaarsdag
    expect(isPublicHoliday('2026-12-05')).toBe(false); // Sinterklaas
  });

  test('rejects malformed dates', () => {
    expect(() => isPublicHoliday('2026-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay('24-11-2026')).toThrow(RangeError);
  });
});

describe('the data file of decreed days (Atw art. 3 lid 3)', () => {
  test('every decreed day of the three-yearly decrees counts, and only in the years listed', () => {
    for (const d of ['2023-04-28', '2023-05-19', '2024-05-10', '2024-12-27', '2025-05-30', '2026-01-02', '2026-05-15', '2027-05-07', '2028-04-28', '2028-05-26']) {
      expect([d, isPublicHoliday(d)]).toEqual([d, true]);
      expect(DECREED_DAYS.has(d)).toBe(true);
    }
    expect([...DECREED_YEARS].sort()).toEqual([2023, 2024, 2025, 2026, 2027, 2028]);
    // a Friday after Hemelvaartsdag in a year without a decree in the file is an ordinary working day
    expect(isPublicHoliday('2022-05-27')).toBe(false);
  });

  test('Goede Vrijdag every year, also without a decree (art. 3 lid 2)', () => {
    expect(isPublicHoliday('2025-04-18')).toBe(true);
    expect(isPublicHoliday('2027-03-26')).toBe(true);
    expect(isPublicHoliday('2030-04-19')).toBe(true);
  });

  test('a term of six weeks ending on Goede Vrijdag or the Friday after Hemelvaart runs to the next working day', () => {
    // received Friday 20 February 2026: six weeks end on Goede Vrijdag 3 April -> Tuesday 7 April (after Tweede Paasdag)
    expect(complaintDeadlines(new Date('2026-02-20T10:00:00Z')).decideBy).toBe('2026-04-07');
    // received Friday 3 April 2026 (Goede Vrijdag): six weeks end on Friday 15 May (decreed) -> Monday 18 May
    expect(complaintDeadlines(new Date('2026-04-03T10:00:00Z')).decideBy).toBe('2026-05-18');
  });
});

describe('isWorkingDay', () => {
  test.each([
    ['2026-11-24', true], // Tuesday
    ['2026-04-03', false], // Goede Vrijdag (art. 3 lid 2)
    ['2026-04-02', true], // Witte Donderdag
    ['2026-05-15', false], // Friday after Hemelvaartsdag 2026, by decree
    ['2026-05-04', true], // Dodenherdenking: no decree for 4 May 2026
    ['2026-11-28', false], // Saturday
    ['2026-11-29', false], // Sunday
    ['2026-04-27', false], // Koningsdag
    ['2026-05-05', false], // Bevrijdingsdag, a Tuesday
    ['2026-05-14', false], // Hemelvaartsdag
    ['2026-05-25', false], // Tweede Pinksterdag
    ['2026-12-25', false], // Eerste Kerstdag
    ['2027-03-29', false], // Tweede Paasdag 2027
  ])('%s -> %s', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });
});

describe('addWorkingDays', () => {
  test('skips weekends and holidays', () => {
    expect(addWorkingDays('2026-11-24', 4)).toBe('2026-11-30'); // Tue -> Mon
    expect(addWorkingDays('2026-04-24', 1)).toBe('2026-04-28'); // Fri -> Tue (Koningsdag on Monday)
    expect(addWorkingDays('2026-05-13', 1)).toBe('2026-05-18'); // over Hemelvaart and the decreed Friday after it
    expect(addWorkingDays('2026-04-02', 1)).toBe('2026-04-07'); // over Goede Vrijdag, the weekend and Tweede Paasdag
  });

  test('a term over Christmas and New Year', () => {
    expect(addWorkingDays('2026-12-23', 4)).toBe('2026-12-30');
    expect(addWorkingDays('2026-12-29', 3)).toBe('2027-01-04');
  });

  test('zero and negative counts', () => {
    expect(addWorkingDays('2026-11-28', 0)).toBe('2026-11-28');
    expect(addWorkingDays('2026-04-28', -1)).toBe('2026-04-24');
    expect(() => addWorkingDays('2026-04-28', 1.5)).toThrow(RangeError);
  });
});

describe('nextWorkingDays', () => {
  test('from a Friday evening: Monday is Koningsdag, so Tuesday to Thursday', () => {
    const fridayEvening = new Date('2026-04-24T17:00:00Z'); // 19:00 CEST
    expect(nextWorkingDays(fridayEvening, 3)).toEqual(['2026-04-28', '2026-04-29', '2026-04-30']);
  });

  test('from an ordinary Friday evening, late enough to be Saturday in UTC+2 but not in UTC', () => {
    expect(nextWorkingDays(new Date('2026-11-20T19:00:00Z'), 2)).toEqual(['2026-11-23', '2026-11-24']);
    // 23:30 UTC on Friday is Saturday 00:30 in Amsterdam: Monday is still next.
    expect(nextWorkingDays(new Date('2026-11-20T23:30:00Z'), 1)).toEqual(['2026-11-23']);
  });

  test('strictly after today, and none when asked for none', () => {
    expect(nextWorkingDays(new Date('2026-11-24T07:00:00Z'), 1)).toEqual(['2026-11-25']);
    expect(nextWorkingDays(new Date('2026-11-24T07:00:00Z'), 0)).toEqual([]);
  });
});

describe('addWeeks and nextWorkingDayOnOrAfter', () => {
  test('addWeeks is plain calendar arithmetic', () => {
    expect(addWeeks('2026-12-25', 1)).toBe('2027-01-01');
    expect(addWeeks('2026-03-24', 6)).toBe('2026-05-05');
    expect(addWeeks('2026-05-05', -6)).toBe('2026-03-24');
  });

  test('a term ending on a weekend or holiday moves to the next working day', () => {
    expect(nextWorkingDayOnOrAfter('2026-11-24')).toBe('2026-11-24');
    expect(nextWorkingDayOnOrAfter('2026-11-28')).toBe('2026-11-30');
    expect(nextWorkingDayOnOrAfter('2026-12-25')).toBe('2026-12-28');
    expect(nextWorkingDayOnOrAfter('2027-01-01')).toBe('2027-01-04');
    expect(nextWorkingDayOnOrAfter('2026-04-25')).toBe('2026-04-28');
  });
});

describe('toAmsterdamDate', () => {
  test.each([
    ['2026-11-24T09:00:00Z', '2026-11-24'],
    ['2026-11-24T22:59:59Z', '2026-11-24'], // 23:59:59 CET
    ['2026-11-24T23:00:00Z', '2026-11-25'], // midnight CET
    ['2026-07-01T21:59:59Z', '2026-07-01'], // 23:59:59 CEST
    ['2026-07-01T22:00:00Z', '2026-07-02'], // midnight CEST
  ])('%s -> %s', (instant, date) => {
    expect(toAmsterdamDate(new Date(instant))).toBe(date);
  });
});

describe('complaintDeadlines', () => {
  test('six weeks ending on Christmas move to the next working day', () => {
    // Friday 13 November 2026 00:30 in Amsterdam (still the 12th in UTC).
    expect(complaintDeadlines(new Date('2026-11-12T23:30:00Z'))).toEqual({
      contactBy: '2026-11-19', // 4 working days
      decideBy: '2026-12-28', // 25 Dec + Saturday + Sunday
      decideByExtended: '2027-01-22', // 25 Dec + 4 weeks, a Friday
    });
  });

  test('six weeks ending on 5 May', () => {
    expect(complaintDeadlines(new Date('2026-03-24T10:00:00Z'))).toEqual({
      contactBy: '2026-03-30',
      decideBy: '2026-05-06',
      decideByExtended: '2026-06-02',
    });
  });

  test('received on a Saturday; the extension ends on a Saturday too', () => {
    expect(complaintDeadlines(new Date('2026-03-21T10:00:00Z'))).toEqual({
      contactBy: '2026-03-26',
      decideBy: '2026-05-04', // Sat 2 May -> Monday (Dodenherdenking is a working day)
      decideByExtended: '2026-06-01', // Sat 30 May -> Monday
    });
  });
});
