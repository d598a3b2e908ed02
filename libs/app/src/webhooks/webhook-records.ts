import type { RecordedEvent } from '@asiointitili/core';
import type { WebhookRemoved, WebhookSubscribed } from '@asiointitili/domain';
import { padPosition } from '../read/position';
import { Collections } from '../read/projections/collections';
import { isNewFor, type PositionedDoc, type Projection } from '../read/projections/projection';

/** One agency webhook as the dispatcher and the list need it (projected from the agency stream). */
export interface WebhookDoc extends PositionedDoc {
  readonly agencyId: string;
  readonly url: string;
  readonly active: boolean;
  readonly subscribedAt: string;
  readonly removedAt?: string;
  /** Padded position of the subscription: a new webhook receives the feed items recorded after it. */
  readonly startAfter: string;
}

/**
 * Where one webhook's deliveries stand. Not a projection: it records what a receiver answered,
 * which is no event of the log, so a rebuild carries it over (read/rebuild.ts).
 */
export interface WebhookDeliveryDoc {
  readonly id: string;
  /** Padded position of the last feed item the receiver took (2xx); absent before the first. */
  readonly cursor?: string;
  readonly delivered: number;
  readonly lastDeliveredAt?: string;
  /** Failed attempts since the last success: 0 while the receiver keeps up. */
  readonly failures: number;
  readonly nextAttemptAt?: string;
  readonly lastFailure?: { readonly at: string; readonly status?: number; readonly reason: string; readonly feedCursor: string };
  readonly [field: string]: unknown;
}

export const OPERATIONAL_WEBHOOK_COLLECTIONS = [Collections.webhookDeliveries] as const;

export const webhooksProjection: Projection = {
  name: 'webhooks',
  indexes: [{ collection: Collections.webhooks, fields: [{ field: 'active', direction: 'asc' }, { field: 'agencyId', direction: 'asc' }] }],
  async apply(event: RecordedEvent, batch): Promise<void> {
    if (event.type !== 'WebhookSubscribed' && event.type !== 'WebhookRemoved') return;
    const position = padPosition(event.position);
    if (event.type === 'WebhookSubscribed') {
      const data = event.data as WebhookSubscribed['data'];
      const existing = await batch.get<WebhookDoc>(Collections.webhooks, data.webhookId);
      if (!isNewFor(existing, position)) return;
      const doc: WebhookDoc = { id: data.webhookId, agencyId: data.agencyId, url: data.url, active: true, subscribedAt: data.subscribedAt, startAfter: position, lastPosition: position };
      batch.put(Collections.webhooks, doc);
      return;
    }
    const data = event.data as WebhookRemoved['data'];
    const existing = await batch.get<WebhookDoc>(Collections.webhooks, data.webhookId);
    if (!existing || !isNewFor(existing, position)) return;
    batch.put(Collections.webhooks, { ...existing, active: false, removedAt: data.removedAt, lastPosition: position });
  },
};
