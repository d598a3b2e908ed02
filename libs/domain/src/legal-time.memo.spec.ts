import { addCalendarDays, helsinkiDate, startOfHelsinkiDay } from './legal-time';

describe('the remembered starts of Helsinki days', () => {
  it('answers a date the same after more than 4,096 other dates pushed it out of memory', () => {
    const first = startOfHelsinkiDay('2026-03-29');
    for (let day = 0; day < 5000; day++) startOfHelsinkiDay(addCalendarDays('2000-01-01', day));
    expect(startOfHelsinkiDay('2026-03-29')).toBe(first);
    expect(first).toBe('2026-03-28T22:00:00.000Z');
  });

  it('never remembers a refusal: an impossible date throws every time', () => {
    expect(() => startOfHelsinkiDay('2026-02-30')).toThrow();
    expect(() => startOfHelsinkiDay('2026-02-30')).toThrow();
  });
});

describe('the remembered Helsinki dates of instants', () => {
  it('gives the same date remembered as computed, on both sides of a midnight and across a DST change', () => {
    // Winter midnight (22:00Z), summer midnight (21:00Z), the spring-forward night.
    const cases: Array<[string, string]> = [
      ['2026-01-14T21:59:59.999Z', '2026-01-14'],
      ['2026-01-14T22:00:00.000Z', '2026-01-15'],
      ['2026-07-14T20:59:59.999Z', '2026-07-14'],
      ['2026-07-14T21:00:00.000Z', '2026-07-15'],
      ['2026-03-29T00:59:59.999Z', '2026-03-29'],
      ['2026-03-29T01:00:00.000Z', '2026-03-29'],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [instant, date] of cases) expect(helsinkiDate(instant)).toBe(date);
    }
  });

  it('computes a quarter hour in which a day begins at an odd instant exactly (Helsinki mean time until 1921)', () => {
    // Helsinki kept local mean time (+1:39:49) until 1 May 1921: its midnights fell at 22:20:11 UTC.
    expect(helsinkiDate('1900-01-01T22:20:10.000Z')).toBe('1900-01-01');
    expect(helsinkiDate('1900-01-01T22:20:12.000Z')).toBe('1900-01-02');
    expect(helsinkiDate('1900-01-01T22:20:10.000Z')).toBe('1900-01-01');
  });
});
