import { addCalendarDays, startOfHelsinkiDay } from './legal-time';

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
