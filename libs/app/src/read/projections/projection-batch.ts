import type { Doc, ReadStore, WriteOp } from '@asiointitili/core';
import type { ProjectionBatch } from './projection';

/**
 * Collects the writes of one batch of events. Reads see the batch's own pending writes first, so
 * several events touching the same document in one batch fold correctly before a single write.
 */
export class PendingWrites implements ProjectionBatch {
  private readonly pending = new Map<string, Map<string, Doc | null>>();

  constructor(private readonly store: ReadStore) {}

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const inBatch = this.pending.get(collection);
    if (inBatch?.has(id)) return (inBatch.get(id) ?? null) as T | null;
    return this.store.get<T>(collection, id);
  }

  put(collection: string, doc: Doc): void {
    this.collection(collection).set(doc.id, doc);
  }

  delete(collection: string, id: string): void {
    this.collection(collection).set(id, null);
  }

  /** Last write per document wins; insertion order is kept, which keeps bulk writes ordered. */
  operations(): WriteOp[] {
    const ops: WriteOp[] = [];
    for (const [collection, docs] of this.pending) {
      for (const [id, doc] of docs) ops.push(doc ? { op: 'put', collection, doc } : { op: 'delete', collection, id });
    }
    return ops;
  }

  private collection(name: string): Map<string, Doc | null> {
    let docs = this.pending.get(name);
    if (!docs) this.pending.set(name, (docs = new Map()));
    return docs;
  }
}
