import type { RecordedEvent } from '@asiointitili/core';
import type { MandateEnded, MandateRecorded } from '@asiointitili/domain';
import { padPosition } from '../read/position';
import { Collections } from '../read/projections/collections';
import { isNewFor, type PositionedDoc, type Projection, type ProjectionBatch } from '../read/projections/projection';

/** One mandate, keyed by its id, looked up by the agent's citizenRef. */
export interface MandateDoc extends PositionedDoc {
  readonly agentRef: string;
  readonly principalRef: string;
  readonly mandate: MandateRecorded['data'];
  readonly endedAt?: string;
}

/** The embedded mandate register's index: whom each agent may act for. */
export const mandatesProjection: Projection = {
  name: 'mandates',
  indexes: [{ collection: Collections.mandates, fields: [{ field: 'agentRef', direction: 'asc' }] }],
  async apply(event: RecordedEvent, batch: ProjectionBatch): Promise<void> {
    if (event.type !== 'MandateRecorded' && event.type !== 'MandateEnded') return;
    const position = padPosition(event.position);
    if (event.type === 'MandateRecorded') {
      const data = event.data as MandateRecorded['data'];
      const existing = await batch.get<MandateDoc>(Collections.mandates, data.mandateId);
      if (!isNewFor(existing, position)) return;
      batch.put(Collections.mandates, { id: data.mandateId, agentRef: data.agentRef, principalRef: data.principalRef, mandate: data, lastPosition: position });
      return;
    }
    const data = event.data as MandateEnded['data'];
    const existing = await batch.get<MandateDoc>(Collections.mandates, data.mandateId);
    if (existing === null || !isNewFor(existing, position)) return;
    batch.put(Collections.mandates, { ...existing, endedAt: data.endedAt, lastPosition: position });
  },
};
