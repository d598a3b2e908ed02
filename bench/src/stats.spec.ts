import { percentile, round, summarise, upperMedian } from './stats';

describe('bench statistics', () => {
  it('takes the nearest-rank percentile, so p99 of 1..100 is 99 and p100 is the maximum', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile(samples, 0)).toBe(1);
  });

  it('answers NaN for no samples rather than inventing a latency', () => {
    expect(percentile([], 99)).toBeNaN();
    expect(summarise([]).count).toBe(0);
  });

  it('refuses a percentile outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('summarises a run of a million samples (no argument spreading that overflows the stack)', () => {
    const samples = Array.from({ length: 1_000_000 }, (_, i) => i % 1000);
    expect(summarise(samples)).toEqual({ count: 1_000_000, p50: 499, p99: 989, max: 999 });
  });

  it('summarises count, median, p99 and maximum rounded to hundredths', () => {
    expect(summarise([1.234, 2.345, 3.456])).toEqual({ count: 3, p50: 2.35, p99: 3.46, max: 3.46 });
    expect(round(0.004)).toBe(0);
  });

  it('takes the upper of the two middle values as the median of an even count of rounds, without reordering its input', () => {
    const rounds = [930, -71, 14, -147];
    expect(upperMedian(rounds)).toBe(14);
    expect(upperMedian([5, 1, 3])).toBe(3);
    expect(rounds).toEqual([930, -71, 14, -147]);
  });
});
