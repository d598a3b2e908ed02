import type { Checkpoint, ClaimLeaseOptions, Doc, Fence, FindQuery, IndexSpec, Lease, Page, ReadStore, ReadStoreGeneration, Scalar, WriteOp } from '@asiointitili/core';

/** This process no longer holds (or never held) the worker lease it writes under. */
export class LeaseLostError extends Error {
  constructor(readonly lease: string) {
    super(`this process does not hold the "${lease}" lease (any more): another worker is active, this write is not made`);
    this.name = 'LeaseLostError';
  }
}

/** Where a worker's writes get their fence: undefined while no lease is in play (a test driving a follower by hand). */
export interface FenceSource {
  fence(): Fence | undefined;
}

/**
 * The fence of the runtime's followers. Followers are built when the runtime opens; the worker
 * attaches its lease when it starts, and from then on every write of theirs carries the lease's
 * epoch (or is refused with LeaseLostError while this process does not hold it).
 */
export class WorkerFencing implements FenceSource {
  private source: { fence(): Fence } | null = null;

  attach(source: { fence(): Fence }): void {
    this.source = source;
  }

  detach(): void {
    this.source = null;
  }

  fence(): Fence | undefined {
    return this.source?.fence();
  }
}

/** The read store as the followers of the log see it: every write fenced by the worker lease (see ReadStore.write). */
export class FencedReadStore implements ReadStore {
  constructor(
    private readonly inner: ReadStore,
    private readonly fences: FenceSource,
  ) {}

  async write(ops: readonly WriteOp[], checkpoint?: Checkpoint, fence?: Fence): Promise<void> {
    await this.inner.write(ops, checkpoint, fence ?? this.fences.fence());
  }

  ensureIndexes(specs: readonly IndexSpec[]): Promise<void> {
    return this.inner.ensureIndexes(specs);
  }

  get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    return this.inner.get<T>(collection, id);
  }

  getMany<T extends Doc>(collection: string, ids: readonly string[]): Promise<T[]> {
    return this.inner.getMany<T>(collection, ids);
  }

  find<T extends Doc>(collection: string, query: FindQuery): Promise<Page<T>> {
    return this.inner.find<T>(collection, query);
  }

  count(collection: string, where?: Readonly<Record<string, Scalar>>): Promise<number> {
    return this.inner.count(collection, where);
  }

  checkpoint(name: string): Promise<bigint | null> {
    return this.inner.checkpoint(name);
  }

  claimLease(name: string, holder: string, ttlMs: number, now: number, options?: ClaimLeaseOptions): Promise<Lease> {
    return this.inner.claimLease(name, holder, ttlMs, now, options);
  }

  releaseLease(name: string, holder: string, epoch: number): Promise<void> {
    return this.inner.releaseLease(name, holder, epoch);
  }

  beginGeneration(): Promise<ReadStoreGeneration> {
    return this.inner.beginGeneration();
  }

  ping(): Promise<boolean> {
    return this.inner.ping();
  }

  /** The runtime closes the store it owns; this view closes nothing. */
  async close(): Promise<void> {}
}
