import { WrittenIds } from './written-ids';

describe('WrittenIds (the ids a rebuild wrote, as a Bloom filter)', () => {
  it('never answers "no" for an id it was given, across several segments', () => {
    const ids = new WrittenIds(1 << 12);
    const given: string[] = [];
    for (let n = 0; n < 10_000; n++) {
      const id = `m-${n.toString(36)}:${n % 7}`;
      ids.add(id);
      given.push(id);
    }
    expect(given.every((id) => ids.mightHave(id))).toBe(true);
  });

  it('refuses segment sizes that are not powers of two', () => {
    expect(() => new WrittenIds(1000)).toThrow(RangeError);
  });

  it('answers "no" for nearly every id it was not given, and for everything when empty', () => {
    const ids = new WrittenIds(1 << 14);
    expect(ids.mightHave('anything')).toBe(false);
    for (let n = 0; n < 10_000; n++) ids.add(`0192f3c4-${n.toString(16).padStart(8, '0')}-7000-8000-000000000000`);
    let wrong = 0;
    for (let n = 0; n < 10_000; n++) if (ids.mightHave(`0192f3c4-${n.toString(16).padStart(8, '0')}-7000-8000-000000000001`)) wrong++;
    expect(wrong).toBeLessThan(10); // 0.1 %; the design is ~0.01 % at this fill (16 bits an id)
  });
});
