import type { RecordedEvent } from '@asiointitili/core';
import type { ActedOnBehalf, ActOnBehalf, ApplicationSubmitted } from '@asiointitili/domain';
import type { ApplicationDoc } from '../../two-way/applications.projection';
import { padPosition } from '../position';
import { Collections } from './collections';
import type { MessageDoc } from './messages.projection';
import type { Doc, Projection, ProjectionBatch } from './projection';

/**
 * Feed item types (API.md: sent, routed to paper, read, acknowledged, deemed served, reminded, paper
 * fallback, reply, application, published, cancelled, reply-overdue, notification-failed,
 * acted-on-behalf). One item per event, so every item has its own log position (its cursor).
 */
const FEED_TYPE_OF_EVENT = {
  MessageSent: 'sent',
  MessageRoutedToPaper: 'routed-to-paper',
  MessageRead: 'read',
  ReceiptAcknowledged: 'acknowledged',
  MessageDeemedServed: 'deemed-served',
  ReminderSent: 'reminded',
  PaperFallbackTriggered: 'paper-fallback',
  MessageHandedToPrint: 'handed-to-print',
  ReplySent: 'reply',
  MessagePublished: 'published',
  MessageCancelled: 'cancelled',
  ReplyOverdue: 'reply-overdue',
  NotificationFailed: 'notification-failed',
  ApplicationSubmitted: 'application',
  // An act by someone acting for the recipient: its own event beside the act's (ActedOnBehalf).
  ActedOnBehalf: 'acted-on-behalf',
} as const;

export type FeedItemType = (typeof FEED_TYPE_OF_EVENT)[keyof typeof FEED_TYPE_OF_EVENT];

/** Every type a feed item can have, in the order above (the OpenAPI document's enum). */
export const FEED_ITEM_TYPES: readonly FeedItemType[] = Object.values(FEED_TYPE_OF_EVENT);

const feedTypeOf = (eventType: string): FeedItemType | undefined =>
  Object.hasOwn(FEED_TYPE_OF_EVENT, eventType) ? FEED_TYPE_OF_EVENT[eventType as keyof typeof FEED_TYPE_OF_EVENT] : undefined;

export interface FeedItemDoc extends Doc {
  readonly agencyId: string;
  /** Padded global position: the feed's order and its resumable cursor. */
  readonly seq: string;
  readonly type: string;
  readonly messageId?: string;
  readonly applicationId?: string;
  readonly replyId?: string;
  readonly externalId?: string;
  readonly at: string;
  /** The act was done on the recipient's behalf (13/2003 §18) under this mandate. */
  readonly actingFor?: { readonly mandateId: string; readonly relation: string };
  /** `acted-on-behalf` items: which act the agent did (read, acknowledged, replied, applied). */
  readonly act?: ActOnBehalf;
}

/**
 * Each agency's event feed. One document per event, keyed by global position, so replaying an
 * event rewrites the same document (idempotent by construction). Runs after the messages and
 * applications projections in the same batch, which it reads to find the message's (or the
 * application's) agency.
 */
export const agencyFeedProjection: Projection = {
  name: 'agency-feed',
  indexes: [{ collection: Collections.agencyFeed, fields: [{ field: 'agencyId', direction: 'asc' }, { field: 'seq', direction: 'asc' }] }],
  async apply(event: RecordedEvent, batch: ProjectionBatch): Promise<void> {
    const type = feedTypeOf(event.type);
    if (!type) return;
    const seq = padPosition(event.position);
    const at = event.metadata.occurredAt;
    const onBehalf = event.metadata.actor.actingFor;
    const actingFor = onBehalf === undefined ? {} : { actingFor: { mandateId: onBehalf.mandateId, relation: onBehalf.relation } };
    if (event.type === 'ApplicationSubmitted') {
      const data = event.data as ApplicationSubmitted['data'];
      batch.put(Collections.agencyFeed, { id: seq, seq, agencyId: data.agencyId, type, applicationId: data.applicationId, at, ...actingFor });
      return;
    }
    if (event.type === 'ActedOnBehalf') {
      const data = event.data as unknown as ActedOnBehalf['data'];
      // Names the mandate and the relation, never a person: the agent is known to the agency by the mandate.
      const acted = { type, at, act: data.act, actingFor: { mandateId: data.mandateId, relation: data.relation } };
      if (data.act === 'applied') {
        const application = await batch.get<ApplicationDoc>(Collections.applications, data.applicationId);
        if (application) batch.put(Collections.agencyFeed, { id: seq, seq, agencyId: application.agencyId, applicationId: data.applicationId, ...acted });
        return;
      }
      const message = await batch.get<MessageDoc>(Collections.messages, data.messageId);
      if (!message) return;
      batch.put(Collections.agencyFeed, { id: seq, seq, agencyId: message.agencyId, messageId: data.messageId, replyId: data.replyId, externalId: message.state.message.externalId, ...acted });
      return;
    }
    const messageId = String(event.data.messageId);
    const message = await batch.get<MessageDoc>(Collections.messages, messageId);
    if (!message) return;
    const replyId = typeof event.data.replyId === 'string' ? event.data.replyId : undefined;
    batch.put(Collections.agencyFeed, { id: seq, seq, agencyId: message.agencyId, type, messageId, replyId, externalId: message.state.message.externalId, at, ...actingFor });
  },
};
