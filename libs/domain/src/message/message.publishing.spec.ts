/** Scheduled publishing: recorded now, invisible and clock-less until publishAt, cancellable before it. */
import type { CancelMessage, MessageCommand, PublishMessage } from '../commands';
import type { MessageEvent } from '../events';
import { given } from '../testing/given-when-then';
import { AGENCY, RECIPIENT, sendOrdinary, sendRegistered } from '../testing/message-fixtures';
import { agencyState, availableAt, messageDecider, type ExistingMessage, type MessageState } from './message.decider';

const existing = (state: MessageState): ExistingMessage => {
  if (!state.exists) throw new Error('expected a message');
  return state;
};

// Sent on Monday 2 November 2026 at 10:00 Helsinki; published on Friday 6 November at 08:00 Helsinki.
const SENT_AT = '2026-11-02T08:00:00.000Z';
const PUBLISH_AT = '2026-11-06T06:00:00.000Z';

const publish = (at: string, messageId = 'm-ordinary'): PublishMessage => ({ type: 'PublishMessage', messageId, at });
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
