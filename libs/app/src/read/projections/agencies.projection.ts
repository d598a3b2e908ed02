import type { RecordedEvent } from '@asiointitili/core';
import type { AgencyRegistered } from '@asiointitili/domain';
import { padPosition } from '../position';
import { Collections } from './collections';
import { isNewFor, type PositionedDoc, type Projection, type ProjectionBatch } from './projection';

export interface AgencyDoc extends PositionedDoc {
  readonly name: string;
  readonly businessId: string;
  readonly registeredAt: string;
}

/** Registered agencies, for the admin and for validating consents in lists. */
export const agenciesProjection: Projection = {
  name: 'agencies',
  indexes: [],
  async apply(event: RecordedEvent, batch: ProjectionBatch): Promise<void> {
    if (event.type !== 'AgencyRegistered') return;
    const data = event.data as AgencyRegistered['data'];
    const position = padPosition(event.position);
    const existing = await batch.get<AgencyDoc>(Collections.agencies, data.agencyId);
    if (!isNewFor(existing, position)) return;
    batch.put(Collections.agencies, { id: data.agencyId, name: data.name, businessId: data.businessId, registeredAt: data.registeredAt, lastPosition: position });
  },
};
