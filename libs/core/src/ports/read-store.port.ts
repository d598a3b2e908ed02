/**
 * The read-model store port: named collections of JSON documents written only by projections,
 * read by the query side. Adapters: embedded (SQLite file in DATA_DIR) and MongoDB (also
 * FerretDB v1: so no transactions, no arrayFilters, no field names starting with `$`).
 *
 * Idempotency lives in the projections (each document remembers the last global position
 * applied to it, see libs/app/src/projections); the store offers plain put/delete, batched, with
 * the checkpoint written last in the same batch so a crash re-applies rather than skips.
 */

export type Scalar = string | number | boolean | null;

/** Every stored document has a string `id`, unique within its collection. */
export interface Doc {
  readonly id: string;
  readonly [field: string]: unknown;
}

export interface SortKey {
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}

export interface FindQuery {
  /** Equality on top-level scalar fields; all must match. */
  readonly where?: Readonly<Record<string, Scalar>>;
  /** `in` on one top-level field: matches any of the values (e.g. bulk recipient checks). */
  readonly whereIn?: { readonly field: string; readonly values: readonly Scalar[] };
  /**
   * Order of the results. The adapter appends `id` (same direction as the last key) so the order
   * is total and keyset cursors are stable under concurrent inserts.
   */
  readonly orderBy: readonly SortKey[];
  readonly limit: number;
  /** Opaque cursor from a previous page's `next`. */
  readonly cursor?: string | null;
  /**
   * Instead of `cursor`: start strictly after these values of the total order (the orderBy fields,
   * then `id`). For lists whose own items carry a resumable position, such as the agency feed.
   */
  readonly after?: readonly Scalar[];
}

export interface Page<T> {
  readonly items: T[];
  /** Cursor for the following page, or null when this page was the last. */
  readonly next: string | null;
}

export interface IndexSpec {
  readonly collection: string;
  readonly fields: readonly SortKey[];
  readonly unique?: boolean;
  /**
   * A hint for a collection read page by page along this index (the inbox): the embedded store
   * keeps the whole document in the index too, so a page is read from consecutive index pages
   * instead of one table page per document. Costs the documents' size once more on disk and at
   * every write. The MongoDB store ignores it: its indexes and their names stay as they were.
   */
  readonly covering?: boolean;
}

export type WriteOp =
  | { readonly op: 'put'; readonly collection: string; readonly doc: Doc }
  | { readonly op: 'delete'; readonly collection: string; readonly id: string };

export interface Checkpoint {
  readonly name: string;
  readonly position: bigint;
}

/**
 * A lease held by one process at a time (the active worker of a fleet). `epoch` goes up by one
 * every time the lease changes hands and is the fencing token: writes carrying an older epoch
 * are refused by the store itself (see `write`), so a holder that was paused past its lease
 * cannot overwrite what the next holder wrote.
 */
export interface Lease {
  readonly name: string;
  readonly holder: string;
  readonly epoch: number;
  /** Milliseconds since 1970 (the claimant's clock) after which another process may take it over. */
  readonly expiresAt: number;
}

/** Attached to a write: "only if lease `lease` is still at `epoch`". */
export interface Fence {
  readonly lease: string;
  readonly epoch: number;
}

/** A fenced write refused: the lease moved on to a newer epoch (another process holds it). Nothing of the write was applied that a newer holder wrote. */
export class FencedOffError extends Error {
  constructor(
    readonly fence: Fence,
    readonly current: number | null,
  ) {
    super(`lease "${fence.lease}" is at epoch ${current ?? 'none'}, not ${fence.epoch}: another process holds it, this write was refused`);
    this.name = 'FencedOffError';
  }
}

export interface ClaimLeaseOptions {
  /** Take the lease over from this holder even before it expires (it is known to be dead, e.g. its process is gone). */
  readonly takeOverFrom?: string;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

export interface ReadStore {
  /** Creates indexes (idempotent; called at start). */
  ensureIndexes(specs: readonly IndexSpec[]): Promise<void>;
  get<T extends Doc>(collection: string, id: string): Promise<T | null>;
  getMany<T extends Doc>(collection: string, ids: readonly string[]): Promise<T[]>;
  /** Throws InvalidCursorError for a cursor it did not issue for this collection and order. */
  find<T extends Doc>(collection: string, query: FindQuery): Promise<Page<T>>;
  count(collection: string, where?: Readonly<Record<string, Scalar>>): Promise<number>;
  /**
   * Applies the operations in order, then stores the checkpoint (if given). Embedded: one
   * transaction. MongoDB: one bulk write per collection (unordered when no document repeats and no
   * unique index is involved), then the checkpoint.
   * With a fence, the write is refused with FencedOffError when the lease has moved past the
   * fence's epoch. Embedded: checked inside the transaction, so all or nothing. MongoDB (no
   * transactions): every document and the checkpoint are stamped with the epoch and a write
   * never replaces a document stamped with a newer one, so an old holder cannot undo a newer
   * holder's work even if its write was already under way when it lost the lease.
   */
  write(ops: readonly WriteOp[], checkpoint?: Checkpoint, fence?: Fence): Promise<void>;
  /**
   * Takes the lease `name` for `holder` when nobody has it or it expired before `now` (the epoch
   * goes up by one), or renews it (same epoch) when `holder` has it. Compare-and-set, so of
   * concurrent claimants exactly one wins. Returns the lease as it stands afterwards: held by
   * `holder` or by someone else. Leases are never deleted, so epochs never repeat.
   */
  claimLease(name: string, holder: string, ttlMs: number, now: number, options?: ClaimLeaseOptions): Promise<Lease>;
  /** Lets the lease expire at once if `holder` still has it at `epoch` (a clean shutdown: a standby takes over without waiting). */
  releaseLease(name: string, holder: string, epoch: number): Promise<void>;
  checkpoint(name: string): Promise<bigint | null>;
  /**
   * Rebuild support: a view of the same store whose collections (and checkpoints) live in a
   * fresh generation, invisible to readers until `activate` swaps it in and drops the old one.
   */
  beginGeneration(): Promise<ReadStoreGeneration>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface ReadStoreGeneration {
  readonly generation: number;
  readonly store: ReadStore;
  /** Makes this generation the one every reader sees, then drops the previous one. */
  activate(): Promise<void>;
  /** Drops this generation without activating it. */
  discard(): Promise<void>;
}

export const READ_STORE = Symbol('READ_STORE');
