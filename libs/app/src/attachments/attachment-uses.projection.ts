import type { RecordedEvent } from '@asiointitili/core';
import type { ApplicationSubmitted, AttachmentRef, MessageSent, ReplySent } from '@asiointitili/domain';
import { padPosition } from '../read/position';
import { Collections } from '../read/projections/collections';
import type { MessageDoc } from '../read/projections/messages.projection';
import type { Projection, ProjectionBatch } from '../read/projections/projection';
import { markerId, type AttachmentUseDoc } from './attachment-records';
import { usedByApplication, usedByMessage, usedByReply } from './attachment-use';

/**
 * Every use of an attachment, from the events that reference it: the log's own answer to "was
 * this upload used, and where?". Download access, the once-only check and the sweeper read it,
 * so none of them depends on the upload record alone (which a crash can leave unmarked and a
 * read-model rebuild drops). One document per (attachment, use): replaying rewrites the same one.
 * Runs after the messages projection, which a reply's parties are read from.
 */
export const attachmentUsesProjection: Projection = {
  name: 'attachment-uses',
  indexes: [{ collection: Collections.attachmentUses, fields: [{ field: 'attachmentId', direction: 'asc' }, { field: 'seq', direction: 'asc' }] }],
  async apply(event: RecordedEvent, batch: ProjectionBatch): Promise<void> {
    const seq = padPosition(event.position);
    switch (event.type) {
      case 'MessageSent': {
        const data = event.data as MessageSent['data'];
        return putUses(batch, data.attachments, usedByMessage(data.messageId), data.agencyId, data.citizenRef, seq);
      }
      case 'ReplySent': {
        const data = event.data as ReplySent['data'];
        const message = await batch.get<MessageDoc>(Collections.messages, data.messageId);
        if (!message) return;
        return putUses(batch, data.attachments, usedByReply(data.messageId, data.replyId), message.agencyId, message.citizenRef, seq);
      }
      case 'ApplicationSubmitted': {
        const data = event.data as ApplicationSubmitted['data'];
        return putUses(batch, data.attachments, usedByApplication(data.applicationId), data.agencyId, data.citizenRef, seq);
      }
      default:
        return;
    }
  },
};

function putUses(batch: ProjectionBatch, attachments: readonly AttachmentRef[] | undefined, usedBy: string, agencyId: string, citizenRef: string, seq: string): void {
  for (const attachment of attachments ?? []) {
    const doc: AttachmentUseDoc = { id: markerId(attachment.id, usedBy), attachmentId: attachment.id, usedBy, agencyId, citizenRef, seq };
    batch.put(Collections.attachmentUses, doc);
  }
}
