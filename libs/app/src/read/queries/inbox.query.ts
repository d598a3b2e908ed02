import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, type Page, type ReadStore } from '@asiointitili/core';
import { appealEnd } from '@asiointitili/domain';
import { Collections, type MessageDoc } from '../projections';

export interface InboxItem {
  readonly id: string;
  readonly agencyId: string;
  readonly kind: string;
  readonly delivery: string;
  readonly subject: string;
  readonly state: string;
  readonly sentAt: string;
  readonly deemedServedOn?: string;
  readonly deemedServedAt?: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgementRequired: boolean;
  /** Registered, still to be acknowledged: possible until this instant. */
  readonly acknowledgeBy?: string;
  /** Once served, when the agency gave an appeal period: its last day (Helsinki date). */
  readonly appealEndsOn?: string;
  /** The Helsinki date by which the sender asks for a reply. */
  readonly replyBy?: string;
}

/** A citizen's inbox, newest first: only messages delivered electronically to this citizenRef. */
@Injectable()
export class InboxQuery {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  /** `withConfidential: false` (someone acting for the person): confidential messages are left out of the page. */
  async list(citizenRef: string, state: string | undefined, limit: number, cursor: string | undefined, { withConfidential = true }: { withConfidential?: boolean } = {}): Promise<Page<InboxItem>> {
    const page = await this.store.find<MessageDoc>(Collections.messages, {
      where: state ? { citizenRef, inInbox: true, citizenState: state } : { citizenRef, inInbox: true },
      orderBy: [{ field: 'sentAt', direction: 'desc' }],
      limit,
      cursor,
    });
    const items = withConfidential ? page.items : page.items.filter((doc) => doc.state.message.confidential !== true);
    return { items: items.map(inboxItem), next: page.next };
  }
}

export function inboxItem(doc: MessageDoc): InboxItem {
  const sent = doc.state.message;
  // Registered and still deliverable electronically: neither acknowledged nor gone to paper.
  const pending = sent.delivery === 'registered' && (doc.citizenState === 'unread' || doc.citizenState === 'read');
  return {
    id: doc.id,
    agencyId: doc.agencyId,
    kind: sent.kind,
    delivery: sent.delivery,
    subject: sent.subject,
    state: doc.citizenState,
    sentAt: doc.sentAt,
    deemedServedOn: doc.deemedServedOn,
    deemedServedAt: doc.deemedServedAt,
    acknowledgedAt: doc.state.acknowledgement?.at,
    acknowledgementRequired: pending,
    acknowledgeBy: pending ? sent.acknowledgeBy : undefined,
    appealEndsOn: appealEnd(doc.state),
    replyBy: sent.replyBy,
  };
}
