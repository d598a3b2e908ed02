import type { RecordedEvent } from '@asiointitili/core';
import type { ApplicationSubmitted, AttachmentRef, MessageSent, ReplySent } from '@asiointitili/domain';
import { padPosition } from '../read/position';
import { Collections } from '../read/projections/collections';
import { isNewFor, type PositionedDoc, type Projection, type ProjectionBatch } from '../read/projections/projection';
import { statusAfterMessage, statusAfterReply, type ApplicationStatus } from './application-status';
import type { ThreadItemDoc } from './thread-items.projection';

export interface ApplicationDoc extends PositionedDoc {
  readonly agencyId: string;
  readonly citizenRef: string;
  readonly subject: string;
  readonly body: string;
  readonly attachments: readonly AttachmentRef[];
  readonly submittedAt: string;
  readonly status: ApplicationStatus;
  /** When the status last changed. */
  readonly statusAt: string;
}

/**
 * Applications for both sides (the agency's list, the citizen's own) with their status, moved on
 * by the messages and replies in the application's thread. Reads the thread items written by the
 * thread projection earlier in the same batch.
 */
export const applicationsProjection: Projection = {
  name: 'applications',
  indexes: [
    { collection: Collections.applications, fields: [{ field: 'agencyId', direction: 'asc' }, { field: 'submittedAt', direction: 'desc' }] },
    { collection: Collections.applications, fields: [{ field: 'citizenRef', direction: 'asc' }, { field: 'submittedAt', direction: 'desc' }] },
  ],
  async apply(event: RecordedEvent, batch: ProjectionBatch): Promise<void> {
    const position = padPosition(event.position);
    switch (event.type) {
      case 'ApplicationSubmitted': {
        const data = event.data as ApplicationSubmitted['data'];
        const existing = await batch.get<ApplicationDoc>(Collections.applications, data.applicationId);
        if (!isNewFor(existing, position)) return;
        const { applicationId: id, agencyId, citizenRef, subject, body, attachments, submittedAt } = data;
        const doc: ApplicationDoc = { id, agencyId, citizenRef, subject, body, attachments, submittedAt, status: 'submitted', statusAt: submittedAt, lastPosition: position };
        batch.put(Collections.applications, doc);
        return;
      }
      case 'MessageSent': {
        const data = event.data as MessageSent['data'];
        return advance(batch, data.messageId, position, data.sentAt, (status) => statusAfterMessage(status, data.kind));
      }
      case 'ReplySent': {
        const data = event.data as ReplySent['data'];
        return advance(batch, data.replyId, position, data.sentAt, statusAfterReply);
      }
      default:
        return;
    }
  },
};

async function advance(batch: ProjectionBatch, itemId: string, position: string, at: string, next: (status: ApplicationStatus) => ApplicationStatus): Promise<void> {
  const item = await batch.get<ThreadItemDoc>(Collections.threadItems, itemId);
  if (!item || item.threadId === item.id) return;
  const application = await batch.get<ApplicationDoc>(Collections.applications, item.threadId);
  if (!application || !isNewFor(application, position)) return;
  const status = next(application.status);
  const statusAt = status === application.status ? application.statusAt : at;
  batch.put(Collections.applications, { ...application, status, statusAt, lastPosition: position });
}
