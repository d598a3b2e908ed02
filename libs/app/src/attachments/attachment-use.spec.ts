import { parseUsedBy, usedByApplication, usedByMessage, usedByOf, usedByReply, type AttachmentUse } from './attachment-use';

describe('usedBy: where an attachment was used, as a string', () => {
  it.each<[string, AttachmentUse, string]>([
    ['a message, by its bare id (what SendMessageHandler passes)', { kind: 'message', messageId: 'm-1' }, 'm-1'],
    ['a reply', { kind: 'reply', messageId: 'm-1', replyId: 'r-2' }, 'reply:m-1:r-2'],
    ['an application', { kind: 'application', applicationId: 'a-3' }, 'application:a-3'],
  ])('round-trips %s', (_case, use, text) => {
    expect(usedByOf(use)).toBe(text);
    expect(parseUsedBy(text)).toEqual(use);
  });

  it('agrees with the shorthand encoders', () => {
    expect([usedByMessage('m'), usedByReply('m', 'r'), usedByApplication('a')]).toEqual(['m', 'reply:m:r', 'application:a']);
  });

  it.each(['', 'reply:m-1', 'application:', 'thread:x', 'reply:m::r'])('reads %j as no use', (text) => {
    expect(parseUsedBy(text)).toBeNull();
  });
});
