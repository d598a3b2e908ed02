import type { RecordedEvent } from '@asiointitili/core';
import { appealEnd, type CitizenMessageState } from '@asiointitili/domain';
import { Collections } from './collections';
import { isMessageEvent, type MessageDoc } from './messages.projection';
import { isNewFor, type PositionedDoc, type Projection, type ProjectionBatch } from './projection';

/**
 * One citizen's inbox line: exactly what the inbox list answers, and the fields it is filtered and
 * ordered by. No body, trail, attachments or replies, so a page of the inbox reads and parses
 * documents of a few hundred bytes instead of whole messages.
 */
export interface InboxItemDoc extends PositionedDoc {
  readonly citizenRef: string;
  readonly agencyId: string;
  readonly kind: string;
  readonly delivery: string;
  readonly subject: string;
  readonly citizenState: CitizenMessageState;
  readonly sentAt: string;
  readonly deemedServedOn?: string;
  readonly deemedServedAt?: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgementRequired: boolean;
  readonly acknowledgeBy?: string;
  readonly appealEndsOn?: string;
  readonly replyBy?: string;
  /** Left out of the page for someone acting for the citizen (never shown in the list itself). */
  readonly confidential: boolean;
}

/**
 * The inbox list, derived from the message document the messages projection has just written in
 * the same batch (so it runs after it). A message has an inbox item exactly while the message
 * document says `inInbox` (sent electronically and neither scheduled-unpublished nor cancelled);
 * when it leaves the inbox, its item is deleted. The item carries the message document's
 * `lastPosition`, so replaying an event the message already saw changes nothing.
 */
export const inboxItemsProjection: Projection = {
  name: 'inbox-items',
  indexes: [
    // Covering: the first page of an inbox, the most frequent read of all, walks the index alone.
    { collection: Collections.inboxItems, fields: [{ field: 'citizenRef', direction: 'asc' }, { field: 'sentAt', direction: 'desc' }], covering: true },
    { collection: Collections.inboxItems, fields: [{ field: 'citizenRef', direction: 'asc' }, { field: 'citizenState', direction: 'asc' }, { field: 'sentAt', direction: 'desc' }] },
  ],
  async apply(event: RecordedEvent, batch: ProjectionBatch): Promise<void> {
    if (!isMessageEvent(event)) return;
    const id = String(event.data.messageId);
    const message = await batch.get<MessageDoc>(Collections.messages, id);
    if (!message) return;
    if (!message.inInbox) {
      if (await batch.get(Collections.inboxItems, id)) batch.delete(Collections.inboxItems, id);
      return;
    }
    const existing = await batch.get<InboxItemDoc>(Collections.inboxItems, id);
    if (!isNewFor(existing, message.lastPosition)) return;
    batch.put(Collections.inboxItems, inboxItemDoc(message));
  },
};

/** The inbox line of a message in the inbox (the rules the inbox list has always answered with). */
export function inboxItemDoc(doc: MessageDoc): InboxItemDoc {
  const sent = doc.state.message;
  // Registered and still deliverable electronically: neither acknowledged nor gone to paper.
  const pending = sent.delivery === 'registered' && (doc.citizenState === 'unread' || doc.citizenState === 'read');
  return {
    id: doc.id,
    citizenRef: doc.citizenRef,
    agencyId: doc.agencyId,
    kind: sent.kind,
    delivery: sent.delivery,
    subject: sent.subject,
    citizenState: doc.citizenState,
    sentAt: doc.sentAt,
    deemedServedOn: doc.deemedServedOn ?? undefined,
    deemedServedAt: doc.deemedServedAt ?? undefined,
    acknowledgedAt: doc.state.acknowledgement?.at,
    acknowledgementRequired: pending,
    acknowledgeBy: pending ? sent.acknowledgeBy : undefined,
    appealEndsOn: appealEnd(doc.state),
    replyBy: sent.replyBy,
    confidential: sent.confidential === true,
    lastPosition: doc.lastPosition,
  };
}
