import type { EventStore, ReadStore, RecordedEvent } from '@asiointitili/core';
import type { BackOffOptions } from '../../followers/back-off';
import { EventFailure } from '../../followers/failures';
import type { FollowerObserver, FollowerStatus, StatusSource } from '../../followers/follower-status';
import { SupervisedSubscription } from '../../followers/supervised-subscription';
import { assertLogReaches } from './log-continuity';
import { PendingWrites } from './projection-batch';
import type { Projection } from './projection';

/** Longest a read-your-writes answer waits for the read models before answering anyway. */
export const READ_YOUR_WRITES_MS = 2000;

/** How often read-your-writes looks at the stored checkpoint when another process runs the projections. */
const STORED_CHECKPOINT_POLL_MS = 20;

/** Name of the checkpoint shared by the read-model projections (they advance together, in one write per batch). */
export const READ_MODELS_CHECKPOINT = 'read-models';

export interface ProjectionRunnerOptions {
  readonly checkpointName?: string;
  readonly maxBatch?: number;
  /** Whether every port answers (a poison event is judged only while they do); default: the event and read stores ping. */
  readonly portsReachable?: () => Promise<boolean>;
  readonly observer?: FollowerObserver;
  readonly backOff?: BackOffOptions;
  readonly poisonAfter?: number;
}

/**
 * Follows the whole log from the stored checkpoint and applies every projection, batch by
 * batch: one read-store write per batch, the checkpoint last. A crash between the document
 * writes and the checkpoint replays the batch, which the projections' position guards absorb.
 * A failed store call (either store) is retried without end from the checkpoint; only a poison
 * event stops the runner (SupervisedSubscription).
 */
export class ProjectionRunner implements StatusSource {
  private readonly checkpointName: string;
  private readonly follower: SupervisedSubscription;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.checkpointName = options.checkpointName ?? READ_MODELS_CHECKPOINT;
    this.follower = new SupervisedSubscription({
      name: this.checkpointName,
      events,
      maxBatch: options.maxBatch ?? 500,
      backOff: options.backOff,
      poisonAfter: options.poisonAfter,
      observer: options.observer,
      portsReachable: options.portsReachable ?? (async () => (await events.ping()) && (await store.ping())),
      resume: async () => {
        await this.store.ensureIndexes(this.projections.flatMap((p) => p.indexes));
        const checkpoint = await this.store.checkpoint(this.checkpointName);
        await assertLogReaches(this.events, this.checkpointName, checkpoint);
        return checkpoint;
      },
      handle: (batch) => this.applyBatch(batch),
    });
  }

  /** Starts following; a store that is down now is retried in the background (see SupervisedSubscription.start). */
  start(): Promise<void> {
    return this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  /** Marks the runner as standing by for the active worker of the fleet. */
  standBy(): void {
    this.follower.standBy();
  }

  /** The last global position written to the read store by this runner, or null before the first. */
  checkpoint(): bigint | null {
    return this.follower.position();
  }

  status(): FollowerStatus {
    return this.follower.status();
  }

  /** Resolves once the read models include `position` (or after `timeoutMs`, returning false). */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.follower.waitFor(position, timeoutMs);
  }

  /**
   * Read-your-writes for the rare changes a person looks at at once (their account, an erasure):
   * waits, bounded by READ_YOUR_WRITES_MS, until the read models include the write at `position`
   * (undefined: the command changed nothing, so there is nothing to wait for), whichever process
   * of the fleet is running the projections.
   */
  async readYourWrites(position: bigint | undefined): Promise<void> {
    if (position === undefined) return;
    if (this.follower.status().state === 'running') {
      await this.waitFor(position, READ_YOUR_WRITES_MS);
      return;
    }
    // Another process keeps the read models (this one has WORKER=off, or stands by for the active
    // worker): watch the checkpoint it stores instead of this runner's, which does not move.
    const deadline = Date.now() + READ_YOUR_WRITES_MS;
    while (Date.now() < deadline) {
      const stored = await this.store.checkpoint(this.checkpointName).catch(() => null);
      if (stored !== null && stored >= position) return;
      await new Promise((resolve) => setTimeout(resolve, STORED_CHECKPOINT_POLL_MS));
    }
  }

  /**
   * Applies a batch of events and stores the checkpoint. Public so a rebuild can drive it directly.
   * A projection that fails on an event throws EventFailure naming it.
   */
  async applyBatch(batch: readonly RecordedEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const pending = new PendingWrites(this.store);
    for (const event of batch) {
      for (const projection of this.projections) {
        try {
          await projection.apply(event, pending);
        } catch (error) {
          throw new EventFailure(event, error);
        }
      }
    }
    const last = batch[batch.length - 1]!.position;
    await this.store.write(pending.operations(), { name: this.checkpointName, position: last });
  }
}
