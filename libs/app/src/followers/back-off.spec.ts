import { backOffDelay, DEFAULT_BACK_OFF } from './back-off';

describe('backOffDelay', () => {
  it('doubles with each consecutive failure up to the cap', () => {
    const top = () => 0.999999;
    const delays = [1, 2, 3, 4, 5, 6, 7, 50].map((n) => backOffDelay(n, { initialMs: 100, maxMs: 1000 }, top));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
  });

  it('jitters between half and all of the step, so processes that failed together retry apart', () => {
    expect(backOffDelay(3, { initialMs: 100, maxMs: 1000 }, () => 0)).toBe(200);
    const samples = Array.from({ length: 200 }, () => backOffDelay(3, { initialMs: 100, maxMs: 1000 }));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...samples)).toBeLessThanOrEqual(400);
    expect(new Set(samples).size).toBeGreaterThan(10);
  });

  it('never waits longer than the cap, however long the outage', () => {
    for (const n of [1, 10, 1_000, Number.MAX_SAFE_INTEGER]) expect(backOffDelay(n)).toBeLessThanOrEqual(DEFAULT_BACK_OFF.maxMs);
  });
});
