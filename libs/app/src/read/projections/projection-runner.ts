import type { EventStore, ReadStore, RecordedEvent, Subscription } from '@asiointitili/core';
import { PositionWaiters } from '../position-waiters';
import { assertLogReaches } from './log-continuity';
import { PendingWrites } from './projection-batch';
import type { Projection } from './projection';

/** Name of the checkpoint shared by the read-model projections (they advance together, in one write per batch). */
/** Longest a read-your-writes answer waits for the read models before answering anyway. */
export const READ_YOUR_WRITES_MS = 2000;

export const READ_MODELS_CHECKPOINT = 'read-models';

export interface ProjectionRunnerOptions {
  readonly checkpointName?: string;
  readonly maxBatch?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Follows the whole log from the stored checkpoint and applies every projection, batch by
 * batch: one read-store write per batch, the checkpoint last. A crash between the document
 * writes and the checkpoint replays the batch, which the projections' position guards absorb.
 */
export class ProjectionRunner {
  private subscription: Subscription | null = null;
  private position: bigint | null = null;
  private readonly waiters = new PositionWaiters(() => this.position);
  private readonly checkpointName: string;
  private lastError: unknown = null;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.checkpointName = options.checkpointName ?? READ_MODELS_CHECKPOINT;
  }

  async start(): Promise<void> {
    await this.store.ensureIndexes(this.projections.flatMap((p) => p.indexes));
    this.position = await this.store.checkpoint(this.checkpointName);
    await assertLogReaches(this.events, this.checkpointName, this.position);
    this.subscription = this.events.subscribeAll((batch) => this.applyBatch(batch), {
      after: this.position ?? undefined,
      maxBatch: this.options.maxBatch ?? 500,
      onError: (error) => {
        this.lastError = error;
        this.options.onError?.(error);
      },
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
    this.waiters.releaseAll();
  }

  /** The last global position written to the read store, or null before the first. */
  checkpoint(): bigint | null {
    return this.position;
  }

  failure(): unknown {
    return this.lastError;
  }

  /** Resolves once the read models include `position` (or after `timeoutMs`, returning false). */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.waiters.waitFor(position, timeoutMs);
  }

  /**
   * Read-your-writes for the rare changes a person looks at at once (their account, an erasure):
   * waits, bounded by READ_YOUR_WRITES_MS, until the read models include the write at `position`
   * (undefined: the command changed nothing, so there is nothing to wait for).
   */
  async readYourWrites(position: bigint | undefined): Promise<void> {
    if (position !== undefined) await this.waitFor(position, READ_YOUR_WRITES_MS);
  }


  /** Applies a batch of events and stores the checkpoint. Public so a rebuild can drive it directly. */
  async applyBatch(batch: readonly RecordedEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const pending = new PendingWrites(this.store);
    for (const event of batch) {
      for (const projection of this.projections) await projection.apply(event, pending);
    }
    const last = batch[batch.length - 1]!.position;
    await this.store.write(pending.operations(), { name: this.checkpointName, position: last });
    this.position = last;
    this.waiters.advanced();
  }
}
