/** Reply-by dates on information requests: shown to both sides, reminded before, reported overdue once. */
import type { MarkReplyOverdue, SendReminder } from '../commands';
import type { MessageEvent } from '../events';
import { replyOverdueAt, replyReminderAt } from '../legal-time';
import { given } from '../testing/given-when-then';
import { RECIPIENT, sendOrdinary, sentOnPaper } from '../testing/message-fixtures';
import { messageDecider } from './message.decider';

// An information request sent on Monday 2 November 2026, 10:00 Helsinki, asking for a reply by Friday 13 November.
const SENT_AT = '2026-11-02T08:00:00.000Z';
const REPLY_BY = '2026-11-13';
const request = (overrides = {}) => sendOrdinary({ kind: 'information-request', at: SENT_AT, replyAllowed: true, replyBy: REPLY_BY, ...overrides });
const sent = given(messageDecider).when(request()).events;
const overdue = (at: string): MarkReplyOverdue => ({ type: 'MarkReplyOverdue', messageId: 'm-ordinary', at });
const remind = (at: string): SendReminder => ({ type: 'SendReminder', messageId: 'm-ordinary', reason: 'reply-by', channels: ['sms'], at });
const replied: MessageEvent = { type: 'ReplySent', data: { messageId: 'm-ordinary', replyId: 'r-1', body: 'Tässä', attachments: [], sentAt: '2026-11-10T08:00:00.000Z' } };

describe('reply-by dates: the Helsinki calendar', () => {
  it('reminds when the Helsinki day 2 days before begins, and is overdue when the day after begins', () => {
    expect(replyReminderAt(REPLY_BY)).toBe('2026-11-10T22:00:00.000Z');
    expect(replyOverdueAt(REPLY_BY)).toBe('2026-11-13T22:00:00.000Z');
  });

  it('follows summer time (UTC+3)', () => {
    expect(replyOverdueAt('2026-06-30')).toBe('2026-06-30T21:00:00.000Z');
  });
});

describe('message: sending with a reply-by date', () => {
  it('records the date for both sides', () => {
    expect(sent[0]).toMatchObject({ type: 'MessageSent', data: { replyBy: REPLY_BY, replyAllowed: true } });
  });

  it.each([
    ['without replyAllowed', { replyAllowed: false }, 'reply-by-needs-replies'],
    ['on the day of sending', { replyBy: '2026-11-02' }, 'reply-by-not-in-future'],
    ['more than a year ahead', { replyBy: '2027-11-03' }, 'reply-by-too-far'],
    ['that is not a date', { replyBy: '2026-02-30' }, 'invalid-reply-by'],
    ['before the scheduled publication', { publishAt: '2026-11-20T08:00:00.000Z' }, 'reply-by-not-in-future'],
  ])('refuses a reply-by date %s', (_what, overrides, code) => {
    expect(given(messageDecider).when(request(overrides)).error).toMatchObject({ kind: 'invalid', code });
  });
});

describe('message: the reply-by reminder', () => {
  it('reminds the person 2 days before, even if they opened the message', () => {
    const opened: MessageEvent = { type: 'MessageRead', data: { messageId: 'm-ordinary', readAt: '2026-11-03T08:00:00.000Z' } };
    expect(given(messageDecider, ...sent, opened).when(remind('2026-11-10T22:00:00.000Z')).events).toEqual([
      { type: 'ReminderSent', data: { messageId: 'm-ordinary', reason: 'reply-by', channels: ['sms'], sentAt: '2026-11-10T22:00:00.000Z' } },
    ]);
  });

  it('is not due a moment before', () => {
    expect(given(messageDecider, ...sent).when(remind('2026-11-10T21:59:59.999Z')).error.code).toBe('not-yet-due');
  });

  it('records nothing once the person replied', () => {
    expect(given(messageDecider, ...sent, replied).when(remind('2026-11-10T22:00:00.000Z')).events).toEqual([]);
  });

  it('does not apply to a message without a reply-by date', () => {
    const plain = given(messageDecider).when(sendOrdinary({ at: SENT_AT })).events;
    expect(given(messageDecider, ...plain).when(remind('2026-11-10T22:00:00.000Z')).error.code).toBe('reminder-not-applicable');
  });
});

describe('message: reply overdue', () => {
  it('records reply-overdue once the day after the reply-by date begins, dated at that instant however late', () => {
    expect(given(messageDecider, ...sent).when(overdue('2026-11-14T09:00:00.000Z')).events).toEqual([
      { type: 'ReplyOverdue', data: { messageId: 'm-ordinary', replyBy: REPLY_BY, overdueAt: '2026-11-13T22:00:00.000Z' } },
    ]);
  });

  it('leaves the whole reply-by date to the person: not overdue at 23:59:59 Helsinki time', () => {
    expect(given(messageDecider, ...sent).when(overdue('2026-11-13T21:59:59.999Z')).error.code).toBe('not-yet-due');
  });

  it('records it exactly once', () => {
    const first = given(messageDecider, ...sent).when(overdue('2026-11-14T09:00:00.000Z')).events;
    expect(given(messageDecider, ...sent, ...first).when(overdue('2026-11-15T09:00:00.000Z')).events).toEqual([]);
  });

  it('records nothing when the person replied in time, or when the message went to paper', () => {
    expect(given(messageDecider, ...sent, replied).when(overdue('2026-11-14T09:00:00.000Z')).events).toEqual([]);
    const onPaper = sentOnPaper(sent[0] as Extract<MessageEvent, { type: 'MessageSent' }>, 'no-consent');
    expect(given(messageDecider, ...onPaper).when(overdue('2026-11-14T09:00:00.000Z')).events).toEqual([]);
  });

  it('still takes a late reply after the date', () => {
    const late = { type: 'SendReply' as const, messageId: 'm-ordinary', replyId: 'r-late', citizenRef: RECIPIENT, body: 'Myöhässä', attachments: [], at: '2026-11-16T08:00:00.000Z' };
    const first = given(messageDecider, ...sent).when(overdue('2026-11-14T09:00:00.000Z')).events;
    expect(given(messageDecider, ...sent, ...first).when(late).events).toHaveLength(1);
  });
});
