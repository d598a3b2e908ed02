import type { AttachmentRef } from '@asiointitili/domain';

/**
 * Turns attachment ids in a message, reply or application into the refs stored in its event.
 * An id can be used only by the principal who uploaded it, and only once (API.md, Attachments).
 * `claim` rejects (ProblemException 422) with the offending ids when any id is unknown,
 * foreign, already used, listed twice or about to expire; it marks the ids used only through
 * `confirm`, after the event is appended, so a refused command leaves the uploads usable.
 *
 * `usedBy` names the use (attachment-use.ts): the message id, `reply:<messageId>:<replyId>` or
 * `application:<applicationId>`. `confirm` never throws: the event is appended by then, and a
 * use it failed to record is still found from the log (see ReadStoreAttachmentClaims).
 */
export interface AttachmentClaims {
  claim(owner: string, ids: readonly string[]): Promise<AttachmentRef[]>;
  confirm(owner: string, ids: readonly string[], usedBy: string): Promise<void>;
}

export const ATTACHMENT_CLAIMS = Symbol('ATTACHMENT_CLAIMS');
