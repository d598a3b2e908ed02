import { assertNever } from '@asiointitili/domain';

/**
 * Where an attachment was used, written as the `usedBy` string of AttachmentClaims.confirm:
 * a message's id (as SendMessageHandler passes it), `reply:<messageId>:<replyId>` or
 * `application:<applicationId>`. Ids never contain `:` (RESOURCE_ID_PATTERN), so the
 * encoding is unambiguous.
 */
export type AttachmentUse =
  | { readonly kind: 'message'; readonly messageId: string }
  | { readonly kind: 'reply'; readonly messageId: string; readonly replyId: string }
  | { readonly kind: 'application'; readonly applicationId: string };

export const usedByMessage = (messageId: string): string => messageId;
export const usedByReply = (messageId: string, replyId: string): string => `reply:${messageId}:${replyId}`;
export const usedByApplication = (applicationId: string): string => `application:${applicationId}`;

export function usedByOf(use: AttachmentUse): string {
  switch (use.kind) {
    case 'message':
      return usedByMessage(use.messageId);
    case 'reply':
      return usedByReply(use.messageId, use.replyId);
    case 'application':
      return usedByApplication(use.applicationId);
    default:
      return assertNever(use);
  }
}

export function parseUsedBy(usedBy: string): AttachmentUse | null {
  const parts = usedBy.split(':');
  if (parts.length === 1 && parts[0]) return { kind: 'message', messageId: parts[0] };
  if (parts.length === 2 && parts[0] === 'application' && parts[1]) return { kind: 'application', applicationId: parts[1] };
  if (parts.length === 3 && parts[0] === 'reply' && parts[1] && parts[2]) return { kind: 'reply', messageId: parts[1], replyId: parts[2] };
  return null;
}
