import { Logger } from '@nestjs/common';
import type { EventStore, ReadStore, RecordedEvent, Subscription } from '@asiointitili/core';
import { PositionWaiters } from '../read/position-waiters';
import { assertLogReaches } from '../read/projections/log-continuity';
import { DomainRejection } from '../write/domain-rejection';

/**
 * A process manager that reacts to events: it names the event types it cares about and its own
 * checkpoint, and does its work (idempotently: deterministic ids, deciders that record a repeat
 * as nothing) for each such event.
 */
export interface Reaction {
  /** Checkpoint name in the read store, e.g. `pm:print`. */
  readonly name: string;
  readonly eventTypes: ReadonlySet<string>;
  react(event: RecordedEvent): Promise<void>;
}

export interface EventReactorOptions {
  /** Wait before resubscribing from the checkpoint after a failure. */
  readonly retryDelayMs: number;
  readonly maxBatch?: number;
}

/**
 * Follows the log for one Reaction from its own checkpoint. The checkpoint is written after each
 * batch is handled, so a crash repeats work (which the reaction absorbs) and never skips it.
 *
 * A domain refusal is a decision, not a fault: it is logged and the reactor moves on. Anything
 * else (a store or an adapter down) stops the subscription; it resumes from the checkpoint after
 * `retryDelayMs`, so a failed print hand-off is retried rather than lost.
 */
export class EventReactor {
  private readonly logger: Logger;
  private subscription: Subscription | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private running = false;
  private handledUpTo: bigint | null = null;
  private readonly waiters = new PositionWaiters(() => this.handledUpTo);

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly reaction: Reaction,
    private readonly options: EventReactorOptions,
  ) {
    this.logger = new Logger(reaction.name);
  }

  async start(): Promise<void> {
    if (this.running) return;
    // Like the read models: a checkpoint beyond the end of the log means committed events are gone.
    await assertLogReaches(this.events, this.reaction.name, await this.store.checkpoint(this.reaction.name));
    this.running = true;
    await this.subscribe();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.stop();
    this.waiters.releaseAll();
  }

  /** The last global position whose batch was handled and checkpointed, or null before the first. */
  position(): bigint | null {
    return this.handledUpTo;
  }

  /** Resolves true once events up to `position` are handled (false on timeout or stop). */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.waiters.waitFor(position, timeoutMs);
  }


  private async subscribe(): Promise<void> {
    const after = await this.store.checkpoint(this.reaction.name);
    if (!this.running) return;
    this.handledUpTo = after;
    this.subscription = this.events.subscribeAll((batch) => this.handle(batch), {
      after: after ?? undefined,
      maxBatch: this.options.maxBatch ?? 100,
      onError: (error) => this.failed(error),
    });
  }

  private failed(error: unknown): void {
    this.subscription = null;
    if (!this.running) return;
    this.logger.error(`stopped: ${describe(error)}; resuming from the checkpoint in ${this.options.retryDelayMs} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.subscribe().catch((e: unknown) => this.failed(e));
    }, this.options.retryDelayMs);
  }

  private async handle(batch: readonly RecordedEvent[]): Promise<void> {
    if (batch.length === 0) return;
    for (const event of batch) {
      if (!this.reaction.eventTypes.has(event.type)) continue;
      try {
        await this.reaction.react(event);
      } catch (error) {
        if (!(error instanceof DomainRejection)) throw error;
        this.logger.warn(`${event.type} at ${event.position}: refused by the domain (${error.error.code}): ${error.message}`);
      }
    }
    const last = batch[batch.length - 1]!.position;
    await this.store.write([], { name: this.reaction.name, position: last });
    this.handledUpTo = last;
    this.waiters.advanced();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
