import type { Doc, IndexSpec, RecordedEvent, WriteOp } from '@asiointitili/core';

/**
 * A projection turns events into read-model documents. It reads and writes through a
 * ProjectionBatch so that many events are applied in memory and written once.
 *
 * Idempotency: every document a projection writes carries `lastPosition` (the padded global
 * position of the last event applied to it) and `applies()` refuses events at or before it, so
 * a replayed event changes nothing.
 */
export interface Projection {
  readonly name: string;
  readonly indexes: readonly IndexSpec[];
  apply(event: RecordedEvent, batch: ProjectionBatch): Promise<void>;
}

export interface ProjectionBatch {
  get<T extends Doc>(collection: string, id: string): Promise<T | null>;
  put(collection: string, doc: Doc): void;
  delete(collection: string, id: string): void;
}

export interface PositionedDoc extends Doc {
  readonly lastPosition: string;
}

/** Whether an event at `position` is new for a document that has seen up to `doc.lastPosition`. */
export function isNewFor(doc: PositionedDoc | null, position: string): boolean {
  return doc === null || doc.lastPosition < position;
}

export type { Doc, WriteOp };
