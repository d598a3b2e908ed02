import { setTimeout as delay } from 'node:timers/promises';
import type { AnyBulkWriteOperation, Collection, Db, Document } from 'mongodb';
import { FencedOffError, type Checkpoint, type Doc, type Fence, type IndexSpec, type Lease, type SortKey, type WriteOp } from '@asiointitili/core';
import { assertNever } from '@asiointitili/domain/decider';
import { DuplicateKeyError } from '../errors';
import type { Filter } from '../shared/filters';
import { IndexRegistry, type RegisteredIndex } from '../shared/index-registry';
import type { KeysetClause } from '../shared/keyset';
import { decideClaim } from '../shared/leases';
import { generationOf, physicalCheckpoints, physicalCollection } from '../shared/names';
import type { ReadModelBackend, Scope } from '../shared/scoped-read-store';
import { and, filterQuery, keysetQuery, mongoField, sortSpec } from './mongo-query';
import { inRuns, statementsPerCommand } from './write-chunks';

export interface MongoBackendOptions {
  readonly db: Db;
  /**
   * How long a process trusts its cached active generation before reading `meta` again, and so
   * how long `activate` waits before dropping the old generation (other processes must have
   * switched first). Default 1000 ms.
   */
  readonly generationCacheMs?: number;
  /** Run by close(), e.g. to close the MongoClient the store owns. */
  readonly onClose?: () => Promise<void>;
}

interface StoredDoc {
  _id: string;
  [field: string]: unknown;
}

interface GenerationMeta {
  _id: string;
  active: number;
  latest: number;
}

interface StoredCheckpoint {
  _id: string;
  position: string;
  [FENCE_FIELD]?: number;
}

interface StoredLease {
  _id: string;
  holder: string;
  epoch: number;
  expiresAt: number;
}

/**
 * The epoch a fenced write stamps on each document and checkpoint it writes. A fenced write
 * matches a document only where this is not greater than its own epoch; with upsert, a document
 * stamped by a newer holder then makes the write fail with a duplicate `_id` instead of being
 * replaced. Read back, the field is dropped: readers never see it.
 */
const FENCE_FIELD = '_fence';
const LEASES_COLLECTION = 'leases';

const META_COLLECTION = 'meta';
const GENERATION_META_ID = 'generation';
const DUPLICATE_KEY = 11000;
const NAMESPACE_NOT_FOUND = 26;
/** Slack on top of the cache time before old collections are dropped: clocks and in-flight reads. */
const DROP_MARGIN_MS = 100;

/**
 * MongoDB (and FerretDB v1) storage for ScopedReadStore. Deliberately avoids what FerretDB v1
 * lacks: no transactions (a batch is one bulkWrite per collection, the collections side by side,
 * then the checkpoint;
 * projections are idempotent, so a crash in between re-applies), no arrayFilters, no `$` field
 * names (refused before writing), no change streams (other processes notice a new generation by
 * re-reading `meta`).
 */
export class MongoBackend implements ReadModelBackend {
  private readonly db: Db;
  private readonly generationCacheMs: number;
  private readonly onClose: (() => Promise<void>) | undefined;
  private readonly indexes = new IndexRegistry();
  /** Physical collections whose registered indexes have been created by this process. */
  private readonly indexed = new Set<string>();
  private cachedGeneration: { readonly generation: number; readonly readAt: number } | null = null;
  private pendingGeneration: Promise<number> | null = null;
  /** Asked of the server once (write-chunks.ts); forgotten when asking fails, so a later write asks again. */
  private statementsPerCommand: Promise<number> | null = null;

  constructor(options: MongoBackendOptions) {
    this.db = options.db;
    this.generationCacheMs = options.generationCacheMs ?? 1000;
    this.onClose = options.onClose;
  }

  async get(scope: Scope, collection: string, id: string): Promise<Doc | null> {
    const stored = await this.collection(await this.resolve(scope), collection).findOne({ _id: id });
    return stored ? fromStored(stored) : null;
  }

  async getMany(scope: Scope, collection: string, ids: readonly string[]): Promise<Doc[]> {
    const stored = await this.collection(await this.resolve(scope), collection).find({ _id: { $in: [...ids] } }).toArray();
    return stored.map(fromStored);
  }

  async find(scope: Scope, collection: string, filter: Filter, order: readonly SortKey[], after: readonly KeysetClause[] | null, limit: number): Promise<Doc[]> {
    const query = and(after ? [filterQuery(filter), keysetQuery(after)] : [filterQuery(filter)]);
    const stored = await this.collection(await this.resolve(scope), collection).find(query, { sort: sortSpec(order), limit }).toArray();
    return stored.map(fromStored);
  }

  async count(scope: Scope, collection: string, filter: Filter): Promise<number> {
    return this.collection(await this.resolve(scope), collection).countDocuments(filterQuery(filter));
  }

  /**
   * Without transactions, a fence is enforced per document: the lease is checked first (so a
   * holder that already lost it stops before writing anything), and every document and the
   * checkpoint carry the epoch, never replacing one stamped by a newer holder. A write that was
   * already under way when the lease moved on can still land on documents the new holder has not
   * written yet; those carry only events up to the old holder's batch, which the new holder (starting
   * from the stored checkpoint, which the old one could not advance) re-applies or skips by position.
   */
  async write(scope: Scope, ops: readonly WriteOp[], checkpoint: Checkpoint | undefined, fence?: Fence): Promise<void> {
    if (fence) await this.assertFence(fence);
    const generation = await this.resolve(scope);
    // Order matters only within a document, hence within a collection; grouping keeps that order.
    const byCollection = new Map<string, { operations: AnyBulkWriteOperation<StoredDoc>[]; ids: Set<string>; repeated: boolean }>();
    for (const op of ops) {
      let group = byCollection.get(op.collection);
      if (!group) byCollection.set(op.collection, (group = { operations: [], ids: new Set(), repeated: false }));
      const id = op.op === 'put' ? op.doc.id : op.id;
      group.repeated ||= group.ids.has(id);
      group.ids.add(id);
      group.operations.push(toBulkOperation(op, fence));
    }
    // Collections are independent: their bulk writes run side by side. Within one, a batch that
    // touches each document once (every projection batch) needs no order, so the server may apply
    // it unordered, in parallel; a repeated document, or a unique index whose first claim must win,
    // keeps the order.
    const outcomes = await Promise.allSettled(
      [...byCollection].map(async ([collection, { operations, repeated }]) => {
        await this.ensureIndexed(generation, collection);
        const ordered = repeated || this.indexes.forCollection(collection).some((index) => index.unique);
        try {
          // One command on MongoDB; on FerretDB runs of a few statements, one after another (write-chunks.ts).
          for (const run of inRuns(operations, await this.commandSize())) await this.collection(generation, collection).bulkWrite(run, { ordered });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          // A fenced write meets a document stamped by a newer holder as a duplicate _id.
          if (fence) await this.assertFence(fence);
          throw new DuplicateKeyError(collection, error);
        }
      }),
    );
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    if (checkpoint) {
      // Last, so a crash before it re-applies the batch rather than skipping it.
      const filter = fence ? { _id: checkpoint.name, [FENCE_FIELD]: { $not: { $gt: fence.epoch } } } : { _id: checkpoint.name };
      const replacement = fence ? { position: checkpoint.position.toString(), [FENCE_FIELD]: fence.epoch } : { position: checkpoint.position.toString() };
      try {
        await this.checkpoints(generation).replaceOne(filter, replacement, { upsert: true });
      } catch (error) {
        if (fence && isDuplicateKey(error)) throw new FencedOffError(fence, (await this.readLease(fence.lease))?.epoch ?? null);
        throw error;
      }
    }
  }

  async claimLease(name: string, holder: string, ttlMs: number, now: number, takeOverFrom: string | undefined): Promise<Lease> {
    // Compare-and-set on exactly what was read; a lost race reads again (a few rounds at most, as
    // each round someone else's claim succeeded).
    for (let round = 0; round < 5; round += 1) {
      const current = await this.readLease(name);
      const decision = decideClaim(current, name, holder, ttlMs, now, takeOverFrom);
      const { lease } = decision;
      if (decision.kind === 'held-by-other') return lease;
      const stored: StoredLease = { _id: name, holder: lease.holder, epoch: lease.epoch, expiresAt: lease.expiresAt };
      if (decision.kind === 'insert') {
        try {
          await this.leases().insertOne(stored);
          return lease;
        } catch (error) {
          if (isDuplicateKey(error)) continue;
          throw error;
        }
      }
      const result = await this.leases().replaceOne({ _id: name, holder: current!.holder, epoch: current!.epoch, expiresAt: current!.expiresAt }, stored);
      if (result.matchedCount === 1) return lease;
    }
    const settled = await this.readLease(name);
    if (!settled) throw new Error(`lease "${name}" vanished while being claimed`);
    return settled;
  }

  async releaseLease(name: string, holder: string, epoch: number): Promise<void> {
    await this.leases().updateOne({ _id: name, holder, epoch }, { $set: { expiresAt: 0 } });
  }

  private commandSize(): Promise<number> {
    this.statementsPerCommand ??= statementsPerCommand(this.db).catch((error: unknown) => {
      this.statementsPerCommand = null;
      throw error;
    });
    return this.statementsPerCommand;
  }

  private async assertFence(fence: Fence): Promise<void> {
    const current = await this.readLease(fence.lease);
    if (current?.epoch !== fence.epoch) throw new FencedOffError(fence, current?.epoch ?? null);
  }

  private async readLease(name: string): Promise<Lease | null> {
    const stored = await this.leases().findOne({ _id: name });
    return stored ? { name, holder: stored.holder, epoch: stored.epoch, expiresAt: stored.expiresAt } : null;
  }

  private leases(): Collection<StoredLease> {
    return this.db.collection<StoredLease>(LEASES_COLLECTION);
  }

  async checkpoint(scope: Scope, name: string): Promise<string | null> {
    const stored = await this.checkpoints(await this.resolve(scope)).findOne({ _id: name });
    return stored ? stored.position : null;
  }

  async ensureIndexes(scope: Scope, specs: readonly IndexSpec[]): Promise<void> {
    const indexes = this.indexes.register(specs);
    const generation = await this.resolve(scope);
    for (const index of indexes) await this.createIndex(physicalCollection(generation, index.collection), index);
  }

  async beginGeneration(): Promise<number> {
    await this.ensureGenerationMeta();
    // latest >= active always holds (activation only moves to a begun generation), so numbers are never reused.
    const meta = await this.meta().findOneAndUpdate({ _id: GENERATION_META_ID }, { $inc: { latest: 1 } }, { returnDocument: 'after' });
    if (!meta) throw new Error('read-model generation meta vanished');
    const generation = meta.latest;
    for (const collection of this.indexes.collections()) await this.ensureIndexed(generation, collection);
    return generation;
  }

  async activateGeneration(generation: number): Promise<void> {
    await this.ensureGenerationMeta();
    // Compare-and-set, without a transaction: only a newer, begun generation can become active.
    const result = await this.meta().updateOne(
      { _id: GENERATION_META_ID, active: { $lt: generation }, latest: { $gte: generation } },
      { $set: { active: generation } },
    );
    if (result.matchedCount !== 1) {
      const active = await this.readActiveGeneration();
      throw new Error(`read-model generation ${generation} cannot be activated (active generation is ${active})`);
    }
    this.cachedGeneration = { generation, readAt: Date.now() };
    // Readers in other processes trust their cached generation for generationCacheMs; drop the old
    // collections only once they have all moved on.
    await delay(this.generationCacheMs + DROP_MARGIN_MS);
    await this.dropCollections((collectionGeneration) => collectionGeneration < generation);
  }

  async discardGeneration(generation: number): Promise<void> {
    if (generation === (await this.readActiveGeneration())) throw new Error(`read-model generation ${generation} is active and cannot be discarded`);
    await this.dropCollections((collectionGeneration) => collectionGeneration === generation);
  }

  async ping(): Promise<boolean> {
    const reply = await this.db.command({ ping: 1 }, { timeoutMS: 2000 });
    return reply.ok === 1;
  }

  async close(): Promise<void> {
    await this.onClose?.();
  }

  /** Physical collection names, for tests and diagnostics. */
  async collectionNames(): Promise<string[]> {
    const listed = await this.db.listCollections({}, { nameOnly: true }).toArray();
    return listed.map((entry) => entry.name).sort();
  }

  private collection(generation: number, collection: string): Collection<StoredDoc> {
    // ignoreUndefined: an undefined member is left out, as JSON.stringify does in the embedded store.
    return this.db.collection<StoredDoc>(physicalCollection(generation, collection), { ignoreUndefined: true });
  }

  private checkpoints(generation: number): Collection<StoredCheckpoint> {
    return this.db.collection<StoredCheckpoint>(physicalCheckpoints(generation));
  }

  private meta(): Collection<GenerationMeta> {
    return this.db.collection<GenerationMeta>(META_COLLECTION);
  }

  private async resolve(scope: Scope): Promise<number> {
    if (scope.kind === 'pinned') return scope.generation;
    const cached = this.cachedGeneration;
    if (cached && Date.now() - cached.readAt < this.generationCacheMs) return cached.generation;
    // Concurrent callers share one meta read.
    this.pendingGeneration ??= this.readActiveGeneration()
      .then((generation) => {
        this.cachedGeneration = { generation, readAt: Date.now() };
        return generation;
      })
      .finally(() => {
        this.pendingGeneration = null;
      });
    return this.pendingGeneration;
  }

  private async readActiveGeneration(): Promise<number> {
    const meta = await this.meta().findOne({ _id: GENERATION_META_ID });
    return meta ? meta.active : 1;
  }

  private async ensureGenerationMeta(): Promise<void> {
    try {
      await this.meta().updateOne({ _id: GENERATION_META_ID }, { $setOnInsert: { active: 1, latest: 1 } }, { upsert: true });
    } catch (error) {
      // Two processes upserting at once: the other one created it.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  private async ensureIndexed(generation: number, collection: string): Promise<void> {
    const physical = physicalCollection(generation, collection);
    if (this.indexed.has(physical)) return;
    for (const index of this.indexes.forCollection(collection)) await this.createIndex(physical, index);
    this.indexed.add(physical);
  }

  private async createIndex(physical: string, index: RegisteredIndex): Promise<void> {
    const keys: Document = {};
    for (const key of index.fields) keys[mongoField(key.field)] = key.direction === 'asc' ? 1 : -1;
    try {
      // Only `unique` and `name`: FerretDB v1 has no partialFilterExpression or collation (code 238).
      await this.db.collection(physical).createIndex(keys, { unique: index.unique, name: index.key });
    } catch (error) {
      throw isDuplicateKey(error) || isFerretDbUniqueIndexFailure(error) ? new DuplicateKeyError(index.collection, error) : error;
    }
  }

  private async dropCollections(shouldDrop: (generation: number) => boolean): Promise<void> {
    for (const name of await this.collectionNames()) {
      const generation = generationOf(name);
      if (generation === null || !shouldDrop(generation)) continue;
      try {
        await this.db.dropCollection(name);
      } catch (error) {
        if ((error as { code?: unknown }).code !== NAMESPACE_NOT_FOUND) throw error;
      }
      this.indexed.delete(name);
    }
  }
}

function toBulkOperation(op: WriteOp, fence: Fence | undefined): AnyBulkWriteOperation<StoredDoc> {
  const notNewer = fence ? { [FENCE_FIELD]: { $not: { $gt: fence.epoch } } } : {};
  switch (op.op) {
    case 'put': {
      const replacement = fence ? { ...toStored(op.doc), [FENCE_FIELD]: fence.epoch } : toStored(op.doc);
      return { replaceOne: { filter: { _id: op.doc.id, ...notNewer }, replacement, upsert: true } };
    }
    case 'delete':
      return { deleteOne: { filter: { _id: op.id, ...notNewer } } };
    default:
      return assertNever(op);
  }
}

/** The document id lives in `_id`; the rest is stored as given (already checked to be plain JSON). */
function toStored(doc: Doc): Omit<StoredDoc, '_id'> {
  const { id: _id, ...rest } = doc;
  return rest;
}

function fromStored(stored: StoredDoc): Doc {
  const { _id, [FENCE_FIELD]: _fence, ...rest } = stored;
  return { id: _id, ...rest };
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

/**
 * FerretDB v1 quirk: building a unique index over duplicate values fails with InternalError (code 1)
 * carrying SQLite's "UNIQUE constraint failed", where MongoDB answers DuplicateKey (11000).
 */
function isFerretDbUniqueIndexFailure(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === 1 && error.message.includes('UNIQUE constraint failed');
}
