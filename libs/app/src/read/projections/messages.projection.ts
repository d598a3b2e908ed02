import type { RecordedEvent } from '@asiointitili/core';
import {
  agencyState,
  citizenState,
  evolveMessage,
  initialMessageState,
  reachedAccount,
  type AgencyMessageState,
  type CitizenMessageState,
  type ExistingMessage,
  type MessageEvent,
  type ReplySent,
} from '@asiointitili/domain';
import { deemedService } from '../deemed-service';
import { etsiContextOf, etsiEvidenceOf, type EtsiEvidence } from '../../evidence/etsi-events';
import { padPosition } from '../position';
import { Collections } from './collections';
import { isNewFor, type PositionedDoc, type Projection, type ProjectionBatch } from './projection';

export interface TrailStep {
  readonly type: string;
  readonly at: string;
  readonly revision: string;
  readonly position: string;
  readonly eventId: string;
  readonly hash: string;
  /** `actingFor`: the step was taken on behalf of the recipient by someone holding this mandate (the actor). */
  readonly actor: { readonly type: string; readonly method?: string; readonly assurance?: string; readonly actingFor?: { readonly mandateId: string; readonly relation: string } };
  readonly evidence: readonly EtsiEvidence[];
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * One document per message. `state` is the domain's own fold (the same `evolve` the write side
 * uses), so both sides' states come from the domain's view rules; the flat fields beside it exist
 * only to be indexed and queried.
 */
export interface MessageDoc extends PositionedDoc {
  readonly state: ExistingMessage;
  readonly agencyId: string;
  readonly citizenRef: string;
  /** In the citizen's inbox: the message reached the account (reachedAccount; it stays there after a later paper fallback). */
  readonly inInbox: boolean;
  readonly sentAt: string;
  /** Day and instant of deemed service (Europe/Helsinki), known from sending for electronic ordinary messages. */
  readonly deemedServedOn?: string;
  readonly deemedServedAt?: string;
  readonly citizenState: CitizenMessageState;
  readonly agencyState: AgencyMessageState;
  readonly trail: readonly TrailStep[];
  /** The recipient's replies, oldest first (the domain state keeps only their ids). Absent on documents from before replies. */
  readonly replies?: readonly ReplyDoc[];
}

export interface ReplyDoc {
  readonly id: string;
  readonly sentAt: string;
  readonly body: string;
  readonly attachments: ReplySent['data']['attachments'];
}

const MESSAGE_EVENTS = new Set<string>([
  'MessageSent', 'MessageRoutedToPaper', 'MessageRead', 'ReceiptAcknowledged', 'MessageDeemedServed',
  'ReminderSent', 'PaperFallbackTriggered', 'MessageHandedToPrint', 'ReplySent', 'MessagePublished', 'MessageCancelled', 'ReplyOverdue', 'NotificationFailed',
  'ActedOnBehalf',
]);

/**
 * Whether an event is one of a message's (and so a step of its document). ActedOnBehalf is also
 * written to application streams (an application submitted for someone): only one with a
 * messageId is a message's.
 */
export function isMessageEvent(event: Pick<RecordedEvent, 'type' | 'data'>): boolean {
  if (!MESSAGE_EVENTS.has(event.type)) return false;
  return event.type !== 'ActedOnBehalf' || typeof event.data.messageId === 'string';
}

/** Message detail and trail for both sides; the inbox and the sent items are queries over it. */
export const messagesProjection: Projection = {
  name: 'messages',
  indexes: [
    { collection: Collections.messages, fields: [{ field: 'citizenRef', direction: 'asc' }, { field: 'inInbox', direction: 'asc' }, { field: 'sentAt', direction: 'desc' }] },
    { collection: Collections.messages, fields: [{ field: 'citizenRef', direction: 'asc' }, { field: 'inInbox', direction: 'asc' }, { field: 'citizenState', direction: 'asc' }, { field: 'sentAt', direction: 'desc' }] },
    { collection: Collections.messages, fields: [{ field: 'agencyId', direction: 'asc' }, { field: 'sentAt', direction: 'desc' }] },
  ],
  async apply(event: RecordedEvent, batch: ProjectionBatch): Promise<void> {
    if (!isMessageEvent(event)) return;
    const domainEvent = { type: event.type, data: event.data } as MessageEvent;
    const id = domainEvent.data.messageId;
    const position = padPosition(event.position);
    const existing = await batch.get<MessageDoc>(Collections.messages, id);
    if (!isNewFor(existing, position)) return;
    const state = evolveMessage(existing?.state ?? initialMessageState, domainEvent);
    if (!state.exists) return;
    const sent = state.message;
    const deemed = deemedService(state);
    batch.put(Collections.messages, {
      id,
      state,
      agencyId: sent.agencyId,
      citizenRef: sent.citizenRef,
      inInbox: reachedAccount(state),
      sentAt: sent.sentAt,
      deemedServedOn: deemed.on,
      deemedServedAt: deemed.at,
      citizenState: citizenState(state),
      agencyState: agencyState(state),
      trail: [...(existing?.trail ?? []), trailStep(event, domainEvent, state)],
      replies: domainEvent.type === 'ReplySent' ? [...(existing?.replies ?? []), replyOf(domainEvent.data)] : (existing?.replies ?? []),
      lastPosition: position,
    } satisfies MessageDoc);
  },
};

function replyOf({ replyId, sentAt, body, attachments }: ReplySent['data']): ReplyDoc {
  return { id: replyId, sentAt, body, attachments };
}

function trailStep(event: RecordedEvent, domainEvent: MessageEvent, state: ExistingMessage): TrailStep {
  const { actor } = event.metadata;
  // The trail shows what happened, never the content: subject, body and attachment names stay out.
  const { body: _body, subject: _subject, attachments: _attachments, ...detail } = domainEvent.data as Record<string, unknown>;
  return {
    type: event.type,
    at: event.metadata.occurredAt,
    revision: event.revision.toString(),
    position: event.position.toString(),
    eventId: event.id,
    hash: event.metadata.hash,
    actor: {
      type: actor.type,
      method: actor.method,
      assurance: actor.assurance,
      ...(actor.actingFor === undefined ? {} : { actingFor: { mandateId: actor.actingFor.mandateId, relation: actor.actingFor.relation } }),
    },
    evidence: etsiEvidenceOf(domainEvent, etsiContextOf(state)),
    detail,
  };
}
