import { readOptions } from './options';

describe('bench options', () => {
  it('defaults to the full run: 10,000 citizens, 100,000 inbox messages, 1,000 sends/s for 30 s, concurrency 64', () => {
    const options = readOptions({}, []);
    expect(options).toMatchObject({ quick: false, citizens: 10_000, inboxMessages: 100_000, fixedRate: 1_000, fixedRateS: 30, connections: 64, writeDoc: true });
    expect(options.scaleLevels).toEqual([10_000, 100_000, 1_000_000]);
  });

  it('shrinks every phase in quick mode and leaves the recorded numbers in the docs alone', () => {
    const options = readOptions({ BENCH_QUICK: '1' }, []);
    expect(options.durationS).toBeLessThan(10);
    expect(options.writeDoc).toBe(false);
  });

  it('lets a flag override the environment', () => {
    expect(readOptions({ BENCH_CITIZENS: '500' }, ['--citizens=700', '--scale']).citizens).toBe(700);
    expect(readOptions({}, ['--scale-levels=100000,10000']).scaleLevels).toEqual([10_000, 100_000]);
  });

  it('refuses values that are not positive whole numbers or flags', () => {
    expect(() => readOptions({ BENCH_CITIZENS: '1e4' }, [])).toThrow(/BENCH_CITIZENS/);
    expect(() => readOptions({ BENCH_QUICK: 'yes' }, [])).toThrow(/BENCH_QUICK/);
    expect(() => readOptions({}, ['citizens=5'])).toThrow(/unknown argument/);
  });
});
