import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@asiointitili/core';
import { contentVisible } from '@asiointitili/domain';
import { Collections } from '../read/projections/collections';
import type { MessageDoc } from '../read/projections/messages.projection';
import type { ApplicationParty } from './applications.query';
import type { ApplicationDoc } from './applications.projection';
import type { ThreadItemDoc } from './thread-items.projection';
import { attachmentViews, type AttachmentView } from './views';

export type ThreadEntry =
  | {
      readonly type: 'application';
      readonly id: string;
      readonly at: string;
      readonly subject: string;
      readonly body: string;
      readonly attachments: readonly AttachmentView[];
      readonly status: string;
    }
  | {
      readonly type: 'message';
      readonly id: string;
      readonly at: string;
      readonly kind: string;
      readonly delivery: string;
      readonly subject: string;
      readonly state: string;
      readonly replyAllowed: boolean;
      readonly inReplyTo?: string;
      readonly externalId?: string;
      /** Agency: always. Citizen: once opened (and, if registered, acknowledged), else null. */
      readonly body: string | null;
      readonly attachments: readonly AttachmentView[] | null;
    }
  | {
      readonly type: 'reply';
      readonly id: string;
      readonly messageId: string;
      readonly at: string;
      readonly body: string;
      readonly attachments: readonly AttachmentView[];
    };

export interface ThreadView {
  /** The root: the application, or the first message. */
  readonly id: string;
  readonly agencyId: string;
  readonly items: readonly ThreadEntry[];
  readonly next: string | null;
}

/**
 * A conversation in time order: the application (if it began with one), the agency's messages
 * and the citizen's replies. Either party may name the root or any item of the thread.
 *
 * The citizen's side shows only what reached the account (no paper-routed messages), and an
 * agency message's content only once the citizen opened it (GET /v1/citizen/messages/{id}, which
 * records the reading) and, for a registered one, acknowledged it: the thread never becomes a
 * way to read a message without the reading being recorded.
 */
@Injectable()
export class ThreadsQuery {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async thread(party: ApplicationParty, id: string, limit: number, cursor: string | undefined): Promise<ThreadView | null> {
    const item = await this.store.get<ThreadItemDoc>(Collections.threadItems, id);
    if (!item) return null;
    const root = item.threadId === item.id ? item : ((await this.store.get<ThreadItemDoc>(Collections.threadItems, item.threadId)) ?? item);
    if (!isParty(party, root)) return null;
    const page = await this.store.find<ThreadItemDoc>(Collections.threadItems, {
      where: { threadId: item.threadId },
      orderBy: [{ field: 'seq', direction: 'asc' }],
      limit,
      cursor,
    });
    const messageIds = page.items.flatMap((i) => (i.kind === 'message' ? [i.id] : i.kind === 'reply' && i.messageId ? [i.messageId] : []));
    const applicationIds = page.items.filter((i) => i.kind === 'application').map((i) => i.id);
    const [messages, applications] = await Promise.all([
      this.store.getMany<MessageDoc>(Collections.messages, messageIds),
      this.store.getMany<ApplicationDoc>(Collections.applications, applicationIds),
    ]);
    const messageById = new Map(messages.map((doc) => [doc.id, doc]));
    const applicationById = new Map(applications.map((doc) => [doc.id, doc]));
    const citizen = !('agencyId' in party);
    const items = page.items.flatMap((i): ThreadEntry[] => {
      switch (i.kind) {
        case 'application': {
          const doc = applicationById.get(i.id);
          return doc ? [applicationEntry(doc)] : [];
        }
        case 'message': {
          const doc = messageById.get(i.id);
          if (!doc || (citizen && !doc.inInbox)) return [];
          return [citizen ? citizenMessageEntry(doc) : agencyMessageEntry(doc)];
        }
        case 'reply': {
          const reply = messageById.get(i.messageId ?? '')?.replies?.find((r) => r.id === i.id);
          return reply ? [{ type: 'reply', id: reply.id, messageId: i.messageId!, at: reply.sentAt, body: reply.body, attachments: attachmentViews(reply.attachments) }] : [];
        }
        default:
          return [];
      }
    });
    return { id: item.threadId, agencyId: root.agencyId, items, next: page.next };
  }
}

function isParty(party: ApplicationParty, item: ThreadItemDoc): boolean {
  return 'agencyId' in party ? item.agencyId === party.agencyId : item.citizenRef === party.citizenRef;
}

function applicationEntry(doc: ApplicationDoc): ThreadEntry {
  return { type: 'application', id: doc.id, at: doc.submittedAt, subject: doc.subject, body: doc.body, attachments: attachmentViews(doc.attachments), status: doc.status };
}

function messageBase(doc: MessageDoc) {
  const sent = doc.state.message;
  return {
    type: 'message' as const,
    id: doc.id,
    at: sent.sentAt,
    kind: sent.kind,
    delivery: sent.delivery,
    subject: sent.subject,
    replyAllowed: sent.replyAllowed,
    inReplyTo: sent.inReplyTo,
  };
}

function agencyMessageEntry(doc: MessageDoc): ThreadEntry {
  const sent = doc.state.message;
  return { ...messageBase(doc), state: doc.agencyState, externalId: sent.externalId, body: sent.body, attachments: attachmentViews(sent.attachments) };
}

function citizenMessageEntry(doc: MessageDoc): ThreadEntry {
  const open = doc.state.readAt !== undefined && contentVisible(doc.state);
  const sent = doc.state.message;
  return { ...messageBase(doc), state: doc.citizenState, body: open ? sent.body : null, attachments: open ? attachmentViews(sent.attachments) : null };
}
