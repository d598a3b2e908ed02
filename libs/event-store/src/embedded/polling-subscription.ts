import type { BatchHandler, RecordedEvent, SubscribeOptions, Subscription } from '@asiointitili/core';
import { reportSubscriptionFailure, validMaxBatch } from '../subscription-options';

export interface CatchUpSource {
  /** Up to maxCount product events strictly after `after` (from the beginning when undefined), in global order. */
  readAfter(after: bigint | undefined, maxCount: number): readonly RecordedEvent[];
  /** Calls the listener after each commit that this process makes to the same log; returns the unsubscribe. */
  onCommit(listener: () => void): () => void;
}

/**
 * Catch-up then live delivery over a log that can be read from any position: read a batch after
 * the cursor, hand it over, repeat; when nothing is left, sleep until a commit signal (appends of
 * this process, no delay) or the poll interval (appends of other processes on the same file).
 * There is one loop per subscription, so handler calls never overlap and come in order.
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
    while (!this.stopped) {
      this.dirty = false;
      let batch: readonly RecordedEvent[];
      try {
        batch = this.source.readAfter(cursor, this.maxBatch);
      } catch (error) {
        reportSubscriptionFailure(this.options, error);
        return;
      }
      if (batch.length === 0) {
        await this.sleep();
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

  private async sleep(): Promise<void> {
    if (this.dirty || this.stopped) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.signal(), this.pollIntervalMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
