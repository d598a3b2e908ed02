/**
 * Legal time: the calendar of Finland (Europe/Helsinki) and the periods of the Act on Electronic
 * Services (13/2003) measured on it.
 *
 * Only `Intl.DateTimeFormat` knows the time zone rules (it is part of ECMAScript, so the domain
 * stays free of libraries and of the host's own zone). Calendar dates are 'YYYY-MM-DD' strings;
 * instants are ISO 8601 strings and come out as UTC (`toISOString`). Malformed input is a
 * programming error, not a business rule, so it throws a RangeError.
 */

const HELSINKI = 'Europe/Helsinki';

export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

/** §19: an ordinary delivery is deemed served on the third calendar day after sending. */
export const DEEMED_SERVICE_DAYS = 3;

/**
 * §18: a registered delivery not acknowledged within 7 days of becoming available falls back to
 * paper. Counted as Act 150/1930 counts days: the day it became available is not counted, and the
 * period runs to the end of the 7th Helsinki calendar day after it (not 7 × 24 h, which across a
 * daylight-saving change ends an hour off the Helsinki clock). The end does not move for weekends
 * or holidays: it is a period for the recipient's act in the account, not for an authority's.
 */
export const REGISTERED_ACKNOWLEDGEMENT_DAYS = 7;

/**
 * Reminders are measured as elapsed time from availability: 3 × 24 h for registered (well before
 * the acknowledgement period ends), 7 × 24 h for ordinary. They are courtesies, not legal dates.
 */
export const REGISTERED_REMINDER_AFTER_MS = 3 * MS_PER_DAY;
export const ORDINARY_REMINDER_AFTER_MS = 7 * MS_PER_DAY;

/** A reply-by date's reminder goes out when the Helsinki day this many days before it begins. */
export const REPLY_REMINDER_DAYS_BEFORE = 2;

/** Digital by default (HE 124/2025): a person may opt back to paper for six months at a time. */
export const PAPER_OPT_OUT_MONTHS = 6;

// ---------------------------------------------------------------- parsing

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds since the epoch of an ISO 8601 instant that names its offset (`Z` or `±hh:mm`). */
export function instantMs(iso: string): number {
  const ms = ISO_INSTANT.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 instant with an offset: ${JSON.stringify(iso)}`);
  return ms;
}

export function isIsoInstant(value: string): boolean {
  return ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

/** `a` is at or after `b` (as instants, so `…00Z` and `…00.000Z` compare equal). */
export function isAtOrAfter(a: string, b: string): boolean {
  return instantMs(a) >= instantMs(b);
}

export function addMilliseconds(iso: string, ms: number): string {
  return new Date(instantMs(iso) + ms).toISOString();
}

interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function parseCalendarDate(date: string): CalendarDate {
  const match = CALENDAR_DATE.exec(date);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) return { year, month, day };
  }
  throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(date)}`);
}

export function isCalendarDate(value: string): boolean {
  try {
    parseCalendarDate(value);
    return true;
  } catch {
    return false;
  }
}

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC has no DST to get in the way.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

function formatCalendarDate({ year, month, day }: CalendarDate): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function requireInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${n}`);
}

// ---------------------------------------------------------------- the Helsinki wall clock

const helsinkiWallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: HELSINKI,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface WallClock extends CalendarDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallClockAt(ms: number): WallClock {
  const parts: Record<string, number> = {};
  for (const part of helsinkiWallClock.formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** How far Helsinki's wall clock is ahead of UTC at an instant (2 h in winter, 3 h in summer). */
function helsinkiOffsetMs(ms: number): number {
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  const wall = wallClockAt(wholeSecond);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - wholeSecond;
}

/** The Helsinki calendar date of an instant. */
export function helsinkiDate(iso: string): string {
  return helsinkiDateAt(instantMs(iso));
}

/**
 * Every message sent within the same quarter of an hour has the same Helsinki date (days begin
 * on whole hours UTC under every rule since 1921), and each answer costs an Intl formatting call:
 * dates are remembered per quarter hour, and only for a quarter whose first and last second fall
 * on the same date, so a quarter in which a day begins (at any odd historical instant) is always
 * computed exactly.
 */
function helsinkiDateAt(ms: number): string {
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  const remembered = dateByQuarterHour.get(quarter);
  if (remembered !== undefined) return remembered;
  const date = formatCalendarDate(wallClockAt(ms));
  const first = quarter * QUARTER_HOUR_MS;
  if (formatCalendarDate(wallClockAt(first)) === date && formatCalendarDate(wallClockAt(first + QUARTER_HOUR_MS - 1)) === date) {
    if (dateByQuarterHour.size >= DATE_MEMO_SIZE) dateByQuarterHour.clear();
    dateByQuarterHour.set(quarter, date);
  }
  return date;
}

const QUARTER_HOUR_MS = 15 * 60 * 1000;
const DATE_MEMO_SIZE = 4096;
const dateByQuarterHour = new Map<number, string>();

// ---------------------------------------------------------------- calendar arithmetic

/** Calendar days on a date (no time zone involved: a date has no hours to shift). */
export function addCalendarDays(date: string, days: number): string {
  requireInteger(days, 'days');
  const { year, month, day } = parseCalendarDate(date);
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return formatCalendarDate({ year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() });
}

/**
 * Calendar months on a date. A day that the target month lacks becomes its last day, as in the
 * Finnish act on computing statutory periods (150/1930, §3): 31 August + 6 months = 28/29 February.
 */
export function addCalendarMonths(date: string, months: number): string {
  requireInteger(months, 'months');
  const { year, month, day } = parseCalendarDate(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return formatCalendarDate({ year: targetYear, month: targetMonth, day: Math.min(day, daysInMonth(targetYear, targetMonth)) });
}

/**
 * The first instant of a Helsinki calendar day, as UTC. Usually 22:00Z (winter) or 21:00Z
 * (summer) of the previous UTC day. Written for any zone rule: among the instants that the
 * offsets before and after the day would give, the earliest that falls on the day wins (so a
 * midnight that a DST change skips or repeats still has one answer).
 */
export function startOfHelsinkiDay(date: string): string {
  // Pure, and asked for the same few dates again and again (every message sent today has the same
  // deemed-service day) while each answer costs several Intl formatting calls: remember them.
  const remembered = startOfDayByDate.get(date);
  if (remembered !== undefined) return remembered;
  const start = computeStartOfHelsinkiDay(date);
  if (startOfDayByDate.size >= START_OF_DAY_MEMO_SIZE) startOfDayByDate.clear();
  startOfDayByDate.set(date, start);
  return start;
}

const START_OF_DAY_MEMO_SIZE = 4096;
const startOfDayByDate = new Map<string, string>();

function computeStartOfHelsinkiDay(date: string): string {
  const { year, month, day } = parseCalendarDate(date);
  const midnightAsIfUtc = Date.UTC(year, month - 1, day);
  const offsets = new Set([helsinkiOffsetMs(midnightAsIfUtc - MS_PER_DAY), helsinkiOffsetMs(midnightAsIfUtc + MS_PER_DAY)]);
  const onTheDay = [...offsets]
    .map((offset) => midnightAsIfUtc - offset)
    .filter((candidate) => formatCalendarDate(wallClockAt(candidate)) === date)
    .sort((a, b) => a - b);
  if (onTheDay.length === 0) throw new RangeError(`no start of day found for ${date} in ${HELSINKI}`);
  return new Date(onTheDay[0]).toISOString();
}

// ---------------------------------------------------------------- the periods of the Act

/** §19: the Helsinki date of deemed service of an ordinary message: sending day + 3, whatever the hour or weekday. */
export function deemedServedOn(sentAt: string): string {
  return addCalendarDays(helsinkiDate(sentAt), DEEMED_SERVICE_DAYS);
}

/** The instant the deemed-service day begins in Helsinki: from then on the message counts as served. */
export function deemedServedAt(sentAt: string): string {
  return startOfHelsinkiDay(deemedServedOn(sentAt));
}

/** §18: the last Helsinki day on which a registered message that became available at `availableAt` may be acknowledged. */
export function acknowledgementEndsOn(availableAt: string): string {
  return addCalendarDays(helsinkiDate(availableAt), REGISTERED_ACKNOWLEDGEMENT_DAYS);
}

/**
 * §18: unacknowledged by this instant (the first moment of the Helsinki day after the 7th), a
 * registered message falls back to paper. Available Monday 24 November 2025 12:00: acknowledgeable
 * through Monday 1 December 23:59:59.999 Helsinki time, so the fallback is due at 1 December 22:00Z.
 */
export function registeredFallbackAt(availableAt: string): string {
  return startOfHelsinkiDay(addCalendarDays(acknowledgementEndsOn(availableAt), 1));
}

/** When an unread registered message earns its reminder. */
export function registeredReminderAt(sentAt: string): string {
  return addMilliseconds(sentAt, REGISTERED_REMINDER_AFTER_MS);
}

/** When an unread ordinary message earns its reminder. */
export function ordinaryReminderAt(sentAt: string): string {
  return addMilliseconds(sentAt, ORDINARY_REMINDER_AFTER_MS);
}

/** When the reminder of a reply-by date is due: the start of the Helsinki day 2 days before it. */
export function replyReminderAt(replyBy: string): string {
  return startOfHelsinkiDay(addCalendarDays(replyBy, -REPLY_REMINDER_DAYS_BEFORE));
}

/** When a reply-by date has passed: the start of the Helsinki day after it (the whole date is the recipient's). */
export function replyOverdueAt(replyBy: string): string {
  return startOfHelsinkiDay(addCalendarDays(replyBy, 1));
}

/**
 * The instant a paper opt-out chosen at `chosenAt` ends. The period is six calendar months in
 * Helsinki and, as statutory periods do (150/1930), includes the whole last day: chosen on
 * 15 January, paper through 15 July, electronic again from 16 July 00:00 Helsinki time.
 */
export function paperOptOutUntil(chosenAt: string): string {
  const lastDay = addCalendarMonths(helsinkiDate(chosenAt), PAPER_OPT_OUT_MONTHS);
  return startOfHelsinkiDay(addCalendarDays(lastDay, 1));
}

/** Whether an opt-out that lasts until `paperUntil` is still in force at `at` (the end is exclusive). */
export function isPaperOptOutActive(paperUntil: string | undefined, at: string): boolean {
  return paperUntil !== undefined && instantMs(at) < instantMs(paperUntil);
}
