/** Scheduled publishing: recorded now, invisible and clock-less until publishAt, cancellable before it. */
import type { CancelMessage, MessageCommand, PublishMessage, RecipientStatus } from '../commands';
import type { MessageEvent, PaperReason } from '../events';
import { given } from '../testing/given-when-then';
import { AGENCY, RECIPIENT, sendOrdinary, sendRegistered } from '../testing/message-fixtures';
import { agencyState, availableAt, citizenState, isOnPaper, messageDecider, reachedAccount, type ExistingMessage, type MessageState } from './message.decider';

const existing = (state: MessageState): ExistingMessage => {
  if (!state.exists) throw new Error('expected a message');
  return state;
};

// Sent on Monday 2 November 2026 at 10:00 Helsinki; published on Friday 6 November at 08:00 Helsinki.
const SENT_AT = '2026-11-02T08:00:00.000Z';
const PUBLISH_AT = '2026-11-06T06:00:00.000Z';

const STILL_ELECTRONIC: RecipientStatus = { electronic: true };
const publish = (at: string, messageId = 'm-ordinary', recipientAtPublication = STILL_ELECTRONIC): PublishMessage => ({ type: 'PublishMessage', messageId, recipientAtPublication, at });
const cancel = (at: string, agencyId = AGENCY, messageId = 'm-ordinary'): CancelMessage => ({ type: 'CancelMessage', messageId, agencyId, at });
const scheduledOrdinary = given(messageDecider).when(sendOrdinary({ at: SENT_AT, publishAt: PUBLISH_AT })).events;
const scheduledRegistered = given(messageDecider).when(sendRegistered({ at: SENT_AT, publishAt: PUBLISH_AT })).events;
const published: MessageEvent = { type: 'MessagePublished', data: { messageId: 'm-ordinary', publishedAt: PUBLISH_AT } };

describe('message: scheduling', () => {
  it('counts the legal dates from publishAt: deemed served on the 3rd Helsinki day after publication', () => {
    expect(scheduledOrdinary).toEqual([
      expect.objectContaining({ type: 'MessageSent', data: expect.objectContaining({ sentAt: SENT_AT, publishAt: PUBLISH_AT, deemedServedOn: '2026-11-09' }) }),
    ]);
  });

  it('runs the 7 acknowledgement days from publication', () => {
    expect(scheduledRegistered[0]).toMatchObject({ data: { acknowledgeBy: '2026-11-13T22:00:00.000Z' } });
    expect(availableAt(existing(given(messageDecider, ...scheduledRegistered).state))).toBe(PUBLISH_AT);
  });

  it.each([
    ['at the moment of sending', SENT_AT, 'publish-at-not-in-future'],
    ['in the past', '2026-11-01T08:00:00.000Z', 'publish-at-not-in-future'],
    ['more than a year ahead', '2027-11-02T08:00:00.001Z', 'publish-at-too-far'],
    ['not an instant', '2026-11-06', 'invalid-publish-at'],
  ])('refuses a publishAt %s', (_what, publishAt, code) => {
    expect(given(messageDecider).when(sendOrdinary({ at: SENT_AT, publishAt })).error).toMatchObject({ kind: 'invalid', code });
  });

  it('accepts a publishAt exactly a year ahead', () => {
    expect(given(messageDecider).when(sendOrdinary({ at: SENT_AT, publishAt: '2027-11-02T08:00:00.000Z' })).events).toHaveLength(1);
  });

  it('shows the agency the state scheduled until publication, then sent', () => {
    expect(agencyState(existing(given(messageDecider, ...scheduledOrdinary).state))).toBe('scheduled');
    expect(agencyState(existing(given(messageDecider, ...scheduledOrdinary, published).state))).toBe('sent');
  });
});

describe('message: before publication nothing reaches the recipient and no clock runs', () => {
  const recipientActs: readonly MessageCommand[] = [
    { type: 'OpenMessage', messageId: 'm-ordinary', citizenRef: RECIPIENT, at: '2026-11-03T08:00:00.000Z' },
    { type: 'SendReply', messageId: 'm-ordinary', replyId: 'r-1', citizenRef: RECIPIENT, body: 'Kiitos', attachments: [], at: '2026-11-03T08:00:00.000Z' },
  ];

  it.each(recipientActs.map((command) => [command.type, command] as const))('answers %s as for a message that does not exist', (_type, command) => {
    expect(given(messageDecider, ...scheduledOrdinary).when(command).error).toMatchObject({ kind: 'not-found', code: 'message-not-found' });
  });

  it('refuses an acknowledgement of a registered message before publication as not found', () => {
    const ack: MessageCommand = { type: 'AcknowledgeReceipt', messageId: 'm-registered', citizenRef: RECIPIENT, method: 'bank', assurance: 'high', at: '2026-11-03T08:00:00.000Z' };
    expect(given(messageDecider, ...scheduledRegistered).when(ack).error.code).toBe('message-not-found');
  });

  it('leaves the time acts for later (not-yet-due) while unpublished, even past their dates', () => {
    const late = '2026-12-31T00:00:00.000Z';
    const acts: readonly MessageCommand[] = [
      { type: 'MarkDeemedServed', messageId: 'm-ordinary', at: late },
      { type: 'SendReminder', messageId: 'm-ordinary', reason: 'arrival', channels: ['email'], at: late },
    ];
    for (const act of acts) expect(given(messageDecider, ...scheduledOrdinary).when(act).error.code).toBe('not-yet-due');
  });
});

describe('message: publication', () => {
  it('is not due a moment before publishAt', () => {
    expect(given(messageDecider, ...scheduledOrdinary).when(publish('2026-11-06T05:59:59.999Z')).error).toMatchObject({ kind: 'conflict', code: 'not-yet-due' });
  });

  it('records publication at publishAt, however late the process runs', () => {
    expect(given(messageDecider, ...scheduledOrdinary).when(publish('2026-11-06T09:00:00.000Z')).events).toEqual([published]);
  });

  it('publishes once: a repeat records nothing', () => {
    expect(given(messageDecider, ...scheduledOrdinary, published).when(publish('2026-11-06T09:00:00.000Z')).events).toEqual([]);
  });

  it('refuses to publish a message that was not scheduled, or was cancelled', () => {
    const unscheduled = given(messageDecider).when(sendOrdinary({ at: SENT_AT })).events;
    expect(given(messageDecider, ...unscheduled).when(publish(PUBLISH_AT)).error.code).toBe('not-scheduled');
    const cancelled: MessageEvent = { type: 'MessageCancelled', data: { messageId: 'm-ordinary', cancelledAt: '2026-11-03T08:00:00.000Z' } };
    expect(given(messageDecider, ...scheduledOrdinary, cancelled).when(publish(PUBLISH_AT)).error.code).toBe('cancelled');
  });

  it('opens the message to the recipient once published', () => {
    const open: MessageCommand = { type: 'OpenMessage', messageId: 'm-ordinary', citizenRef: RECIPIENT, at: '2026-11-06T07:00:00.000Z' };
    expect(given(messageDecider, ...scheduledOrdinary, published).when(open).events).toEqual([
      { type: 'MessageRead', data: { messageId: 'm-ordinary', readAt: '2026-11-06T07:00:00.000Z' } },
    ]);
  });
});

describe('message: cancellation', () => {
  it('cancels a scheduled message before publishAt', () => {
    expect(given(messageDecider, ...scheduledOrdinary).when(cancel('2026-11-06T05:59:59.999Z')).events).toEqual([
      { type: 'MessageCancelled', data: { messageId: 'm-ordinary', cancelledAt: '2026-11-06T05:59:59.999Z' } },
    ]);
  });

  it('refuses to cancel at or after publishAt, even before the publication is recorded', () => {
    expect(given(messageDecider, ...scheduledOrdinary).when(cancel(PUBLISH_AT)).error).toMatchObject({ kind: 'conflict', code: 'already-published' });
    expect(given(messageDecider, ...scheduledOrdinary, published).when(cancel('2026-11-05T00:00:00.000Z')).error.code).toBe('already-published');
  });

  it('answers another agency as for a message that does not exist', () => {
    expect(given(messageDecider, ...scheduledOrdinary).when(cancel('2026-11-03T08:00:00.000Z', 'verohallinto')).error.kind).toBe('not-found');
  });

  it('refuses to cancel a message that was delivered at sending', () => {
    const unscheduled = given(messageDecider).when(sendOrdinary({ at: SENT_AT })).events;
    expect(given(messageDecider, ...unscheduled).when(cancel('2026-11-03T08:00:00.000Z')).error.code).toBe('not-scheduled');
  });

  it('answers a repeated cancellation with no new event, and makes every later time act moot', () => {
    const cancelled = given(messageDecider, ...scheduledOrdinary).when(cancel('2026-11-03T08:00:00.000Z'));
    const after = cancelled.events;
    expect(given(messageDecider, ...scheduledOrdinary, ...after).when(cancel('2026-11-04T08:00:00.000Z')).events).toEqual([]);
    expect(agencyState(existing(cancelled.state))).toBe('cancelled');
    const late = '2026-12-31T00:00:00.000Z';
    expect(given(messageDecider, ...scheduledOrdinary, ...after).when({ type: 'MarkDeemedServed', messageId: 'm-ordinary', at: late }).events).toEqual([]);
  });
});

describe('message: the route is checked again at publication', () => {
  const paper = (paperReason: PaperReason): RecipientStatus => ({ electronic: false, paperReason });
  const publishRegistered = (recipient: RecipientStatus, at = '2026-11-06T09:00:00.000Z') => publish(at, 'm-registered', recipient);
  const late = '2026-12-31T00:00:00.000Z';

  it.each<[string, PaperReason, readonly MessageEvent[], string]>([
    ['ordinary', 'no-consent', scheduledOrdinary, 'm-ordinary'],
    ['ordinary', 'account-closed', scheduledOrdinary, 'm-ordinary'],
    ['ordinary', 'opted-out-to-paper', scheduledOrdinary, 'm-ordinary'],
    ['registered', 'no-consent', scheduledRegistered, 'm-registered'],
    ['registered', 'account-closed', scheduledRegistered, 'm-registered'],
    ['registered', 'opted-out-to-paper', scheduledRegistered, 'm-registered'],
  ])('sends a scheduled %s message to paper at publishAt when the account says %s at publication, and never into the account', (_delivery, reason, history, messageId) => {
    const outcome = given(messageDecider, ...history).when(publish('2026-11-06T09:00:00.000Z', messageId, paper(reason)));
    expect(outcome.events).toEqual([
      { type: 'PaperFallbackTriggered', data: { messageId, reason, fellBackAt: PUBLISH_AT } },
      { type: 'MessagePublished', data: { messageId, publishedAt: PUBLISH_AT } },
    ]);
    const state = existing(outcome.state);
    expect(isOnPaper(state)).toBe(true);
    expect(reachedAccount(state)).toBe(false);
    expect(agencyState(state)).toBe('paper');
  });

  it('publishes into the account when the route still holds at publication', () => {
    const outcome = given(messageDecider, ...scheduledOrdinary).when(publish('2026-11-06T09:00:00.000Z'));
    expect(outcome.events).toEqual([published]);
    expect(reachedAccount(existing(outcome.state))).toBe(true);
  });

  describe('a message sent to paper at its publication', () => {
    const atPublication = given(messageDecider, ...scheduledRegistered).when(publishRegistered(paper('no-consent'))).events;
    const ordinaryAtPublication = given(messageDecider, ...scheduledOrdinary).when(publish('2026-11-06T09:00:00.000Z', 'm-ordinary', paper('account-closed'))).events;

    it('does not exist for the recipient: opening, acknowledging and replying answer not found', () => {
      const acts: readonly MessageCommand[] = [
        { type: 'OpenMessage', messageId: 'm-registered', citizenRef: RECIPIENT, at: late },
        { type: 'AcknowledgeReceipt', messageId: 'm-registered', citizenRef: RECIPIENT, method: 'bank', assurance: 'high', at: '2026-11-06T10:00:00.000Z' },
        { type: 'SendReply', messageId: 'm-registered', replyId: 'r-1', citizenRef: RECIPIENT, body: 'Kiitos', attachments: [], at: late },
      ];
      for (const act of acts) expect(given(messageDecider, ...scheduledRegistered, ...atPublication).when(act).error.code).toBe('message-not-found');
    });

    it('runs no electronic clock: never deemed served, reminded, fallen back after 7 days or overdue', () => {
      const timeActs: readonly MessageCommand[] = [
        { type: 'SendReminder', messageId: 'm-registered', reason: 'arrival', channels: ['email'], at: late },
        { type: 'SendReminder', messageId: 'm-registered', reason: 'unread-registered-3-days', channels: ['email'], at: late },
        { type: 'FallBackToPaper', messageId: 'm-registered', reason: 'unacknowledged-7-days', at: late },
      ];
      for (const act of timeActs) expect(given(messageDecider, ...scheduledRegistered, ...atPublication).when(act).events).toEqual([]);
      expect(given(messageDecider, ...scheduledOrdinary, ...ordinaryAtPublication).when({ type: 'MarkDeemedServed', messageId: 'm-ordinary', at: late }).events).toEqual([]);
      expect(given(messageDecider, ...scheduledOrdinary, ...ordinaryAtPublication).when({ type: 'SendReminder', messageId: 'm-ordinary', reason: 'unread-ordinary-7-days', channels: ['sms'], at: late }).events).toEqual([]);
    });

    it('is printed: the hand-off is recorded', () => {
      const handOff: MessageCommand = { type: 'RecordPrintHandOff', messageId: 'm-registered', printJobId: 'm-registered', at: '2026-11-06T09:00:01.000Z' };
      expect(given(messageDecider, ...scheduledRegistered, ...atPublication).when(handOff).events.map((e) => e.type)).toEqual(['MessageHandedToPrint']);
    });

    it('is published once: a repeated publication records nothing, whatever the account says now', () => {
      for (const recipient of [paper('no-consent'), { electronic: true } as const]) {
        expect(given(messageDecider, ...scheduledRegistered, ...atPublication).when(publishRegistered(recipient)).events).toEqual([]);
      }
    });
  });

  it('publishes a message already on paper (its account closed before publishAt) as it is: printed, not in the account', () => {
    const closed: MessageEvent = { type: 'PaperFallbackTriggered', data: { messageId: 'm-registered', reason: 'account-closed', fellBackAt: '2026-11-04T08:00:00.000Z' } };
    const outcome = given(messageDecider, ...scheduledRegistered, closed).when(publishRegistered(paper('account-closed')));
    expect(outcome.events).toEqual([{ type: 'MessagePublished', data: { messageId: 'm-registered', publishedAt: PUBLISH_AT } }]);
    expect(reachedAccount(existing(outcome.state))).toBe(false);
  });

  it('publishes a message routed to paper at sending as it is, whatever the account says now', () => {
    const onPaper = given(messageDecider).when(sendOrdinary({ at: SENT_AT, publishAt: PUBLISH_AT, recipient: { electronic: false, paperReason: 'no-account' } })).events;
    expect(given(messageDecider, ...onPaper).when(publish('2026-11-06T09:00:00.000Z', 'm-ordinary', { electronic: true })).events).toEqual([published]);
  });

  it('keeps in the account a message that fell back to paper after it was published', () => {
    const fellBack: MessageEvent = { type: 'PaperFallbackTriggered', data: { messageId: 'm-registered', reason: 'unacknowledged-7-days', fellBackAt: '2026-11-13T22:00:00.000Z' } };
    const publishedRegistered: MessageEvent = { type: 'MessagePublished', data: { messageId: 'm-registered', publishedAt: PUBLISH_AT } };
    const state = existing(given(messageDecider, ...scheduledRegistered, publishedRegistered, fellBack).state);
    expect(reachedAccount(state)).toBe(true);
    expect(citizenState(state)).toBe('paper');
  });

  it('refuses a paper answer without a reason a sending could have had', () => {
    expect(given(messageDecider, ...scheduledOrdinary).when(publish('2026-11-06T09:00:00.000Z', 'm-ordinary', { electronic: false })).error.code).toBe('invalid-paper-reason');
    expect(given(messageDecider, ...scheduledOrdinary).when(publish('2026-11-06T09:00:00.000Z', 'm-ordinary', paper('unacknowledged-7-days'))).error.code).toBe('invalid-paper-reason');
  });

  it('is still not due before publishAt, whatever the account says', () => {
    expect(given(messageDecider, ...scheduledOrdinary).when(publish('2026-11-06T05:59:59.999Z', 'm-ordinary', paper('no-consent'))).error.code).toBe('not-yet-due');
  });
});
