import { Inject, Injectable } from '@nestjs/common';
import { InvalidCursorError, READ_STORE, type Page, type ReadStore } from '@asiointitili/core';
import { appealEnd } from '@asiointitili/domain';
import { attachmentViews, type AttachmentView } from '../../two-way/views';
import { padPosition } from '../position';
import { Collections, type FeedItemDoc, type MessageDoc } from '../projections';
import type { FeedItemType } from '../projections/agency-feed.projection';

/** What an agency sees of one of its messages: state and trail, never another agency's. */
export interface AgencyMessageView {
  readonly id: string;
  readonly externalId?: string;
  readonly kind: string;
  readonly delivery: string;
  readonly route: string;
  readonly state: string;
  readonly sentAt: string;
  /** Scheduled publishing: when the message reaches (reached) the recipient. */
  readonly publishAt?: string;
  readonly publishedAt?: string;
  /** The Helsinki date by which a reply was requested, and when it passed unanswered. */
  readonly replyBy?: string;
  readonly replyOverdueAt?: string;
  /** For the person alone, not for those acting on their behalf. */
  readonly confidential: boolean;
  /** The notice settings given at sending. */
  readonly notification?: { readonly reminders: boolean; readonly text?: Readonly<Record<string, string>> };
  /** Cancelled before its publishAt. */
  readonly cancelledAt?: string;
  readonly deemedServedOn?: string;
  readonly deemedServedAt?: string;
  readonly acknowledgeBy?: string;
  readonly acknowledgedAt?: string;
  /** The appeal period's length, when given at sending. */
  readonly appealPeriodDays?: number;
  /** Once served: the last day of the appeal period (Helsinki date, Act 150/1930). */
  readonly appealEndsOn?: string;
  readonly acknowledgement?: { readonly method: string; readonly assurance: string };
  readonly readAt?: string;
  readonly paperReason?: string;
  readonly paperFallbackAt?: string;
  readonly printJobId?: string;
  readonly contentSha256: string;
  readonly trail: MessageDoc['trail'];
  /** The message or application this one answers (threads: GET /v1/agency/threads/{id}). */
  readonly inReplyTo?: string;
  readonly attachments: readonly AttachmentView[];
  /** The recipient's replies, oldest first. */
  readonly replies: readonly { readonly id: string; readonly sentAt: string; readonly body: string; readonly attachments: readonly AttachmentView[] }[];
}

export interface FeedItem {
  readonly cursor: string;
  readonly type: FeedItemType;
  readonly messageId?: string;
  readonly applicationId?: string;
  readonly replyId?: string;
  readonly externalId?: string;
  readonly at: string;
  /** The act was done on the recipient's behalf under this mandate. */
  readonly actingFor?: { readonly mandateId: string; readonly relation: string };
  /** `acted-on-behalf`: the act done (read, acknowledged, replied, applied). */
  readonly act?: string;
}

@Injectable()
export class AgencyMessagesQuery {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async message(agencyId: string, id: string): Promise<AgencyMessageView | null> {
    const doc = await this.store.get<MessageDoc>(Collections.messages, id);
    if (!doc || doc.agencyId !== agencyId) return null;
    return agencyView(doc);
  }

  async sent(agencyId: string, limit: number, cursor: string | undefined): Promise<Page<AgencyMessageView>> {
    const page = await this.store.find<MessageDoc>(Collections.messages, { where: { agencyId }, orderBy: [{ field: 'sentAt', direction: 'desc' }], limit, cursor });
    return { items: page.items.map((doc) => ({ ...agencyView(doc), trail: [] })), next: page.next };
  }

  /**
   * The agency's feed in log order. Its cursor is a global position: every item carries its own,
   * so a client can resume from the last item it processed, and `next` is the last item's.
   */
  async feed(agencyId: string, limit: number, cursor: string | undefined): Promise<Page<FeedItem>> {
    const after = cursor === undefined ? undefined : feedPosition(cursor);
    const page = await this.store.find<FeedItemDoc>(Collections.agencyFeed, {
      where: { agencyId },
      orderBy: [{ field: 'seq', direction: 'asc' }],
      limit,
      after: after === undefined ? undefined : [after, after],
    });
    const items = page.items.map((doc) => ({
      cursor: BigInt(doc.seq).toString(),
      type: doc.type as FeedItemType,
      messageId: doc.messageId,
      applicationId: doc.applicationId,
      replyId: doc.replyId,
      externalId: doc.externalId,
      at: doc.at,
      ...(doc.actingFor === undefined ? {} : { actingFor: doc.actingFor }),
      ...(doc.act === undefined ? {} : { act: doc.act }),
    }));
    return { items, next: page.next === null ? null : items[items.length - 1]!.cursor };
  }
}

/** A feed cursor is a decimal global position; anything else is a 400 (invalid cursor). */
function feedPosition(cursor: string): string {
  if (!/^\d{1,20}$/.test(cursor)) throw new InvalidCursorError();
  return padPosition(BigInt(cursor));
}

function agencyView(doc: MessageDoc): AgencyMessageView {
  const { state } = doc;
  const sent = state.message;
  return {
    id: doc.id,
    externalId: sent.externalId,
    kind: sent.kind,
    delivery: sent.delivery,
    route: sent.route,
    state: doc.agencyState,
    sentAt: doc.sentAt,
    publishAt: sent.publishAt,
    publishedAt: state.publishedAt,
    cancelledAt: state.cancelledAt,
    replyBy: sent.replyBy,
    replyOverdueAt: state.replyOverdueAt,
    notification: sent.notification,
    confidential: sent.confidential === true,
    deemedServedOn: doc.deemedServedOn,
    deemedServedAt: doc.deemedServedAt,
    acknowledgeBy: sent.acknowledgeBy,
    acknowledgedAt: state.acknowledgement?.at,
    appealPeriodDays: sent.appealPeriodDays,
    appealEndsOn: appealEnd(state),
    acknowledgement: state.acknowledgement && { method: state.acknowledgement.method, assurance: state.acknowledgement.assurance },
    readAt: state.readAt,
    paperReason: state.fallback?.reason ?? state.routedToPaper?.reason,
    paperFallbackAt: state.fallback?.at,
    printJobId: state.printHandOff?.printJobId,
    contentSha256: sent.contentSha256,
    trail: doc.trail,
    inReplyTo: sent.inReplyTo,
    attachments: attachmentViews(sent.attachments),
    replies: (doc.replies ?? []).map((reply) => ({ ...reply, attachments: attachmentViews(reply.attachments) })),
  };
}
