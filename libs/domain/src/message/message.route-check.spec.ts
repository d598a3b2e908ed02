import type { MarkDeemedServed, RecipientStatus, SendReminder, VerifyRoute } from '../commands';
import type { MessageEvent, PaperReason } from '../events';
import { given } from '../testing/given-when-then';
import {
  acknowledgedAt,
  after,
  HOUR_MS,
  ORDINARY_SENT_AT,
  ORDINARY_SERVED_AT,
  ORDINARY_SERVED_ON,
  ordinarySent,
  REGISTERED_SENT_AT,
  registeredSent,
  sentOnPaper,
} from '../testing/message-fixtures';
import { isOnPaper, messageDecider, type MessageState } from './message.decider';

const verify = (messageId: string, recipientAtRecording: RecipientStatus, at: string): VerifyRoute => ({ type: 'VerifyRoute', messageId, recipientAtRecording, at });
const paper = (paperReason: PaperReason): RecipientStatus => ({ electronic: false, paperReason });
const onPaper = (state: MessageState): boolean => state.exists && isOnPaper(state);

describe('message: the route must hold where the message was recorded (VerifyRoute)', () => {
  const checkedAt = after(REGISTERED_SENT_AT, 50);

  it('records nothing when the account allowed electronic delivery at the recording point', () => {
    expect(given(messageDecider, registeredSent).when(verify('m-registered', { electronic: true }, checkedAt)).events).toEqual([]);
  });

  it.each<[string, MessageEvent, string, PaperReason]>([
    ['registered', registeredSent, 'm-registered', 'account-closed'],
    ['registered', registeredSent, 'm-registered', 'no-consent'],
    ['ordinary', ordinarySent, 'm-ordinary', 'account-closed'],
    ['ordinary', ordinarySent, 'm-ordinary', 'no-consent'],
    ['ordinary', ordinarySent, 'm-ordinary', 'opted-out-to-paper'],
  ])('sends an electronic %s message to paper when the account said %s at its recording point', (_delivery, sent, messageId, reason) => {
    const outcome = given(messageDecider, sent).when(verify(messageId, paper(reason), checkedAt));
    expect(outcome.events).toEqual([{ type: 'PaperFallbackTriggered', data: { messageId, reason, fellBackAt: checkedAt } }]);
    expect(onPaper(outcome.state)).toBe(true);
  });

  it('records nothing the second time (a retry or a second follower)', () => {
    const first = given(messageDecider, ordinarySent).when(verify('m-ordinary', paper('no-consent'), checkedAt)).events;
    expect(given(messageDecider, ordinarySent, ...first).when(verify('m-ordinary', paper('no-consent'), after(checkedAt, 1000))).events).toEqual([]);
  });

  it('never turns a message sent on paper electronic, and records nothing for it', () => {
    expect(given(messageDecider, ...sentOnPaper(ordinarySent, 'no-consent')).when(verify('m-ordinary', { electronic: true }, checkedAt)).events).toEqual([]);
    expect(given(messageDecider, ...sentOnPaper(ordinarySent, 'no-consent')).when(verify('m-ordinary', paper('account-closed'), checkedAt)).events).toEqual([]);
  });

  it('refuses loudly when the message was already served electronically (the check must come first)', () => {
    const acknowledged = given(messageDecider, registeredSent, acknowledgedAt(after(REGISTERED_SENT_AT, HOUR_MS)));
    expect(acknowledged.when(verify('m-registered', paper('account-closed'), checkedAt)).error.code).toBe('already-served');
    const deemed: MessageEvent = { type: 'MessageDeemedServed', data: { messageId: 'm-ordinary', servedOn: ORDINARY_SERVED_ON, deemedServedAt: ORDINARY_SERVED_AT } };
    expect(given(messageDecider, ordinarySent, deemed).when(verify('m-ordinary', paper('no-consent'), ORDINARY_SERVED_AT)).error.code).toBe('already-served');
  });

  it('refuses a paper answer without a reason a sending could have had', () => {
    expect(given(messageDecider, ordinarySent).when(verify('m-ordinary', { electronic: false }, checkedAt)).error.code).toBe('invalid-paper-reason');
    expect(given(messageDecider, ordinarySent).when(verify('m-ordinary', paper('unacknowledged-7-days'), checkedAt)).error.code).toBe('invalid-paper-reason');
  });

  it('answers not found for a message that does not exist', () => {
    expect(given(messageDecider).when(verify('m-none', { electronic: true }, checkedAt)).error.code).toBe('message-not-found');
  });

  describe('after an ordinary message went to paper this way', () => {
    const rerouted: MessageEvent = { type: 'PaperFallbackTriggered', data: { messageId: 'm-ordinary', reason: 'account-closed', fellBackAt: after(ORDINARY_SENT_AT, 50) } };

    it('is never deemed served: its deemed-service deadline records nothing', () => {
      const command: MarkDeemedServed = { type: 'MarkDeemedServed', messageId: 'm-ordinary', at: after(ORDINARY_SERVED_AT, 1) };
      expect(given(messageDecider, ordinarySent, rerouted).when(command).events).toEqual([]);
    });

    it('gets no reminder', () => {
      const command: SendReminder = { type: 'SendReminder', messageId: 'm-ordinary', reason: 'unread-ordinary-7-days', channels: ['email'], at: after(ORDINARY_SENT_AT, 8 * 24 * HOUR_MS) };
      expect(given(messageDecider, ordinarySent, rerouted).when(command).events).toEqual([]);
    });
  });
});
