/**
 * The holiday calendar against Finland's published lists (the University of Helsinki almanac
 * office's calendar of flag and holidays, as printed in the almanac for each year). The tables are
 * written out by hand, not produced by the code under test.
 */
import fc from 'fast-check';
import {
  appealEndsOn,
  dayOff,
  easterSunday,
  finnishHolidays,
  isAppealPeriodDays,
  isWorkingDay,
  nextWorkingDayFrom,
  weekday,
  type HolidayName,
} from './holidays';
import { addCalendarDays } from './legal-time';

type Table = readonly (readonly [string, HolidayName])[];

const OFFICIAL: { readonly [year: number]: Table } = {
  2024: [
    ['2024-01-01', "New Year's Day"],
    ['2024-01-06', 'Epiphany'],
    ['2024-03-29', 'Good Friday'],
    ['2024-03-31', 'Easter Sunday'],
    ['2024-04-01', 'Easter Monday'],
    ['2024-05-01', 'May Day'],
    ['2024-05-09', 'Ascension Day'],
    ['2024-05-19', 'Whit Sunday'],
    ['2024-06-21', 'Midsummer Eve'],
    ['2024-06-22', 'Midsummer Day'],
    ['2024-11-02', "All Saints' Day"],
    ['2024-12-06', 'Independence Day'],
    ['2024-12-24', 'Christmas Eve'],
    ['2024-12-25', 'Christmas Day'],
    ['2024-12-26', "St Stephen's Day"],
  ],
  2025: [
    ['2025-01-01', "New Year's Day"],
    ['2025-01-06', 'Epiphany'],
    ['2025-04-18', 'Good Friday'],
    ['2025-04-20', 'Easter Sunday'],
    ['2025-04-21', 'Easter Monday'],
    ['2025-05-01', 'May Day'],
    ['2025-05-29', 'Ascension Day'],
    ['2025-06-08', 'Whit Sunday'],
    ['2025-06-20', 'Midsummer Eve'],
    ['2025-06-21', 'Midsummer Day'],
    ['2025-11-01', "All Saints' Day"],
    ['2025-12-06', 'Independence Day'],
    ['2025-12-24', 'Christmas Eve'],
    ['2025-12-25', 'Christmas Day'],
    ['2025-12-26', "St Stephen's Day"],
  ],
  2026: [
    ['2026-01-01', "New Year's Day"],
    ['2026-01-06', 'Epiphany'],
    ['2026-04-03', 'Good Friday'],
    ['2026-04-05', 'Easter Sunday'],
    ['2026-04-06', 'Easter Monday'],
    ['2026-05-01', 'May Day'],
    ['2026-05-14', 'Ascension Day'],
    ['2026-05-24', 'Whit Sunday'],
    ['2026-06-19', 'Midsummer Eve'],
    ['2026-06-20', 'Midsummer Day'],
    ['2026-10-31', "All Saints' Day"],
    ['2026-12-06', 'Independence Day'],
    ['2026-12-24', 'Christmas Eve'],
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-26', "St Stephen's Day"],
  ],
  2027: [
    ['2027-01-01', "New Year's Day"],
    ['2027-01-06', 'Epiphany'],
    ['2027-03-26', 'Good Friday'],
    ['2027-03-28', 'Easter Sunday'],
    ['2027-03-29', 'Easter Monday'],
    ['2027-05-01', 'May Day'],
    ['2027-05-06', 'Ascension Day'],
    ['2027-05-16', 'Whit Sunday'],
    ['2027-06-25', 'Midsummer Eve'],
    ['2027-06-26', 'Midsummer Day'],
    ['2027-11-06', "All Saints' Day"],
    ['2027-12-06', 'Independence Day'],
    ['2027-12-24', 'Christmas Eve'],
    ['2027-12-25', 'Christmas Day'],
    ['2027-12-26', "St Stephen's Day"],
  ],
  2028: [
    ['2028-01-01', "New Year's Day"],
    ['2028-01-06', 'Epiphany'],
    ['2028-04-14', 'Good Friday'],
    ['2028-04-16', 'Easter Sunday'],
    ['2028-04-17', 'Easter Monday'],
    ['2028-05-01', 'May Day'],
    ['2028-05-25', 'Ascension Day'],
    ['2028-06-04', 'Whit Sunday'],
    ['2028-06-23', 'Midsummer Eve'],
    ['2028-06-24', 'Midsummer Day'],
    ['2028-11-04', "All Saints' Day"],
    ['2028-12-06', 'Independence Day'],
    ['2028-12-24', 'Christmas Eve'],
    ['2028-12-25', 'Christmas Day'],
    ['2028-12-26', "St Stephen's Day"],
  ],
};

/** Easter Sunday as published (Western, Gregorian) for 2000–2035, and the extreme dates. */
const EASTER: readonly (readonly [number, string])[] = [
  [2000, '2000-04-23'], [2001, '2001-04-15'], [2002, '2002-03-31'], [2003, '2003-04-20'], [2004, '2004-04-11'],
  [2005, '2005-03-27'], [2006, '2006-04-16'], [2007, '2007-04-08'], [2008, '2008-03-23'], [2009, '2009-04-12'],
  [2010, '2010-04-04'], [2011, '2011-04-24'], [2012, '2012-04-08'], [2013, '2013-03-31'], [2014, '2014-04-20'],
  [2015, '2015-04-05'], [2016, '2016-03-27'], [2017, '2017-04-16'], [2018, '2018-04-01'], [2019, '2019-04-21'],
  [2020, '2020-04-12'], [2021, '2021-04-04'], [2022, '2022-04-17'], [2023, '2023-04-09'], [2024, '2024-03-31'],
  [2025, '2025-04-20'], [2026, '2026-04-05'], [2027, '2027-03-28'], [2028, '2028-04-16'], [2029, '2029-04-01'],
  [2030, '2030-04-21'], [2031, '2031-04-13'], [2032, '2032-03-28'], [2033, '2033-04-17'], [2034, '2034-04-09'],
  [2035, '2035-03-25'],
  [2038, '2038-04-25'], // the latest possible date
  [2285, '2285-03-22'], // the earliest possible date
];

describe('the holiday calendar (Church Act, Act 582/1954, and the days Act 150/1930 §5 treats alike)', () => {
  it.each(Object.entries(OFFICIAL))('lists exactly the official days off of %s', (year, table) => {
    expect(finnishHolidays(Number(year)).map((holiday) => [holiday.date, holiday.name])).toEqual(table);
  });

  it.each(EASTER)('puts Easter Sunday %s on %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('puts Midsummer Day on the Saturday of 20–26 June and All Saints on the Saturday of 31 October – 6 November, every year', () => {
    for (let year = 1955; year <= 2200; year += 1) {
      const holidays = finnishHolidays(year);
      const midsummer = holidays.find((holiday) => holiday.name === 'Midsummer Day')!.date;
      const allSaints = holidays.find((holiday) => holiday.name === "All Saints' Day")!.date;
      const eve = holidays.find((holiday) => holiday.name === 'Midsummer Eve')!.date;
      expect([weekday(midsummer), midsummer >= `${year}-06-20` && midsummer <= `${year}-06-26`]).toEqual([6, true]);
      expect([weekday(allSaints), allSaints >= `${year}-10-31` && allSaints <= `${year}-11-06`]).toEqual([6, true]);
      expect(eve).toBe(addCalendarDays(midsummer, -1));
    }
  });

  it('counts Easter-based days from Easter: Good Friday −2, Easter Monday +1, Ascension +39 (a Thursday), Whit Sunday +49', () => {
    for (let year = 1955; year <= 2200; year += 1) {
      const easter = easterSunday(year);
      const on = (name: HolidayName): string => finnishHolidays(year).find((holiday) => holiday.name === name)!.date;
      expect(weekday(easter)).toBe(0);
      expect([on('Good Friday'), on('Easter Monday'), on('Ascension Day'), on('Whit Sunday')]).toEqual([
        addCalendarDays(easter, -2),
        addCalendarDays(easter, 1),
        addCalendarDays(easter, 39),
        addCalendarDays(easter, 49),
      ]);
      expect(weekday(on('Ascension Day'))).toBe(4);
    }
  });

  it('tells a public holiday from a day the Act only treats alike', () => {
    expect(dayOff('2026-12-25')).toEqual({ kind: 'holiday', holiday: { date: '2026-12-25', name: 'Christmas Day', status: 'public-holiday' } });
    expect(dayOff('2026-12-24')).toEqual({ kind: 'holiday', holiday: { date: '2026-12-24', name: 'Christmas Eve', status: 'treated-alike' } });
    expect(dayOff('2026-06-19')).toMatchObject({ holiday: { name: 'Midsummer Eve', status: 'treated-alike' } });
    expect(dayOff('2026-05-01')).toMatchObject({ holiday: { name: 'May Day', status: 'treated-alike' } });
    expect(dayOff('2026-12-06')).toMatchObject({ holiday: { name: 'Independence Day', status: 'treated-alike' } });
  });

  it('treats every Saturday and Sunday as a day off and an ordinary weekday as a working day', () => {
    expect(dayOff('2026-11-07')).toEqual({ kind: 'saturday' });
    expect(dayOff('2026-11-08')).toEqual({ kind: 'sunday' });
    expect(dayOff('2026-11-09')).toBeUndefined();
    expect(isWorkingDay('2026-11-09')).toBe(true);
  });

  it('refuses a year before the current holiday acts and a malformed date', () => {
    expect(() => finnishHolidays(1954)).toThrow(RangeError);
    expect(() => easterSunday(1.5)).toThrow(RangeError);
    expect(() => dayOff('2026-02-30')).toThrow(RangeError);
  });
});

/** [served on, days, last day, why] — the worked examples of docs/legal-time.md. */
const APPEAL_EXAMPLES: readonly (readonly [string, number, string, string])[] = [
  ['2026-06-01', 30, '2026-07-01', 'the 30th day is a Wednesday: no move'],
  ['2026-11-06', 30, '2026-12-07', 'Independence Day (a Sunday) → Monday'],
  ['2026-11-24', 30, '2026-12-28', 'Christmas Eve, Christmas Day, St Stephen’s Day, Sunday → Monday'],
  ['2026-03-04', 30, '2026-04-07', 'Good Friday, Saturday, Easter Sunday, Easter Monday → Tuesday'],
  ['2026-05-20', 30, '2026-06-22', 'Midsummer Eve, Midsummer Day, Sunday → Monday'],
  ['2026-04-01', 30, '2026-05-04', 'May Day (a Friday), the weekend → Monday'],
  ['2026-04-14', 30, '2026-05-15', 'Ascension Day (a Thursday) → Friday'],
  ['2026-10-01', 30, '2026-11-02', 'All Saints’ Day (a Saturday), Sunday → Monday'],
  ['2026-12-02', 30, '2027-01-04', 'New Year’s Day (a Friday), the weekend → Monday of the next year'],
  ['2026-12-07', 30, '2027-01-07', 'Epiphany (a Wednesday) → Thursday'],
  ['2027-12-01', 30, '2027-12-31', 'New Year’s Eve is a working day'],
  ['2028-01-30', 30, '2028-02-29', 'leap day, a Tuesday'],
  ['2026-11-09', 14, '2026-11-23', 'two weeks: Monday to Monday'],
  ['2026-11-13', 1, '2026-11-16', 'one day from a Friday: Saturday → Monday'],
  ['2026-01-01', 365, '2027-01-04', 'a year: 1 January 2027 is New Year’s Day (a Friday) → Monday'],
];

describe('appealEndsOn (Act 150/1930 §2 and §5)', () => {
  it.each(APPEAL_EXAMPLES)('served on %s with %i days ends on %s (%s)', (servedOn, days, lastDay) => {
    expect(appealEndsOn(servedOn, days)).toBe(lastDay);
  });

  it('never ends before the counted day, never on a day off, and never skips a working day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 40 }), fc.integer({ min: 1, max: 365 }), (offset, days) => {
        const servedOn = addCalendarDays('2000-01-01', offset);
        const counted = addCalendarDays(servedOn, days);
        const last = appealEndsOn(servedOn, days);
        expect(last >= counted).toBe(true);
        expect(isWorkingDay(last)).toBe(true);
        for (let day = counted; day < last; day = addCalendarDays(day, 1)) expect(isWorkingDay(day)).toBe(false);
      }),
    );
  });

  it('accepts 1..365 whole days only', () => {
    for (const bad of [0, -1, 366, 1.5, Number.NaN]) {
      expect(isAppealPeriodDays(bad)).toBe(false);
      expect(() => appealEndsOn('2026-06-01', bad)).toThrow(RangeError);
    }
    expect(isAppealPeriodDays('30')).toBe(false);
    expect([isAppealPeriodDays(1), isAppealPeriodDays(365)]).toEqual([true, true]);
  });

  it('leaves a working day where it is', () => {
    expect(nextWorkingDayFrom('2026-07-01')).toBe('2026-07-01');
  });
});
