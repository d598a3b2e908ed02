import { ProblemException, problem } from '../http/problem';
import type { AttachmentClaims } from './attachment-claims';

/**
 * Until uploads exist (the two-way channel issue), every attachment id is unknown: a message that
 * lists one is refused with 422 and nothing is created, rather than sent without its files.
 */
export class NoAttachmentsYet implements AttachmentClaims {
  async claim(_owner: string, ids: readonly string[]) {
    if (ids.length > 0) {
      throw new ProblemException(
        problem(422, 'unknown-attachment', 'No such attachment.', { errors: ids.map((id) => ({ field: 'attachments', problem: `unknown attachment ${id}` })) }),
      );
    }
    return [];
  }

  async confirm(): Promise<void> {}
}
