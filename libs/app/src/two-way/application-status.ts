import { assertNever, type MessageKind } from '@asiointitili/domain';

/**
 * Where an application stands, as the citizen and the agency see it, from what happened in its
 * thread: the agency's messages (`inReplyTo` the application, or a message in its thread) and
 * the citizen's replies.
 */
export const APPLICATION_STATUSES = ['submitted', 'in-progress', 'information-requested', 'information-provided', 'decided'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/**
 * A decision settles the application for good; an information request waits for the citizen;
 * a notice or general message means the agency is working on it (unless it still waits for
 * information, which a notice does not change).
 */
export function statusAfterMessage(current: ApplicationStatus, kind: MessageKind): ApplicationStatus {
  if (current === 'decided') return 'decided';
  switch (kind) {
    case 'decision':
      return 'decided';
    case 'information-request':
      return 'information-requested';
    case 'notice':
    case 'general':
      return current === 'information-requested' ? current : 'in-progress';
    default:
      return assertNever(kind);
  }
}

/** A reply in the thread answers an open information request; otherwise it changes nothing. */
export function statusAfterReply(current: ApplicationStatus): ApplicationStatus {
  return current === 'information-requested' ? 'information-provided' : current;
}
