/**
 * Limits on what people write, shared by messages, replies and applications (API.md): a subject
 * of 1–256 characters, a body of at most 40,000, at most 50 attachments, each referenced once.
 *
 * Characters are Unicode code points, not UTF-16 units, so "ä" and "😀" both count as one.
 */
import type { AttachmentRef } from './events';
import { domainError, type DomainError } from './errors';

export const SUBJECT_MAX_CHARACTERS = 256;
export const BODY_MAX_CHARACTERS = 40_000;
export const MAX_ATTACHMENTS = 50;

/** Code points in `text`, counted only when the cheap UTF-16 length could exceed `limit`. */
function exceeds(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let count = 0;
  for (const _ of text) {
    if (++count > limit) return true;
  }
  return false;
}

const isBlank = (text: string): boolean => text.trim().length === 0;

export function subjectProblem(subject: string): DomainError | undefined {
  if (isBlank(subject)) return domainError('invalid', 'subject-required', 'the subject must not be empty or blank');
  if (exceeds(subject, SUBJECT_MAX_CHARACTERS)) {
    return domainError('invalid', 'subject-too-long', `the subject may have at most ${SUBJECT_MAX_CHARACTERS} characters`);
  }
  return undefined;
}

/** `required`: messages and replies need a body; an application may be its attachments alone. */
export function bodyProblem(body: string, { required }: { readonly required: boolean }): DomainError | undefined {
  if (required && isBlank(body)) return domainError('invalid', 'body-required', 'the body must not be empty or blank');
  if (exceeds(body, BODY_MAX_CHARACTERS)) {
    return domainError('invalid', 'body-too-long', `the body may have at most ${BODY_MAX_CHARACTERS} characters`);
  }
  return undefined;
}

export function attachmentsProblem(attachments: readonly AttachmentRef[]): DomainError | undefined {
  if (attachments.length > MAX_ATTACHMENTS) {
    return domainError('invalid', 'too-many-attachments', `at most ${MAX_ATTACHMENTS} attachments, not ${attachments.length}`);
  }
  const ids = new Set(attachments.map((attachment) => attachment.id));
  if (ids.size !== attachments.length) return domainError('invalid', 'duplicate-attachment', 'an attachment may be listed only once');
  return undefined;
}

/** The first problem found, checks run in order. */
export function firstProblem(...problems: readonly (DomainError | undefined)[]): DomainError | undefined {
  return problems.find((problem) => problem !== undefined);
}
