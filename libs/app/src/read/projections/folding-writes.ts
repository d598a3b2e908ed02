import type { Checkpoint, Doc, ReadStore, WriteOp } from '@asiointitili/core';
import type { ProjectionBatch } from './projection';
import { WrittenIds } from './written-ids';

/**
 * The ProjectionBatch of a rebuild into a fresh, empty generation: events are folded in memory per
 * document over a whole window (thousands of events), and each touched document is written once
 * per window, in one read-store write with the checkpoint.
 *
 * Because the generation started empty, a document that this rebuild never wrote does not exist:
 * such reads are answered from memory without asking the store. Only a document that an earlier
 * window may have written (its id is remembered in a Bloom filter, not its content) is read back,
 * once per window.
 */
export class FoldingWrites implements ProjectionBatch {
  private pending = new Map<string, Map<string, Doc | null>>();
  /** Ids written to the store by earlier windows, per collection (a "maybe" may be wrong, a "no" never is). */
  private readonly written = new Map<string, WrittenIds>();
  private documentsWritten = 0;

  constructor(private readonly store: ReadStore) {}

  /** Documents put or deleted in the current window. */
  get touched(): number {
    let n = 0;
    for (const docs of this.pending.values()) n += docs.size;
    return n;
  }

  /** Documents written to the store so far (a document written in two windows counts twice). */
  get writes(): number {
    return this.documentsWritten;
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const inWindow = this.pending.get(collection);
    if (inWindow?.has(id)) return (inWindow.get(id) ?? null) as T | null;
    if (!this.written.get(collection)?.mightHave(id)) return null;
    return this.store.get<T>(collection, id);
  }

  put(collection: string, doc: Doc): void {
    this.collection(collection).set(doc.id, doc);
  }

  delete(collection: string, id: string): void {
    this.collection(collection).set(id, null);
  }

  /** Writes every document touched in this window once, with the checkpoint, and starts a new window. */
  async flush(checkpoint: Checkpoint): Promise<void> {
    const ops: WriteOp[] = [];
    for (const [collection, docs] of this.pending) {
      let written = this.written.get(collection);
      if (!written) this.written.set(collection, (written = new WrittenIds()));
      for (const [id, doc] of docs) {
        if (doc) {
          ops.push({ op: 'put', collection, doc });
          written.add(id);
        } else if (written.mightHave(id)) {
          // Deleting what the store never held would change nothing (and a delete of an id the
          // filter wrongly "maybe" holds deletes nothing); a deleted id stays "maybe" in the filter.
          ops.push({ op: 'delete', collection, id });
        }
      }
    }
    await this.store.write(ops, checkpoint);
    this.documentsWritten += ops.length;
    this.pending = new Map();
  }

  private collection(name: string): Map<string, Doc | null> {
    let docs = this.pending.get(name);
    if (!docs) this.pending.set(name, (docs = new Map()));
    return docs;
  }
}
