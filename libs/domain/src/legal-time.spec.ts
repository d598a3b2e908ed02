import fc from 'fast-check';
import {
  addCalendarDays,
  addCalendarMonths,
  deemedServedAt,
  deemedServedOn,
  helsinkiDate,
  instantMs,
  isAtOrAfter,
  isCalendarDate,
  isIsoInstant,
  isPaperOptOutActive,
  MS_PER_HOUR,
  ordinaryReminderAt,
  paperOptOutUntil,
  acknowledgementEndsOn,
  registeredFallbackAt,
  registeredReminderAt,
  startOfHelsinkiDay,
} from './legal-time';

describe('helsinkiDate', () => {
  it('keeps 23:30 Helsinki time (21:30Z in winter) on the same Helsinki day', () => {
    expect(helsinkiDate('2025-11-24T21:30:00Z')).toBe('2025-11-24');
  });

  it('moves to the next Helsinki day at 22:00Z in winter (UTC+2)', () => {
    expect(helsinkiDate('2025-11-24T21:59:59.999Z')).toBe('2025-11-24');
    expect(helsinkiDate('2025-11-24T22:00:00Z')).toBe('2025-11-25');
  });

  it('moves to the next Helsinki day at 21:00Z in summer (UTC+3)', () => {
    expect(helsinkiDate('2025-06-30T20:59:59Z')).toBe('2025-06-30');
    expect(helsinkiDate('2025-06-30T21:00:00Z')).toBe('2025-07-01');
  });

  it('reads an instant written with an offset', () => {
    expect(helsinkiDate('2025-11-24T23:30:00+02:00')).toBe('2025-11-24');
  });

  it('stays on the same day across the spring-forward hour (30 March 2025, 03:00 → 04:00)', () => {
    expect(helsinkiDate('2025-03-30T00:59:59Z')).toBe('2025-03-30');
    expect(helsinkiDate('2025-03-30T01:00:00Z')).toBe('2025-03-30');
  });

  it('stays on the same day across the repeated autumn hour (26 October 2025, 04:00 → 03:00)', () => {
    expect(helsinkiDate('2025-10-26T00:30:00Z')).toBe('2025-10-26');
    expect(helsinkiDate('2025-10-26T01:30:00Z')).toBe('2025-10-26');
  });

  it('turns the year at Helsinki midnight, two hours before UTC does', () => {
    expect(helsinkiDate('2025-12-31T21:59:59Z')).toBe('2025-12-31');
    expect(helsinkiDate('2025-12-31T22:00:00Z')).toBe('2026-01-01');
  });
});

describe('instants', () => {
  it('rejects a time without an offset, a bare date and garbage', () => {
    for (const bad of ['2025-11-24T10:00:00', '2025-11-24', 'yesterday', '', '2025-13-01T00:00:00Z']) {
      expect(isIsoInstant(bad)).toBe(false);
      expect(() => instantMs(bad)).toThrow(RangeError);
      expect(() => helsinkiDate(bad)).toThrow(RangeError);
    }
  });

  it('compares instants, not strings', () => {
    expect(isAtOrAfter('2025-11-24T10:00:00.000Z', '2025-11-24T10:00:00Z')).toBe(true);
    expect(isAtOrAfter('2025-11-24T12:00:00+03:00', '2025-11-24T09:00:01Z')).toBe(false);
  });
});

describe('addCalendarDays', () => {
  it('counts calendar days over month and year ends', () => {
    expect(addCalendarDays('2025-01-30', 3)).toBe('2025-02-02');
    expect(addCalendarDays('2025-12-30', 3)).toBe('2026-01-02');
    expect(addCalendarDays('2026-01-02', -3)).toBe('2025-12-30');
  });

  it('knows leap years', () => {
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addCalendarDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addCalendarDays('2000-02-28', 1)).toBe('2000-02-29');
  });

  it('refuses a date that does not exist and a fractional number of days', () => {
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(() => addCalendarDays('2025-02-29', 1)).toThrow(RangeError);
    expect(() => addCalendarDays('2025-02-01', 1.5)).toThrow(RangeError);
  });
});

describe('addCalendarMonths', () => {
  it('keeps the day of the month', () => {
    expect(addCalendarMonths('2025-01-15', 6)).toBe('2025-07-15');
    expect(addCalendarMonths('2025-09-15', 6)).toBe('2026-03-15');
  });

  it('clamps to the last day of a shorter month, leap years included', () => {
    expect(addCalendarMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(addCalendarMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addCalendarMonths('2025-12-31', 6)).toBe('2026-06-30');
  });
});

describe('startOfHelsinkiDay', () => {
  it('is 22:00Z the day before in winter and 21:00Z in summer', () => {
    expect(startOfHelsinkiDay('2025-11-27')).toBe('2025-11-26T22:00:00.000Z');
    expect(startOfHelsinkiDay('2025-07-01')).toBe('2025-06-30T21:00:00.000Z');
  });

  it('starts the spring-forward day in winter time and the day after in summer time', () => {
    expect(startOfHelsinkiDay('2025-03-30')).toBe('2025-03-29T22:00:00.000Z');
    expect(startOfHelsinkiDay('2025-03-31')).toBe('2025-03-30T21:00:00.000Z');
  });

  it('starts the fall-back day in summer time and the day after in winter time', () => {
    expect(startOfHelsinkiDay('2025-10-26')).toBe('2025-10-25T21:00:00.000Z');
    expect(startOfHelsinkiDay('2025-10-27')).toBe('2025-10-26T22:00:00.000Z');
  });

  it('makes the spring-forward day 23 hours long and the fall-back day 25', () => {
    const hours = (date: string) => (instantMs(startOfHelsinkiDay(addCalendarDays(date, 1))) - instantMs(startOfHelsinkiDay(date))) / MS_PER_HOUR;
    expect(hours('2025-03-30')).toBe(23);
    expect(hours('2025-10-26')).toBe(25);
    expect(hours('2025-11-24')).toBe(24);
  });

  it('starts every day at the first instant whose Helsinki date is that day (1970–2100)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-02T00:00:00Z'), max: new Date('2100-12-30T00:00:00Z'), noInvalidDate: true }), (when) => {
        const date = helsinkiDate(when.toISOString());
        const start = instantMs(startOfHelsinkiDay(date));
        const next = instantMs(startOfHelsinkiDay(addCalendarDays(date, 1)));
        expect(start).toBeLessThanOrEqual(when.getTime());
        expect(when.getTime()).toBeLessThan(next);
        expect(helsinkiDate(new Date(start).toISOString())).toBe(date);
        expect(helsinkiDate(new Date(start - 1).toISOString())).toBe(addCalendarDays(date, -1));
        expect([23, 24, 25]).toContain((next - start) / MS_PER_HOUR);
      }),
      { numRuns: 500 },
    );
  });
});

describe('deemed service of an ordinary message (§19)', () => {
  it('deems a message sent on 24 November served on 27 November, whatever the hour', () => {
    for (const sentAt of ['2025-11-23T22:00:00Z', '2025-11-24T08:00:00Z', '2025-11-24T21:30:00Z', '2025-11-24T21:59:59.999Z']) {
      expect(deemedServedOn(sentAt)).toBe('2025-11-27');
    }
  });

  it('counts from the Helsinki day, not the UTC day: 00:30 Helsinki time on the 25th is the 24th in UTC', () => {
    expect(deemedServedOn('2025-11-24T22:30:00Z')).toBe('2025-11-28');
  });

  it('does not move the date for a weekend', () => {
    // Thursday 20 November 2025 + 3 = Sunday 23 November.
    expect(deemedServedOn('2025-11-20T10:00:00Z')).toBe('2025-11-23');
  });

  it('does not move the date for a public holiday', () => {
    // 3 December + 3 = Independence Day, 6 December.
    expect(deemedServedOn('2025-12-03T10:00:00Z')).toBe('2025-12-06');
  });

  it('crosses the year end', () => {
    expect(deemedServedOn('2025-12-29T10:00:00Z')).toBe('2026-01-01');
    expect(deemedServedOn('2025-12-31T22:30:00Z')).toBe('2026-01-04');
  });

  it('crosses a leap day', () => {
    expect(deemedServedOn('2028-02-27T10:00:00Z')).toBe('2028-03-01');
    expect(deemedServedOn('2028-02-26T10:00:00Z')).toBe('2028-02-29');
  });

  it('begins the deemed-service day at Helsinki midnight, in the time in force on that day', () => {
    expect(deemedServedAt('2025-11-24T21:30:00Z')).toBe('2025-11-26T22:00:00.000Z');
    // Sent Thursday 27 March (winter time): served Sunday 30 March, the spring-forward day.
    expect(deemedServedAt('2025-03-27T10:00:00Z')).toBe('2025-03-29T22:00:00.000Z');
    // Sent in winter time, served in summer time.
    expect(deemedServedAt('2025-03-28T10:00:00Z')).toBe('2025-03-30T21:00:00.000Z');
    // Sent in summer time, served in winter time.
    expect(deemedServedAt('2025-10-24T10:00:00Z')).toBe('2025-10-26T22:00:00.000Z');
  });
});

describe('registered delivery periods (§18)', () => {
  it('runs the 7 acknowledgement days to the end of the 7th Helsinki day after availability (winter: 22:00Z)', () => {
    // Available Monday 24 November 2025 12:00 Helsinki; the 7th day after is Monday 1 December.
    expect(acknowledgementEndsOn('2025-11-24T10:00:00Z')).toBe('2025-12-01');
    expect(registeredFallbackAt('2025-11-24T10:00:00Z')).toBe('2025-12-01T22:00:00.000Z');
  });

  it('does not count the day of availability, whatever its hour (00:00 and 23:59 give the same end)', () => {
    expect(registeredFallbackAt('2025-11-23T22:00:00Z')).toBe('2025-12-01T22:00:00.000Z');
    expect(registeredFallbackAt('2025-11-24T21:59:59.999Z')).toBe('2025-12-01T22:00:00.000Z');
    expect(registeredFallbackAt('2025-11-24T22:00:00Z')).toBe('2025-12-02T22:00:00.000Z');
  });

  it('ends at Helsinki midnight across the autumn DST change (summer availability, winter end: 167 + 1 h)', () => {
    // Available Wednesday 22 October 2025 13:00 EEST; the clocks go back on 26 October.
    expect(registeredFallbackAt('2025-10-22T10:00:00Z')).toBe('2025-10-29T22:00:00.000Z');
  });

  it('ends at Helsinki midnight across the spring DST change (winter availability, summer end)', () => {
    expect(registeredFallbackAt('2025-03-27T10:00:00Z')).toBe('2025-04-03T21:00:00.000Z');
  });

  it('does not move for a weekend or a holiday (a period for the recipient, not an authority)', () => {
    // Available Thursday 17 December 2026: the 7th day is Christmas Eve, and it still ends then.
    expect(acknowledgementEndsOn('2026-12-17T10:00:00Z')).toBe('2026-12-24');
  });

  it('reminds about an unread registered message after 3 days', () => {
    expect(registeredReminderAt('2025-11-24T10:00:00Z')).toBe('2025-11-27T10:00:00.000Z');
  });

  it('reminds about an unread ordinary message after 7 days', () => {
    expect(ordinaryReminderAt('2025-12-28T10:00:00Z')).toBe('2026-01-04T10:00:00.000Z');
  });
});

describe('paper opt-out under digital by default', () => {
  it('lasts six calendar months, through the whole last day', () => {
    expect(paperOptOutUntil('2025-01-15T10:00:00Z')).toBe('2025-07-15T21:00:00.000Z');
  });

  it('ends on the last day of a shorter month', () => {
    expect(paperOptOutUntil('2025-08-31T10:00:00Z')).toBe('2026-02-28T22:00:00.000Z');
    expect(paperOptOutUntil('2027-08-31T10:00:00Z')).toBe('2028-02-29T22:00:00.000Z');
  });

  it('counts from the Helsinki day of choosing', () => {
    // 21:30Z on 31 August is 00:30 on 1 September in Helsinki.
    expect(paperOptOutUntil('2025-08-31T21:30:00Z')).toBe('2026-03-01T22:00:00.000Z');
  });

  it('crosses the year end', () => {
    expect(paperOptOutUntil('2025-12-31T10:00:00Z')).toBe('2026-06-30T21:00:00.000Z');
  });

  it('is in force up to, but not at, its end', () => {
    const until = paperOptOutUntil('2025-01-15T10:00:00Z');
    expect(isPaperOptOutActive(until, '2025-07-15T20:59:59.999Z')).toBe(true);
    expect(isPaperOptOutActive(until, until)).toBe(false);
    expect(isPaperOptOutActive(undefined, '2025-07-15T20:59:59.999Z')).toBe(false);
  });
});
