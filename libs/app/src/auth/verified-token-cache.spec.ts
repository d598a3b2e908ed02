import { VerifiedTokenCache } from './verified-token-cache';

describe('VerifiedTokenCache', () => {
  const EXP = 2_000_000_000; // seconds
  const at = (seconds: number): number => seconds * 1000;

  it('answers a remembered token until just before its exp, and forgets it from exp on', () => {
    const cache = new VerifiedTokenCache();
    const digest = VerifiedTokenCache.digestOf('token-a');
    cache.remember(digest, { sub: 'a', exp: EXP });
    expect(cache.get(digest, at(EXP) - 1)).toEqual({ sub: 'a', exp: EXP });
    expect(cache.get(digest, at(EXP))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not answer a token before its nbf', () => {
    const cache = new VerifiedTokenCache();
    cache.remember('d', { nbf: EXP - 10, exp: EXP });
    expect(cache.get('d', at(EXP - 11))).toBeUndefined();
  });

  it('never remembers a token without a numeric exp', () => {
    const cache = new VerifiedTokenCache();
    cache.remember('d', { sub: 'x' });
    expect(cache.size).toBe(0);
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const cache = new VerifiedTokenCache(2);
    cache.remember('a', { exp: EXP });
    cache.remember('b', { exp: EXP });
    expect(cache.get('a', 0)).toBeDefined(); // a is now the most recently used
    cache.remember('c', { exp: EXP });
    expect(cache.size).toBe(2);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBeDefined();
    expect(cache.get('c', 0)).toBeDefined();
  });

  it('keys by a digest, so different tokens never share an entry', () => {
    expect(VerifiedTokenCache.digestOf('a.b.c')).not.toBe(VerifiedTokenCache.digestOf('a.b.d'));
    expect(VerifiedTokenCache.digestOf('a.b.c')).toBe(VerifiedTokenCache.digestOf('a.b.c'));
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new VerifiedTokenCache(0)).toThrow(RangeError);
  });
});
