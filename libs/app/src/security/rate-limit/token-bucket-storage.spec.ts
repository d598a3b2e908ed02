import { TokenBucketStorage } from './token-bucket-storage';

const MINUTE = 60_000;

describe('token-bucket rate limit storage', () => {
  let now = 0;
  let storage: TokenBucketStorage;
  beforeEach(() => {
    now = 1_000_000;
    storage = new TokenBucketStorage(() => now);
  });
  const hit = (key = 'k', limit = 3) => storage.increment(key, MINUTE, limit);

  it('allows a burst of the limit and refuses the next request', async () => {
    for (let i = 1; i <= 3; i++) expect(await hit()).toMatchObject({ isBlocked: false, totalHits: i });
    expect(await hit()).toMatchObject({ isBlocked: true, totalHits: 4 });
  });

  it('counts keys apart', async () => {
    for (let i = 0; i < 3; i++) await hit('a');
    expect((await hit('a')).isBlocked).toBe(true);
    expect((await hit('b')).isBlocked).toBe(false);
  });

  it('tells a refused client to wait exactly until one more request fits: a minute divided by the limit', async () => {
    for (let i = 0; i < 3; i++) await hit();
    const refused = await hit();
    expect(refused.timeToBlockExpire).toBe(20);
    now += 19_999;
    expect((await hit()).isBlocked).toBe(true);
    now += 1;
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(true);
  });

  it('does not count a refused request, so hammering does not push the wait further out', async () => {
    for (let i = 0; i < 3; i++) await hit();
    for (let i = 0; i < 100; i++) await hit();
    now += 20_000;
    expect((await hit()).isBlocked).toBe(false);
  });

  it('sustains the limit per minute: after the burst, one request every minute/limit', async () => {
    let served = 0;
    for (let second = 0; second < 600; second++) {
      if (!(await hit()).isBlocked) served += 1;
      now += 1000;
    }
    // The burst of three in the first seconds, then one every 20 seconds of the 580 after it.
    expect(served).toBe(3 + 580 / 20);
  });

  it('gives the whole burst back after a minute of quiet, and then forgets the key', async () => {
    for (let i = 0; i < 3; i++) await hit();
    now += MINUTE;
    for (let i = 1; i <= 3; i++) expect((await hit()).isBlocked).toBe(false);
    for (let i = 0; i < 1000; i++) await hit(`address-${i}`);
    expect(storage.size).toBe(1001);
    now += MINUTE + 1;
    await hit('fresh');
    expect(storage.size).toBe(1);
  });

  it('keeps one number per key at an agency’s limit of 600,000 a minute', async () => {
    for (let i = 0; i < 50_000; i++) expect((await storage.increment('agency', MINUTE, 600_000)).isBlocked).toBe(false);
    expect(storage.size).toBe(1);
    expect((await storage.increment('agency', MINUTE, 600_000)).totalHits).toBe(50_001);
  });
});
