import type { SubscribeOptions } from '@asiointitili/core';

/** Batch size when the subscriber names none: big enough to amortise a projection's write per batch. */
export const DEFAULT_MAX_BATCH = 256;

export function validMaxBatch(maxBatch: number | undefined): number {
  if (maxBatch === undefined) return DEFAULT_MAX_BATCH;
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) throw new RangeError(`subscribeAll: maxBatch must be a positive integer, got ${maxBatch}`);
  return maxBatch;
}

/**
 * A subscription that ends for good must be heard: through onError when the subscriber gave one,
 * otherwise as a process warning (never as an unhandled rejection that would kill the process).
 */
export function reportSubscriptionFailure(options: SubscribeOptions, error: unknown): void {
  if (options.onError) {
    options.onError(error);
    return;
  }
  const reason = error instanceof Error ? error : new Error(String(error));
  process.emitWarning(reason, { code: 'EVENT_STORE_SUBSCRIPTION_FAILED' });
}
