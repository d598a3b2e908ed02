import type { RecordedEvent } from '@asiointitili/core';
import type { ApplicationSubmitted, MessageSent, ReplySent } from '@asiointitili/domain';
import { padPosition } from '../read/position';
import { Collections } from '../read/projections/collections';
import type { Doc, Projection, ProjectionBatch } from '../read/projections/projection';

export type ThreadItemKind = 'application' | 'message' | 'reply';

/**
 * One application, message or reply and the thread it belongs to. A thread is named by its root:
 * an application, or a message sent without `inReplyTo`; a message with `inReplyTo` joins the
 * thread of what it answers, a reply the thread of its message.
 */
export interface ThreadItemDoc extends Doc {
  readonly threadId: string;
  readonly kind: ThreadItemKind;
  readonly agencyId: string;
  readonly citizenRef: string;
  /** Replies: the message replied to. */
  readonly messageId?: string;
  /** Padded global position: the thread's order (the log's order is its time order). */
  readonly seq: string;
  readonly at: string;
}

/**
 * Thread membership. Each document depends only on its own event and the item it answers (which
 * never changes), so replaying an event rewrites the same document. Runs after the messages
 * projection and before the applications projection, which reads the items to find a thread.
 */
export const threadItemsProjection: Projection = {
  name: 'thread-items',
  indexes: [{ collection: Collections.threadItems, fields: [{ field: 'threadId', direction: 'asc' }, { field: 'seq', direction: 'asc' }] }],
  async apply(event: RecordedEvent, batch: ProjectionBatch): Promise<void> {
    const seq = padPosition(event.position);
    switch (event.type) {
      case 'ApplicationSubmitted': {
        const data = event.data as ApplicationSubmitted['data'];
        const { applicationId: id, agencyId, citizenRef, submittedAt: at } = data;
        return put(batch, { id, threadId: id, kind: 'application', agencyId, citizenRef, seq, at });
      }
      case 'MessageSent': {
        const data = event.data as MessageSent['data'];
        const { messageId: id, agencyId, citizenRef, sentAt: at } = data;
        const answered = data.inReplyTo === undefined ? null : await batch.get<ThreadItemDoc>(Collections.threadItems, data.inReplyTo);
        // The send-side check (ThreadLinks) makes this hold; a message from before it that names
        // someone else's item starts its own thread rather than joining a stranger's.
        const joins = answered !== null && answered.agencyId === agencyId && answered.citizenRef === citizenRef;
        return put(batch, { id, threadId: joins ? answered.threadId : id, kind: 'message', agencyId, citizenRef, seq, at });
      }
      case 'ReplySent': {
        const data = event.data as ReplySent['data'];
        const message = await batch.get<ThreadItemDoc>(Collections.threadItems, data.messageId);
        if (!message) return;
        const { agencyId, citizenRef, threadId } = message;
        return put(batch, { id: data.replyId, threadId, kind: 'reply', messageId: data.messageId, agencyId, citizenRef, seq, at: data.sentAt });
      }
      default:
        return;
    }
  },
};

function put(batch: ProjectionBatch, doc: ThreadItemDoc): void {
  batch.put(Collections.threadItems, doc);
}
