import type { BatchHandler, RecordedEvent, SubscribeOptions, Subscription } from '@asiointitili/core';
import { reportSubscriptionFailure, validMaxBatch } from '../subscription-options';

/** The part of the client's catch-up subscription (a Readable in object mode) that is used here. */
export interface LiveStream<T> {
  on(event: 'data', listener: (item: T) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'caughtUp', listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  unsubscribe(): Promise<void>;
  destroy(): unknown;
}

export interface RetryPolicy {
  /**
   * Reconnections tolerated without progress (no event, not caught up) before the subscription
   * gives up and calls onError. Infinity (the default): a follower of the log outlives any outage
   * of the cluster and resumes after the last event it handled.
   */
  readonly maxRetries: number;
  /** Wait before the given retry (1-based). */
  readonly delayMs: (attempt: number) => number;
}

/** Capped exponential back-off with jitter: 250 ms doubling up to 30 s, each wait 50–100 % of that. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: Number.POSITIVE_INFINITY,
  delayMs: (attempt) => Math.round(Math.min(250 * 2 ** Math.min(attempt - 1, 20), 30_000) * (0.5 + Math.random() / 2)),
};

export interface LiveSource<T> {
  /** Opens a server subscription that delivers events after `after` (from the beginning when undefined). */
  open(after: bigint | undefined): LiveStream<T>;
  /** The port's event, or null for an item to skip (no event, not a product stream). A throw is fatal. */
  convert(item: T): RecordedEvent | null;
}

type Connection = { readonly kind: 'stopped' } | { readonly kind: 'fatal' } | { readonly kind: 'dropped'; readonly error: unknown };

/**
 * A catch-up subscription that survives dropped connections: it remembers the position of the last
 * event it has queued, reopens after it with growing delays, and skips anything at or before it
 * (so a reconnect never delivers twice). By default it retries for as long as it runs (the client
 * itself gives up: its subscription ends with UNAVAILABLE once the channel cannot reconnect, about
 * 8 s into an outage with the old policy of 5 retries); only a handler or conversion error, or a
 * finite `maxRetries` exhausted, stops it and calls onError. Items are queued as they arrive and handed over in batches of up to maxBatch,
 * one handler call at a time; the server stream is paused while the queue is long (backpressure).
 *
 * Server checkpoints are not used to move the resume position: they can overtake events still
 * buffered in the stream, and resuming after such a checkpoint would skip those events.
 */
export class ReconnectingSubscription<T> implements Subscription {
  private stopped = false;
  private wake: (() => void) | null = null;
  private readonly done: Promise<void>;
  private readonly maxBatch: number;

  constructor(
    private readonly source: LiveSource<T>,
    private readonly handler: BatchHandler,
    private readonly options: SubscribeOptions,
    private readonly retry: RetryPolicy = DEFAULT_RETRY_POLICY,
    onFinished: (subscription: ReconnectingSubscription<T>) => void = () => undefined,
  ) {
    this.maxBatch = validMaxBatch(options.maxBatch);
    this.done = this.run().finally(() => onFinished(this));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signal();
    await this.done;
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private async run(): Promise<void> {
    let cursor = this.options.after;
    let failures = 0;
    while (!this.stopped) {
      const connection = await this.consume(
        cursor,
        (position) => (cursor = position),
        () => (failures = 0),
      );
      if (connection.kind !== 'dropped') return;
      failures += 1;
      if (failures > this.retry.maxRetries) {
        reportSubscriptionFailure(this.options, connection.error);
        return;
      }
      await this.pause(this.retry.delayMs(failures));
    }
  }

  /** One server subscription, from open until it is dropped, stopped or fails for good. */
  private async consume(after: bigint | undefined, delivered: (position: bigint) => void, healthy: () => void): Promise<Connection> {
    const queue: RecordedEvent[] = [];
    let lastQueued = after;
    // Written by the stream's listeners, read by the loop below.
    const state: { ended: { readonly error: unknown } | null; fatal: { readonly error: unknown } | null; paused: boolean } = {
      ended: null,
      fatal: null,
      paused: false,
    };

    const stream = this.source.open(after);
    // Progress resets the count of consecutive failures: an event, or having caught up with the
    // live end. A mere confirmation does not: a server that accepts and then drops every
    // subscription would otherwise be retried forever.
    stream.on('caughtUp', healthy);
    stream.on('data', (item) => {
      if (state.ended || state.fatal) return;
      healthy();
      let event: RecordedEvent | null;
      try {
        event = this.source.convert(item);
      } catch (error) {
        state.fatal = { error };
        this.signal();
        return;
      }
      if (!event || (lastQueued !== undefined && event.position <= lastQueued)) return;
      lastQueued = event.position;
      queue.push(event);
      if (queue.length >= this.maxBatch * 4 && !state.paused) {
        state.paused = true;
        stream.pause();
      }
      this.signal();
    });
    stream.on('error', (error) => {
      state.ended ??= { error };
      this.signal();
    });
    const closedByServer = (): void => {
      state.ended ??= { error: new Error('EventStoreDB closed the subscription') };
      this.signal();
    };
    stream.on('end', closedByServer);
    stream.on('close', closedByServer);

    try {
      while (!this.stopped) {
        if (state.fatal) {
          reportSubscriptionFailure(this.options, state.fatal.error);
          return { kind: 'fatal' };
        }
        if (queue.length > 0) {
          const batch = queue.splice(0, this.maxBatch);
          try {
            await this.handler(batch);
          } catch (error) {
            reportSubscriptionFailure(this.options, error);
            return { kind: 'fatal' };
          }
          delivered(batch[batch.length - 1]!.position);
          if (state.paused && queue.length < this.maxBatch) {
            state.paused = false;
            stream.resume();
          }
          continue;
        }
        // Events received before a drop are delivered first; only then is the drop acted on.
        if (state.ended) return { kind: 'dropped', error: state.ended.error };
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      return { kind: 'stopped' };
    } finally {
      state.ended ??= { error: null };
      await stream.unsubscribe().catch(() => undefined);
      stream.destroy();
    }
  }

  private async pause(ms: number): Promise<void> {
    if (this.stopped) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.signal(), ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
