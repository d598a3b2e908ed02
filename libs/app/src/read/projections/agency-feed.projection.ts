import type { RecordedEvent } from '@asiointitili/core';
import type { ApplicationSubmitted } from '@asiointitili/domain';
import { padPosition } from '../position';
import { Collections } from './collections';
import type { MessageDoc } from './messages.projection';
import type { Doc, Projection, ProjectionBatch } from './projection';

/** Feed item types (API.md: sent, routed to paper, read, acknowledged, deemed served, reminded, paper fallback, reply, application, published, cancelled, reply-overdue, notification-failed). */
const FEED_TYPE_OF_EVENT: Readonly<Record<string, string>> = {
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
};

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
}

/**
 * Each agency's event feed. One document per event, keyed by global position, so replaying an
 * event rewrites the same document (idempotent by construction). Runs after the messages
 * projection in the same batch, which it reads to find the message's agency.
 */
export const agencyFeedProjection: Projection = {
  name: 'agency-feed',
  indexes: [{ collection: Collections.agencyFeed, fields: [{ field: 'agencyId', direction: 'asc' }, { field: 'seq', direction: 'asc' }] }],
  async apply(event: RecordedEvent, batch: ProjectionBatch): Promise<void> {
    const type = FEED_TYPE_OF_EVENT[event.type];
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
    const messageId = String(event.data.messageId);
    const message = await batch.get<MessageDoc>(Collections.messages, messageId);
    if (!message) return;
    const replyId = typeof event.data.replyId === 'string' ? event.data.replyId : undefined;
    batch.put(Collections.agencyFeed, { id: seq, seq, agencyId: message.agencyId, type, messageId, replyId, externalId: message.state.message.externalId, at, ...actingFor });
  },
};
