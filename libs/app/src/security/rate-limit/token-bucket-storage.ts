import type { ThrottlerStorage } from '@nestjs/throttler';

/** What ThrottlerStorage.increment answers (the record type is not exported by @nestjs/throttler's index). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * A token bucket per key, kept as one number (the generic cell rate algorithm): a key may burst
 * `limit` requests, and earns one more every `ttl / limit`. O(1) time and memory per key whatever
 * the limit; the in-memory store that ships with @nestjs/throttler keeps one timestamp per request
 * and filters them on every hit, which at an agency's 600,000 a minute would cost more than the
 * request itself. The wait it tells a refused client is exact: at most `ttl / limit`.
 *
 * A refused request is not counted, so a client that honours Retry-After is served then.
 * `blockDuration` is not used: there is no penalty beyond the wait. Per process: several API
 * processes each allow the limit (docs/security.md).
 */
export class TokenBucketStorage implements ThrottlerStorage {
  /** Per key, the theoretical arrival time: when the bucket will be full again (monotonic ms). */
  private readonly fullAt = new Map<string, number>();
  private lastSweep: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.lastSweep = now();
  }

  /** How many keys are remembered (a key whose bucket is full again is forgotten). */
  get size(): number {
    return this.fullAt.size;
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    this.sweep(now, ttl);
    const interval = ttl / limit;
    const tolerance = ttl - interval;
    const fullAt = Math.max(this.fullAt.get(key) ?? now, now);
    if (fullAt - now > tolerance) {
      const waitMs = fullAt - tolerance - now;
      return { totalHits: limit + 1, timeToExpire: seconds(fullAt - now), isBlocked: true, timeToBlockExpire: seconds(waitMs) };
    }
    const next = fullAt + interval;
    this.fullAt.set(key, next);
    return { totalHits: Math.min(limit, Math.round((next - now) / interval)), timeToExpire: seconds(next - now), isBlocked: false, timeToBlockExpire: 0 };
  }

  /** Forgets keys whose bucket is full again, at most once a window, so addresses seen once do not pile up. */
  private sweep(now: number, ttl: number): void {
    if (now - this.lastSweep < ttl) return;
    this.lastSweep = now;
    for (const [key, fullAt] of this.fullAt) if (fullAt <= now) this.fullAt.delete(key);
  }
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
