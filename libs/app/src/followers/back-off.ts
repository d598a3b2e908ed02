/**
 * Capped exponential back-off with jitter, for every retry of a follower of the log: the n-th
 * consecutive failure waits a random time between half and all of min(cap, initial * 2^(n-1)).
 * The jitter spreads the retries of many followers and processes that failed at the same moment
 * (a store restart), so they do not hammer it in step when it comes back.
 */
export interface BackOffOptions {
  /** Wait after the first failure, before jitter. */
  readonly initialMs: number;
  /** Longest wait, before jitter: also the longest a follower stays idle after its store is back. */
  readonly maxMs: number;
}

export const DEFAULT_BACK_OFF: BackOffOptions = { initialMs: 250, maxMs: 5_000 };

/** Delay before the retry after `failures` consecutive failures (1-based). `random` is in [0, 1). */
export function backOffDelay(failures: number, options: BackOffOptions = DEFAULT_BACK_OFF, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
