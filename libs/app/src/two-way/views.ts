import type { AttachmentRef } from '@asiointitili/domain';
import { attachmentUrl } from '../write/use-cases/citizen-message';
import type { ApplicationStatus } from './application-status';
import type { ApplicationDoc } from './applications.projection';

/** API.md: where a message, reply or application lists attachments, each is `{ id, name, contentType, size, sha256, url }`. */
export interface AttachmentView extends AttachmentRef {
  readonly url: string;
}

export const attachmentViews = (refs: readonly AttachmentRef[]): AttachmentView[] => refs.map((ref) => ({ ...ref, url: attachmentUrl(ref.id) }));

export interface ApplicationSummary {
  readonly id: string;
  readonly agencyId: string;
  readonly subject: string;
  readonly submittedAt: string;
  readonly status: ApplicationStatus;
  readonly statusAt: string;
  readonly attachmentCount: number;
}

export interface ApplicationView extends Omit<ApplicationSummary, 'attachmentCount'> {
  readonly body: string;
  readonly attachments: readonly AttachmentView[];
  /** The thread to follow the answers in: GET /v1/{citizen|agency}/threads/{threadId}. */
  readonly threadId: string;
}

export function applicationSummary(doc: ApplicationDoc): ApplicationSummary {
  return {
    id: doc.id,
    agencyId: doc.agencyId,
    subject: doc.subject,
    submittedAt: doc.submittedAt,
    status: doc.status,
    statusAt: doc.statusAt,
    attachmentCount: doc.attachments.length,
  };
}

export function applicationView(doc: ApplicationDoc): ApplicationView {
  const { attachmentCount: _count, ...summary } = applicationSummary(doc);
  return { ...summary, body: doc.body, attachments: attachmentViews(doc.attachments), threadId: doc.id };
}
