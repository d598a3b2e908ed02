import { isValidHetu } from '@asiointitili/domain/identity/hetu';
import { MAX_POPULATION, population, recipientIndex, syntheticHetu } from './population';

describe('the synthetic population of the bench', () => {
  it('gives 10,000 distinct, checksum-valid henkilötunnus values', () => {
    const hetus = population(10_000);
    expect(new Set(hetus).size).toBe(10_000);
    expect(hetus.every((hetu) => isValidHetu(hetu))).toBe(true);
  });

  it('stays valid up to the last citizen it can number, and refuses one past it', () => {
    expect(isValidHetu(syntheticHetu(MAX_POPULATION - 1))).toBe(true);
    expect(() => syntheticHetu(MAX_POPULATION)).toThrow(RangeError);
    expect(() => syntheticHetu(-1)).toThrow(RangeError);
  });

  it('spreads consecutive messages over every citizen before repeating one', () => {
    const size = 10_000;
    const seen = new Set(Array.from({ length: size }, (_, k) => recipientIndex(k, size)));
    expect(seen.size).toBe(size);
  });
});
