/** The acts the time process manager issues: deemed service, reminders, paper fallback, print hand-off. */
import type { FallBackToPaper, MarkDeemedServed, RecordPrintHandOff, SendReminder } from '../commands';
import type { MessageEvent, MessageSent } from '../events';
import { given } from '../testing/given-when-then';
import {
  ACKNOWLEDGE_BY,
  acknowledgedAt,
  after,
  CONTENT_SHA,
  DAY_MS,
  fellBackAt,
  HOUR_MS,
  ORDINARY_SENT_AT,
  ORDINARY_SERVED_AT,
  ORDINARY_SERVED_ON,
  ordinarySent,
  readAt,
  REGISTERED_SENT_AT,
  registeredSent,
  sendOrdinary,
  sentOnPaper,
} from '../testing/message-fixtures';
import { agencyState, messageDecider } from './message.decider';

const markDeemedServed = (at: string, messageId = 'm-ordinary'): MarkDeemedServed => ({ type: 'MarkDeemedServed', messageId, at });
const remind = (reason: SendReminder['reason'], at: string, messageId = 'm-registered'): SendReminder => ({
  type: 'SendReminder',
  messageId,
  reason,
  channels: ['email'],
  at,
});
const fallBack = (at: string, reason: FallBackToPaper['reason'] = 'unacknowledged-7-days', messageId = 'm-registered'): FallBackToPaper => ({
  type: 'FallBackToPaper',
  messageId,
  reason,
  at,
});
const handToPrint = (printJobId: string, at: string, messageId = 'm-registered'): RecordPrintHandOff => ({
  type: 'RecordPrintHandOff',
  messageId,
  printJobId,
  at,
});

describe('message: deemed service of an ordinary delivery', () => {
  it('deems an ordinary decision served on the third day', () => {
    expect(given(messageDecider, ordinarySent).when(markDeemedServed(ORDINARY_SERVED_AT)).events).toEqual([
      { type: 'MessageDeemedServed', data: { messageId: 'm-ordinary', servedOn: ORDINARY_SERVED_ON, deemedServedAt: ORDINARY_SERVED_AT } },
    ]);
  });

  it('refuses to mark deemed service a moment before the third day begins in Helsinki', () => {
    expect(given(messageDecider, ordinarySent).when(markDeemedServed(after(ORDINARY_SERVED_AT, -1))).error).toMatchObject({
      kind: 'conflict',
      code: 'not-yet-due',
    });
  });

  it('records the start of the day as the moment of service, however late the process runs', () => {
    const [event] = given(messageDecider, ordinarySent).when(markDeemedServed(after(ORDINARY_SERVED_AT, 3 * DAY_MS))).events;
    expect(event).toMatchObject({ data: { servedOn: ORDINARY_SERVED_ON, deemedServedAt: ORDINARY_SERVED_AT } });
  });

  it('answers a repeated deemed service with no new event', () => {
    const served = given(messageDecider, ordinarySent).when(markDeemedServed(ORDINARY_SERVED_AT)).events;
    expect(given(messageDecider, ordinarySent, ...served).when(markDeemedServed(after(ORDINARY_SERVED_AT, HOUR_MS))).events).toEqual([]);
  });

  it('deems a message served whether or not it was read, and the agency then sees it as deemed served', () => {
    const outcome = given(messageDecider, ordinarySent, readAt('m-ordinary', after(ORDINARY_SENT_AT, HOUR_MS))).when(markDeemedServed(ORDINARY_SERVED_AT));
    expect(outcome.events).toHaveLength(1);
    const state = outcome.state;
    expect(state.exists && agencyState(state)).toBe('deemed-served');
  });

  it('serves a message sent in winter time at the start of a deemed-service day in summer time', () => {
    const sent = given(messageDecider).when(sendOrdinary({ at: '2025-03-28T10:00:00.000Z' })).events;
    expect(sent[0]).toMatchObject({ data: { deemedServedOn: '2025-03-31' } });
    expect(given(messageDecider, ...sent).when(markDeemedServed('2025-03-30T20:59:59.999Z')).error.code).toBe('not-yet-due');
    expect(given(messageDecider, ...sent).when(markDeemedServed('2025-03-30T21:00:00.000Z')).events).toEqual([
      { type: 'MessageDeemedServed', data: { messageId: 'm-ordinary', servedOn: '2025-03-31', deemedServedAt: '2025-03-30T21:00:00.000Z' } },
    ]);
  });

  it('serves a message sent in summer time at the start of a deemed-service day in winter time', () => {
    const sent = given(messageDecider).when(sendOrdinary({ at: '2025-10-24T20:30:00.000Z' })).events;
    // 23:30 on Friday 24 October in Helsinki (UTC+3) → Monday 27 October, which begins at 22:00Z on the 26th (UTC+2).
    expect(given(messageDecider, ...sent).when(markDeemedServed('2025-10-26T22:00:00.000Z')).events).toEqual([
      { type: 'MessageDeemedServed', data: { messageId: 'm-ordinary', servedOn: '2025-10-27', deemedServedAt: '2025-10-26T22:00:00.000Z' } },
    ]);
  });

  it('refuses deemed service of a registered message: it is served by acknowledgement', () => {
    expect(given(messageDecider, registeredSent).when(markDeemedServed(ACKNOWLEDGE_BY, 'm-registered')).error).toMatchObject({
      kind: 'conflict',
      code: 'not-ordinary',
    });
  });

  it('refuses deemed service of a message sent on paper', () => {
    expect(given(messageDecider, ...sentOnPaper(ordinarySent, 'no-account')).when(markDeemedServed(ORDINARY_SERVED_AT)).error).toMatchObject({
      kind: 'conflict',
      code: 'routed-to-paper',
    });
  });

  it('answers not-found for a message that does not exist', () => {
    expect(given(messageDecider).when(markDeemedServed(ORDINARY_SERVED_AT)).error).toMatchObject({ kind: 'not-found', code: 'message-not-found' });
  });
});

describe('message: reminders', () => {
  it('reminds about an unread registered message after 3 days', () => {
    const at = after(REGISTERED_SENT_AT, 3 * DAY_MS);
    expect(given(messageDecider, registeredSent).when(remind('unread-registered-3-days', at)).events).toEqual([
      { type: 'ReminderSent', data: { messageId: 'm-registered', reason: 'unread-registered-3-days', channels: ['email'], sentAt: at } },
    ]);
  });

  it('refuses the registered reminder before 3 days have passed', () => {
    const at = after(REGISTERED_SENT_AT, 3 * DAY_MS - 1);
    expect(given(messageDecider, registeredSent).when(remind('unread-registered-3-days', at)).error).toMatchObject({
      kind: 'conflict',
      code: 'not-yet-due',
    });
  });

  it('reminds about an unread ordinary message after 7 days, not before', () => {
    const due = after(ORDINARY_SENT_AT, 7 * DAY_MS);
    expect(given(messageDecider, ordinarySent).when(remind('unread-ordinary-7-days', due, 'm-ordinary')).events).toHaveLength(1);
    expect(given(messageDecider, ordinarySent).when(remind('unread-ordinary-7-days', after(due, -1), 'm-ordinary')).error.code).toBe('not-yet-due');
  });

  it('announces arrival at once', () => {
    expect(given(messageDecider, registeredSent).when(remind('arrival', REGISTERED_SENT_AT)).events).toHaveLength(1);
  });

  it('sends each reminder once', () => {
    const at = after(REGISTERED_SENT_AT, 3 * DAY_MS);
    const sent = given(messageDecider, registeredSent).when(remind('unread-registered-3-days', at)).events;
    expect(given(messageDecider, registeredSent, ...sent).when(remind('unread-registered-3-days', after(at, HOUR_MS))).events).toEqual([]);
  });

  it('sends the unread reminder even after the arrival notice', () => {
    const arrival = given(messageDecider, registeredSent).when(remind('arrival', REGISTERED_SENT_AT)).events;
    const outcome = given(messageDecider, registeredSent, ...arrival).when(remind('unread-registered-3-days', after(REGISTERED_SENT_AT, 3 * DAY_MS)));
    expect(outcome.events).toHaveLength(1);
    expect(outcome.state.exists && outcome.state.remindersSent).toEqual(['arrival', 'unread-registered-3-days']);
  });

  it('sends no reminder for a registered message that was acknowledged, fallen back or sent on paper', () => {
    const at = after(REGISTERED_SENT_AT, 3 * DAY_MS);
    const histories: (readonly MessageEvent[])[] = [
      [registeredSent, acknowledgedAt(after(REGISTERED_SENT_AT, HOUR_MS))],
      [registeredSent, fellBackAt(after(REGISTERED_SENT_AT, HOUR_MS), 'account-closed')],
      sentOnPaper(registeredSent, 'no-consent'),
    ];
    for (const history of histories) {
      expect(given(messageDecider, ...history).when(remind('unread-registered-3-days', at)).events).toEqual([]);
    }
  });

  it('still reminds about a registered message that was opened but not acknowledged (opening does not serve it)', () => {
    const at = after(REGISTERED_SENT_AT, 3 * DAY_MS);
    const opened = given(messageDecider, registeredSent, readAt('m-registered', after(REGISTERED_SENT_AT, HOUR_MS)));
    expect(opened.when(remind('unread-registered-3-days', at)).events).toEqual([
      { type: 'ReminderSent', data: { messageId: 'm-registered', reason: 'unread-registered-3-days', channels: ['email'], sentAt: at } },
    ]);
  });

  it('sends no reminder for an ordinary message once it was opened', () => {
    const at = after(ORDINARY_SENT_AT, 7 * DAY_MS);
    const opened = given(messageDecider, ordinarySent, readAt('m-ordinary', after(ORDINARY_SENT_AT, HOUR_MS)));
    expect(opened.when(remind('unread-ordinary-7-days', at, 'm-ordinary')).events).toEqual([]);
  });

  it('refuses a reminder whose reason does not fit the delivery', () => {
    expect(given(messageDecider, ordinarySent).when(remind('unread-registered-3-days', ORDINARY_SERVED_AT, 'm-ordinary')).error).toMatchObject({
      kind: 'conflict',
      code: 'reminder-not-applicable',
    });
    expect(given(messageDecider, registeredSent).when(remind('unread-ordinary-7-days', ACKNOWLEDGE_BY)).error.code).toBe('reminder-not-applicable');
  });

  it('refuses a reminder that goes by no channel', () => {
    const command = { ...remind('arrival', REGISTERED_SENT_AT), channels: [] };
    expect(given(messageDecider, registeredSent).when(command).error).toMatchObject({ kind: 'invalid', code: 'no-reminder-channel' });
  });
});

describe('message: paper fallback of a registered delivery', () => {
  it('falls back to paper after 7 unacknowledged days', () => {
    const outcome = given(messageDecider, registeredSent).when(fallBack(ACKNOWLEDGE_BY));
    expect(outcome.events).toEqual([fellBackAt(ACKNOWLEDGE_BY)]);
    expect(outcome.state.exists && agencyState(outcome.state)).toBe('paper');
  });

  it('refuses the 7-day fallback a moment before the deadline', () => {
    expect(given(messageDecider, registeredSent).when(fallBack(after(ACKNOWLEDGE_BY, -1))).error).toMatchObject({
      kind: 'conflict',
      code: 'not-yet-due',
    });
  });

  it('falls back at once when the recipient closes the account', () => {
    const at = after(REGISTERED_SENT_AT, HOUR_MS);
    expect(given(messageDecider, registeredSent).when(fallBack(at, 'account-closed')).events).toEqual([fellBackAt(at, 'account-closed')]);
  });

  it('answers a fallback after the acknowledgement with no event: the acknowledgement won', () => {
    const history = [registeredSent, acknowledgedAt(after(REGISTERED_SENT_AT, DAY_MS))];
    expect(given(messageDecider, ...history).when(fallBack(ACKNOWLEDGE_BY)).events).toEqual([]);
    expect(given(messageDecider, ...history).when(fallBack(after(REGISTERED_SENT_AT, 2 * DAY_MS), 'account-closed')).events).toEqual([]);
  });

  it('answers a repeated fallback with no new event, whatever its reason', () => {
    const history = [registeredSent, fellBackAt(after(REGISTERED_SENT_AT, DAY_MS), 'account-closed')];
    expect(given(messageDecider, ...history).when(fallBack(ACKNOWLEDGE_BY)).events).toEqual([]);
  });

  it('refuses to fall back an ordinary message', () => {
    expect(given(messageDecider, ordinarySent).when(fallBack(ACKNOWLEDGE_BY, 'account-closed', 'm-ordinary')).error).toMatchObject({
      kind: 'conflict',
      code: 'not-registered',
    });
  });

  it('refuses to fall back a message that was sent on paper', () => {
    expect(given(messageDecider, ...sentOnPaper(registeredSent, 'no-account')).when(fallBack(ACKNOWLEDGE_BY)).error).toMatchObject({
      kind: 'conflict',
      code: 'routed-to-paper',
    });
  });

  it('refuses a reason that belongs to sending, not to a fallback', () => {
    expect(given(messageDecider, registeredSent).when(fallBack(ACKNOWLEDGE_BY, 'no-consent')).error).toMatchObject({
      kind: 'invalid',
      code: 'invalid-fallback-reason',
    });
  });

  it('answers not-found for a message that does not exist', () => {
    expect(given(messageDecider).when(fallBack(ACKNOWLEDGE_BY)).error).toMatchObject({ kind: 'not-found', code: 'message-not-found' });
  });
});

describe('message: hand-off to print', () => {
  it('hands a message routed to paper to print, binding the content hash', () => {
    const history = sentOnPaper(ordinarySent, 'no-account');
    expect(given(messageDecider, ...history).when(handToPrint('job-1', ORDINARY_SENT_AT, 'm-ordinary')).events).toEqual([
      { type: 'MessageHandedToPrint', data: { messageId: 'm-ordinary', printJobId: 'job-1', contentSha256: CONTENT_SHA, handedAt: ORDINARY_SENT_AT } },
    ]);
  });

  it('hands a fallen-back registered message to print', () => {
    const outcome = given(messageDecider, registeredSent, fellBackAt(ACKNOWLEDGE_BY)).when(handToPrint('job-2', ACKNOWLEDGE_BY));
    expect(outcome.events).toHaveLength(1);
    expect(outcome.state.exists && outcome.state.printHandOff).toEqual({ printJobId: 'job-2', at: ACKNOWLEDGE_BY });
  });

  it('answers the same print job again with no new event', () => {
    const history = [registeredSent, fellBackAt(ACKNOWLEDGE_BY)];
    const handed = given(messageDecider, ...history).when(handToPrint('job-2', ACKNOWLEDGE_BY)).events;
    expect(given(messageDecider, ...history, ...handed).when(handToPrint('job-2', after(ACKNOWLEDGE_BY, HOUR_MS))).events).toEqual([]);
  });

  it('refuses a second, different print job for the same message', () => {
    const history = [registeredSent, fellBackAt(ACKNOWLEDGE_BY)];
    const handed = given(messageDecider, ...history).when(handToPrint('job-2', ACKNOWLEDGE_BY)).events;
    expect(given(messageDecider, ...history, ...handed).when(handToPrint('job-3', ACKNOWLEDGE_BY)).error).toMatchObject({
      kind: 'conflict',
      code: 'already-handed-to-print',
    });
  });

  it('refuses to print a message that is delivered electronically', () => {
    const electronic: readonly MessageSent[] = [ordinarySent, registeredSent];
    for (const sent of electronic) {
      expect(given(messageDecider, sent).when(handToPrint('job-9', ACKNOWLEDGE_BY, sent.data.messageId)).error).toMatchObject({
        kind: 'conflict',
        code: 'not-on-paper',
      });
    }
  });
});
