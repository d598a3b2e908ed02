import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, type Page, type ReadStore } from '@asiointitili/core';
import { Collections, type InboxItemDoc } from '../projections';

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

/**
 * A citizen's inbox, newest first: only messages delivered electronically to this citizenRef.
 * Reads the slim inbox items (read/projections/inbox-items.projection.ts), never whole messages.
 */
@Injectable()
export class InboxQuery {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  /** `withConfidential: false` (someone acting for the person): confidential messages are left out of the page. */
  async list(citizenRef: string, state: string | undefined, limit: number, cursor: string | undefined, { withConfidential = true }: { withConfidential?: boolean } = {}): Promise<Page<InboxItem>> {
    const page = await this.store.find<InboxItemDoc>(Collections.inboxItems, {
      where: state ? { citizenRef, citizenState: state } : { citizenRef },
      orderBy: [{ field: 'sentAt', direction: 'desc' }],
      limit,
      cursor,
    });
    const items = withConfidential ? page.items : page.items.filter((doc) => !doc.confidential);
    return { items: items.map(inboxItemOf), next: page.next };
  }
}

function inboxItemOf(doc: InboxItemDoc): InboxItem {
  return {
    id: doc.id,
    agencyId: doc.agencyId,
    kind: doc.kind,
    delivery: doc.delivery,
    subject: doc.subject,
    state: doc.citizenState,
    sentAt: doc.sentAt,
    deemedServedOn: doc.deemedServedOn,
    deemedServedAt: doc.deemedServedAt,
    acknowledgedAt: doc.acknowledgedAt,
    acknowledgementRequired: doc.acknowledgementRequired,
    acknowledgeBy: doc.acknowledgeBy,
    appealEndsOn: doc.appealEndsOn,
    replyBy: doc.replyBy,
  };
}
