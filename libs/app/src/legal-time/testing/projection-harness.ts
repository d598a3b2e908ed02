import type { Doc, RecordedEvent } from '@asiointitili/core';
import type { DomainEvent } from '@asiointitili/domain';
import type { Projection, ProjectionBatch } from '../../read/projections/projection';

/** A read store reduced to what a projection sees: collections of documents in memory. */
export class MemoryBatch implements ProjectionBatch {
  readonly collections = new Map<string, Map<string, Doc>>();

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    return (this.collections.get(collection)?.get(id) as T | undefined) ?? null;
  }

  put(collection: string, doc: Doc): void {
    let docs = this.collections.get(collection);
    if (!docs) this.collections.set(collection, (docs = new Map()));
    docs.set(doc.id, structuredClone(doc));
  }

  delete(collection: string, id: string): void {
    this.collections.get(collection)?.delete(id);
  }

  docs<T extends Doc>(collection: string): T[] {
    return [...(this.collections.get(collection)?.values() ?? [])].sort((a, b) => a.id.localeCompare(b.id)) as T[];
  }
}

/** Domain events as the log would deliver them: global positions 1, 2, 3… and stable ids. */
export function recorded(events: readonly DomainEvent[], stream = 'message-m'): RecordedEvent[] {
  return events.map((event, i) => ({
    id: `event-${i + 1}`,
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    stream,
    revision: BigInt(i),
    position: BigInt(i + 1),
    metadata: {
      actor: { type: 'system', id: 'test' },
      correlationId: 'correlation-1',
      causationId: 'correlation-1',
      occurredAt: '2025-11-24T10:00:00.000Z',
      schemaVersion: 1,
      prevHash: '0'.repeat(64),
      hash: '0'.repeat(64),
    },
  }));
}

/** Applies events to a batch, one at a time, as the projection runner does. */
export async function project(projection: Projection, events: readonly RecordedEvent[], batch = new MemoryBatch()): Promise<MemoryBatch> {
  for (const event of events) await projection.apply(event, batch);
  return batch;
}
