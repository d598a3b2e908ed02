/**
 * Finland's calendar of days off, as the Act on the Reckoning of Time Limits (150/1930) uses it.
 *
 * §5 of the Act: when the last day of a period falls on a public holiday (pyhäpäivä),
 * Independence Day, May Day, Christmas Eve, Midsummer Eve or a Saturday, the period ends on the
 * next working day. Sundays are public holidays. The public holidays are those of the Church Act
 * (1054/1993, ch. 4 §2, kept in the Church Act 652/2023) and the Act on Midsummer Day and All
 * Saints' Day (582/1954 as amended): the fixed ones, the movable feasts counted from Easter, and
 * the two that fall on the Saturday of a week.
 *
 * Pure: dates in, dates out ('YYYY-MM-DD'); no time zone is involved because a date has no hours.
 */
import { addCalendarDays, isCalendarDate } from './legal-time';

export type HolidayName =
  | "New Year's Day"
  | 'Epiphany'
  | 'Good Friday'
  | 'Easter Sunday'
  | 'Easter Monday'
  | 'May Day'
  | 'Ascension Day'
  | 'Whit Sunday'
  | 'Midsummer Eve'
  | 'Midsummer Day'
  | "All Saints' Day"
  | 'Independence Day'
  | 'Christmas Eve'
  | 'Christmas Day'
  | "St Stephen's Day";

/**
 * `public-holiday`: a pyhäpäivä (church or statutory holiday).
 * `treated-alike`: not a public holiday, but §5 of 150/1930 moves a period's end off it all the same.
 */
export type HolidayStatus = 'public-holiday' | 'treated-alike';

export interface Holiday {
  readonly date: string;
  readonly name: HolidayName;
  readonly status: HolidayStatus;
}

/** Why a date is not a working day, or `undefined` when it is one. */
export type DayOff =
  | { readonly kind: 'holiday'; readonly holiday: Holiday }
  | { readonly kind: 'saturday' }
  | { readonly kind: 'sunday' };

const pad2 = (n: number): string => String(n).padStart(2, '0');
const dateOf = (year: number, month: number, day: number): string => `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;

function requireYear(year: number): void {
  // The Gregorian computus and the current holiday acts; earlier years had other holidays.
  if (!Number.isSafeInteger(year) || year < 1955 || year > 9999) throw new RangeError(`year out of range (1955..9999): ${year}`);
}

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher"). */
export function easterSunday(year: number): string {
  requireYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dateOf(year, month, day);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(date)}`);
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The Saturday in [first, first + 6] of a month (Midsummer Day, All Saints' Day). */
function saturdayFrom(year: number, month: number, firstDay: number): string {
  const first = dateOf(year, month, firstDay);
  return addCalendarDays(first, (6 - weekday(first) + 7) % 7);
}

/** Every holiday and every day treated alike by 150/1930 §5 in one year, in date order. */
export function finnishHolidays(year: number): readonly Holiday[] {
  requireYear(year);
  const easter = easterSunday(year);
  const midsummerDay = saturdayFrom(year, 6, 20); // Saturday 20–26 June
  const allSaints = saturdayFrom(year, 10, 31); // Saturday 31 October – 6 November
  const holidays: Holiday[] = [
    { date: dateOf(year, 1, 1), name: "New Year's Day", status: 'public-holiday' },
    { date: dateOf(year, 1, 6), name: 'Epiphany', status: 'public-holiday' },
    { date: addCalendarDays(easter, -2), name: 'Good Friday', status: 'public-holiday' },
    { date: easter, name: 'Easter Sunday', status: 'public-holiday' },
    { date: addCalendarDays(easter, 1), name: 'Easter Monday', status: 'public-holiday' },
    { date: dateOf(year, 5, 1), name: 'May Day', status: 'treated-alike' },
    { date: addCalendarDays(easter, 39), name: 'Ascension Day', status: 'public-holiday' },
    { date: addCalendarDays(easter, 49), name: 'Whit Sunday', status: 'public-holiday' },
    { date: addCalendarDays(midsummerDay, -1), name: 'Midsummer Eve', status: 'treated-alike' },
    { date: midsummerDay, name: 'Midsummer Day', status: 'public-holiday' },
    { date: allSaints, name: "All Saints' Day", status: 'public-holiday' },
    { date: dateOf(year, 12, 6), name: 'Independence Day', status: 'treated-alike' },
    { date: dateOf(year, 12, 24), name: 'Christmas Eve', status: 'treated-alike' },
    { date: dateOf(year, 12, 25), name: 'Christmas Day', status: 'public-holiday' },
    { date: dateOf(year, 12, 26), name: "St Stephen's Day", status: 'public-holiday' },
  ];
  return holidays.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

const holidaysByYear = new Map<number, ReadonlyMap<string, Holiday>>();

function holidayOn(date: string): Holiday | undefined {
  const year = Number(date.slice(0, 4));
  let byDate = holidaysByYear.get(year);
  if (byDate === undefined) {
    byDate = new Map(finnishHolidays(year).map((holiday) => [holiday.date, holiday]));
    holidaysByYear.set(year, byDate);
  }
  return byDate.get(date);
}

/** Why `date` is not a working day under 150/1930 §5, or `undefined` when it is one. A named holiday wins over its weekday. */
export function dayOff(date: string): DayOff | undefined {
  const day = weekday(date);
  const holiday = holidayOn(date);
  if (holiday !== undefined) return { kind: 'holiday', holiday };
  if (day === 6) return { kind: 'saturday' };
  if (day === 0) return { kind: 'sunday' };
  return undefined;
}

export function isWorkingDay(date: string): boolean {
  return dayOff(date) === undefined;
}

/** The date itself when it is a working day, otherwise the next working day (150/1930 §5). */
export function nextWorkingDayFrom(date: string): string {
  let day = date;
  // At most a handful of steps: the longest run of days off is Christmas Eve to St Stephen's Day plus a weekend.
  while (!isWorkingDay(day)) day = addCalendarDays(day, 1);
  return day;
}

/** The longest appeal period an agency may give, in days. */
export const MAX_APPEAL_PERIOD_DAYS = 365;

export function isAppealPeriodDays(days: unknown): days is number {
  return typeof days === 'number' && Number.isSafeInteger(days) && days >= 1 && days <= MAX_APPEAL_PERIOD_DAYS;
}

/**
 * The last day of a period of `days` days that starts from service on `servedOn` (a Helsinki
 * date), by 150/1930: the day of service is not counted (§2), and a last day that is not a
 * working day moves to the next one (§5). Served on Monday 1 June 2026 with 30 days: the count
 * ends on Wednesday 1 July, a working day.
 */
export function appealEndsOn(servedOn: string, days: number): string {
  if (!isAppealPeriodDays(days)) throw new RangeError(`an appeal period is 1..${MAX_APPEAL_PERIOD_DAYS} days, got ${days}`);
  return nextWorkingDayFrom(addCalendarDays(servedOn, days));
}
