import type {
  Checkpoint,
  ClaimLeaseOptions,
  Fence,
  Lease,
  Doc,
  FindQuery,
  IndexSpec,
  Page,
  ReadStore,
  ReadStoreGeneration,
  Scalar,
  SortKey,
  WriteOp,
} from '@asiointitili/core';
import { assertNever } from '@asiointitili/domain/decider';
import { assertCheckpoint, assertCheckpointName, parsePosition } from './checkpoints';
import { normalizeFilter, type Filter } from './filters';
import { assertLimit, decodeCursor, encodeCursor, keysetClauses, sortValuesOf, totalOrder, type KeysetClause } from './keyset';
import { assertCollectionName } from './names';
import { assertStorableDoc } from './validate-doc';

/** Which generation an operation works on: whatever is active at that moment, or a fixed one (a rebuild). */
export type Scope = { readonly kind: 'active' } | { readonly kind: 'pinned'; readonly generation: number };

export const ACTIVE_SCOPE: Scope = { kind: 'active' };

type Awaitable<T> = T | Promise<T>;

/**
 * What an adapter implements: storage only, on already-checked input. Everything the contract
 * promises about input checking, cursors and pages lives once, in ScopedReadStore.
 */
export interface ReadModelBackend {
  get(scope: Scope, collection: string, id: string): Awaitable<Doc | null>;
  /** Matching documents in any order; ids are distinct. */
  getMany(scope: Scope, collection: string, ids: readonly string[]): Awaitable<Doc[]>;
  /** Up to `limit` documents in `order`, strictly after the keyset clauses when given. */
  find(scope: Scope, collection: string, filter: Filter, order: readonly SortKey[], after: readonly KeysetClause[] | null, limit: number): Awaitable<Doc[]>;
  count(scope: Scope, collection: string, filter: Filter): Awaitable<number>;
  write(scope: Scope, ops: readonly WriteOp[], checkpoint: Checkpoint | undefined, fence?: Fence): Awaitable<void>;
  claimLease(name: string, holder: string, ttlMs: number, now: number, takeOverFrom: string | undefined): Awaitable<Lease>;
  releaseLease(name: string, holder: string, epoch: number): Awaitable<void>;
  /** The stored decimal position, or null. */
  checkpoint(scope: Scope, name: string): Awaitable<string | null>;
  ensureIndexes(scope: Scope, specs: readonly IndexSpec[]): Awaitable<void>;
  beginGeneration(): Awaitable<number>;
  activateGeneration(generation: number): Awaitable<void>;
  discardGeneration(generation: number): Awaitable<void>;
  ping(): Awaitable<boolean>;
  close(): Awaitable<void>;
}

/**
 * The ReadStore port over a backend, for one scope. The adapters' public classes extend it with
 * the active scope; `beginGeneration` hands out instances pinned to the new generation, which
 * share the backend (and its connection) and so must not close it.
 */
export class ScopedReadStore implements ReadStore {
  private retired: string | null = null;

  constructor(
    private readonly backend: ReadModelBackend,
    private readonly scope: Scope = ACTIVE_SCOPE,
  ) {}

  async ensureIndexes(specs: readonly IndexSpec[]): Promise<void> {
    this.assertUsable();
    await this.backend.ensureIndexes(this.scope, specs);
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    this.assertUsable();
    assertCollectionName(collection);
    if (typeof id !== 'string') throw new TypeError('id must be a string');
    return (await this.backend.get(this.scope, collection, id)) as T | null;
  }

  /** The documents found, in the order of `ids`; missing ids are left out and repeated ids give one document. */
  async getMany<T extends Doc>(collection: string, ids: readonly string[]): Promise<T[]> {
    this.assertUsable();
    assertCollectionName(collection);
    if (!ids.every((id) => typeof id === 'string')) throw new TypeError('ids must be strings');
    const distinct = [...new Set(ids)];
    if (distinct.length === 0) return [];
    const found = new Map((await this.backend.getMany(this.scope, collection, distinct)).map((doc) => [doc.id, doc]));
    return distinct.flatMap((id) => (found.has(id) ? [found.get(id) as T] : []));
  }

  async find<T extends Doc>(collection: string, query: FindQuery): Promise<Page<T>> {
    this.assertUsable();
    assertCollectionName(collection);
    assertLimit(query.limit);
    const order = totalOrder(query.orderBy);
    const filter = normalizeFilter(query.where, query.whereIn);
    const cursor = query.cursor;
    if (query.after !== undefined && cursor !== undefined && cursor !== null) throw new TypeError('give either cursor or after, not both');
    const resumeAfter = query.after !== undefined ? checkedAfter(order, query.after) : cursor === undefined || cursor === null ? null : decodeCursor(collection, order, cursor);
    const after = resumeAfter === null ? null : keysetClauses(order, resumeAfter);
    // One extra document tells whether another page exists, so the last page says `next: null`
    // even when it is exactly full.
    const docs = await this.backend.find(this.scope, collection, filter, order, after, query.limit + 1);
    const items = docs.slice(0, query.limit) as T[];
    const next = docs.length > query.limit ? encodeCursor(collection, order, sortValuesOf(items[items.length - 1], order)) : null;
    return { items, next };
  }

  async count(collection: string, where?: Readonly<Record<string, Scalar>>): Promise<number> {
    this.assertUsable();
    assertCollectionName(collection);
    return this.backend.count(this.scope, collection, normalizeFilter(where));
  }

  async write(ops: readonly WriteOp[], checkpoint?: Checkpoint, fence?: Fence): Promise<void> {
    this.assertUsable();
    // Everything is checked before anything is written, so a bad document never half-applies a batch.
    ops.forEach(assertWriteOp);
    if (checkpoint) assertCheckpoint(checkpoint);
    if (fence) assertFence(fence);
    if (ops.length === 0 && !checkpoint) return;
    await this.backend.write(this.scope, ops, checkpoint, fence);
  }

  async claimLease(name: string, holder: string, ttlMs: number, now: number, options: ClaimLeaseOptions = {}): Promise<Lease> {
    this.assertUsable();
    assertLeaseName(name);
    if (typeof holder !== 'string' || holder.length === 0 || holder.length > 200) throw new TypeError('lease holder must be a non-empty string of at most 200 characters');
    if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) throw new RangeError(`lease ttl must be a positive whole number of ms, got ${ttlMs}`);
    if (!Number.isSafeInteger(now) || now < 0) throw new RangeError(`lease time must be ms since 1970, got ${now}`);
    return this.backend.claimLease(name, holder, ttlMs, now, options.takeOverFrom);
  }

  async releaseLease(name: string, holder: string, epoch: number): Promise<void> {
    this.assertUsable();
    assertLeaseName(name);
    await this.backend.releaseLease(name, holder, epoch);
  }

  async checkpoint(name: string): Promise<bigint | null> {
    this.assertUsable();
    assertCheckpointName(name);
    const stored = await this.backend.checkpoint(this.scope, name);
    return stored === null ? null : parsePosition(stored);
  }

  async beginGeneration(): Promise<ReadStoreGeneration> {
    this.assertUsable();
    if (this.scope.kind === 'pinned') throw new Error('begin a new generation from the main read store, not from a generation');
    const generation = await this.backend.beginGeneration();
    return new BackendGeneration(this.backend, generation);
  }

  async ping(): Promise<boolean> {
    try {
      return await this.backend.ping();
    } catch {
      return false;
    }
  }

  /** Closes the backend; a generation's view shares it with the main store and leaves it open. */
  async close(): Promise<void> {
    if (this.scope.kind === 'pinned') return;
    await this.backend.close();
  }

  /** @internal Called when the generation this view writes to is discarded. */
  retire(reason: string): void {
    this.retired = reason;
  }

  private assertUsable(): void {
    if (this.retired) throw new Error(this.retired);
  }
}

function assertLeaseName(name: string): void {
  if (typeof name !== 'string' || !/^[A-Za-z0-9:_-]{1,100}$/.test(name)) throw new TypeError(`lease name must be 1-100 letters, digits, ":", "_" or "-", got ${JSON.stringify(name)}`);
}

function assertFence(fence: Fence): void {
  assertLeaseName(fence.lease);
  if (!Number.isSafeInteger(fence.epoch) || fence.epoch < 1) throw new RangeError(`fence epoch must be a positive whole number, got ${fence.epoch}`);
}

function assertWriteOp(op: WriteOp): void {
  assertCollectionName(op.collection);
  switch (op.op) {
    case 'put':
      assertStorableDoc(op.collection, op.doc);
      return;
    case 'delete':
      if (typeof op.id !== 'string') throw new TypeError('delete needs a string id');
      return;
    default:
      assertNever(op);
  }
}

class BackendGeneration implements ReadStoreGeneration {
  readonly store: ScopedReadStore;
  private state: 'open' | 'activated' | 'discarded' = 'open';

  constructor(private readonly backend: ReadModelBackend, readonly generation: number) {
    this.store = new ScopedReadStore(backend, { kind: 'pinned', generation });
  }

  async activate(): Promise<void> {
    if (this.state !== 'open') throw new Error(`read-model generation ${this.generation} was already ${this.state}`);
    await this.backend.activateGeneration(this.generation);
    // The view stays usable: it now writes to the generation every reader sees.
    this.state = 'activated';
  }

  async discard(): Promise<void> {
    if (this.state === 'discarded') return;
    if (this.state === 'activated') throw new Error(`read-model generation ${this.generation} is active and cannot be discarded`);
    // Retire first: a write racing the drop must not recreate the generation's tables.
    this.store.retire(`read-model generation ${this.generation} was discarded`);
    await this.backend.discardGeneration(this.generation);
    this.state = 'discarded';
  }
}

/** `after` values must match the total order one to one, and be scalars, as a decoded cursor would. */
function checkedAfter(order: readonly SortKey[], after: readonly Scalar[]): readonly Scalar[] {
  if (!Array.isArray(after) || after.length !== order.length) throw new TypeError(`after needs ${order.length} values: the orderBy fields, then id`);
  for (const value of after) {
    const scalar = value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!scalar) throw new TypeError('after values must be scalars');
  }
  return after;
}
