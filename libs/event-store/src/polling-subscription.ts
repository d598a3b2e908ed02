import type { BatchHandler, RecordedEvent, SubscribeOptions, Subscription } from '@asiointitili/core';
import type { RetryPolicy } from './esdb/reconnecting-subscription';
import { reportSubscriptionFailure, validMaxBatch } from './subscription-options';

export interface CatchUpSource {
  /** Up to maxCount product events strictly after `after` (from the beginning when undefined), in global order. */
  readAfter(after: bigint | undefined, maxCount: number): readonly RecordedEvent[] | Promise<readonly RecordedEvent[]>;
  /** Calls the listener whenever new events may have been committed; returns the unsubscribe. */
  onCommit(listener: () => void): () => void;
}

/** A read that fails is not retried: the subscription ends at once (a local file either reads or is broken). */
export const NO_RETRY: RetryPolicy = { maxRetries: 0, delayMs: () => 0 };

/**
 * Catch-up then live delivery over a log that can be read from any position: read a batch after
 * the cursor, hand it over, repeat; when nothing is left, sleep until a commit signal or the poll
 * interval (the fallback for commits nobody signalled). There is one loop per subscription, so
 * handler calls never overlap and come in order.
 *
 * A failed read (a server that is down) is retried after the policy's delay from the same cursor,
 * so nothing is skipped or delivered twice; after `maxRetries` consecutive failures the
 * subscription ends and onError is called. A handler that throws ends it at once.
 */
export class PollingSubscription implements Subscription {
  private stopped = false;
  /** Set by every wake-up and cleared before every read, so a commit that lands mid-read is never missed. */
  private dirty = true;
  private wake: (() => void) | null = null;
  private readonly done: Promise<void>;
  private readonly unsubscribeCommits: () => void;
  private readonly maxBatch: number;

  constructor(
    private readonly source: CatchUpSource,
    private readonly handler: BatchHandler,
    private readonly options: SubscribeOptions,
    private readonly pollIntervalMs: number,
    onFinished: (subscription: PollingSubscription) => void,
    private readonly retry: RetryPolicy = NO_RETRY,
  ) {
    this.maxBatch = validMaxBatch(options.maxBatch);
    this.unsubscribeCommits = source.onCommit(() => this.signal());
    // Started on the next microtask: the handler is never called before subscribeAll has returned.
    this.done = Promise.resolve()
      .then(() => this.run())
      .finally(() => {
        this.unsubscribeCommits();
        onFinished(this);
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signal();
    await this.done;
  }

  private signal(): void {
    this.dirty = true;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private async run(): Promise<void> {
    let cursor = this.options.after;
    let failures = 0;
    while (!this.stopped) {
      this.dirty = false;
      let batch: readonly RecordedEvent[];
      try {
        batch = await this.source.readAfter(cursor, this.maxBatch);
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures > this.retry.maxRetries) {
          reportSubscriptionFailure(this.options, error);
          return;
        }
        await this.sleep(this.retry.delayMs(failures), true);
        continue;
      }
      if (this.stopped) return;
      if (batch.length === 0) {
        await this.sleep(this.pollIntervalMs, false);
        continue;
      }
      try {
        await this.handler(batch);
      } catch (error) {
        // The port: a handler that throws stops the subscription; the caller restarts it from its checkpoint.
        reportSubscriptionFailure(this.options, error);
        return;
      }
      cursor = batch[batch.length - 1]!.position;
    }
  }

  /** Waits `ms`, or less when a commit is signalled (unless `fullDelay`: a back-off is cut short only by stop()). */
  private async sleep(ms: number, fullDelay: boolean): Promise<void> {
    if (this.stopped || (!fullDelay && this.dirty)) return;
    await new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        if (this.wake === onWake) this.wake = null;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      const onWake = (): void => {
        if (fullDelay && !this.stopped) {
          this.wake = onWake;
          return;
        }
        finish();
      };
      this.wake = onWake;
    });
  }
}
