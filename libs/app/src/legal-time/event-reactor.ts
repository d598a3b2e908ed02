import { Logger } from '@nestjs/common';
import type { EventStore, ReadStore, RecordedEvent } from '@asiointitili/core';
import type { BackOffOptions } from '../followers/back-off';
import { EventFailure } from '../followers/failures';
import type { FollowerObserver, FollowerStatus, StatusSource } from '../followers/follower-status';
import { SupervisedSubscription } from '../followers/supervised-subscription';
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
  readonly maxBatch?: number;
  /** Whether every port answers (a poison event is judged only while they do); default: the event and read stores ping. */
  readonly portsReachable?: () => Promise<boolean>;
  readonly observer?: FollowerObserver;
  readonly backOff?: BackOffOptions;
  readonly poisonAfter?: number;
  /** Throws when this process may no longer act (it lost the worker lease): checked before each reaction's side effects. */
  readonly ensureActive?: () => void;
}

/**
 * Follows the log for one Reaction from its own checkpoint. The checkpoint is written after each
 * batch is handled, so a crash repeats work (which the reaction absorbs) and never skips it.
 *
 * A domain refusal is a decision, not a fault: it is logged and the reactor moves on. Anything
 * else (a store, the print channel or a notifier down) is retried from the checkpoint with
 * back-off, without end, so a failed print hand-off is retried rather than lost; only a poison
 * event stops the reactor (SupervisedSubscription).
 */
export class EventReactor implements StatusSource {
  private readonly logger: Logger;
  private readonly follower: SupervisedSubscription;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly reaction: Reaction,
    private readonly options: EventReactorOptions = {},
  ) {
    this.logger = new Logger(reaction.name);
    this.follower = new SupervisedSubscription({
      name: reaction.name,
      events,
      maxBatch: options.maxBatch ?? 100,
      backOff: options.backOff,
      poisonAfter: options.poisonAfter,
      observer: options.observer,
      portsReachable: options.portsReachable ?? (async () => (await events.ping()) && (await store.ping())),
      resume: async () => {
        // Like the read models: a checkpoint beyond the end of the log means committed events are gone.
        const checkpoint = await this.store.checkpoint(this.reaction.name);
        await assertLogReaches(this.events, this.reaction.name, checkpoint);
        return checkpoint;
      },
      handle: (batch) => this.handle(batch),
    });
  }

  get name(): string {
    return this.reaction.name;
  }

  start(): Promise<void> {
    return this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  standBy(): void {
    this.follower.standBy();
  }

  /** The last global position whose batch was handled and checkpointed, or null before the first. */
  position(): bigint | null {
    return this.follower.position();
  }

  /** Same as position(), for the lag metrics. */
  checkpoint(): bigint | null {
    return this.follower.position();
  }

  status(): FollowerStatus {
    return this.follower.status();
  }

  /** Resolves true once events up to `position` are handled (false on timeout or stop). */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.follower.waitFor(position, timeoutMs);
  }

  private async handle(batch: readonly RecordedEvent[]): Promise<void> {
    if (batch.length === 0) return;
    for (const event of batch) {
      if (!this.reaction.eventTypes.has(event.type)) continue;
      this.options.ensureActive?.();
      try {
        await this.reaction.react(event);
      } catch (error) {
        if (!(error instanceof DomainRejection)) throw new EventFailure(event, error);
        this.logger.warn(`${event.type} at ${event.position}: refused by the domain (${error.error.code}): ${error.message}`);
      }
    }
    const last = batch[batch.length - 1]!.position;
    await this.store.write([], { name: this.reaction.name, position: last });
  }
}
