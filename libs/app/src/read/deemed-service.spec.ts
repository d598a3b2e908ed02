import { fold, messageDecider, startOfHelsinkiDay, type ExistingMessage, type MessageEvent } from '@asiointitili/domain';
import { ORDINARY_SENT_AT, ORDINARY_SERVED_AT, ORDINARY_SERVED_ON, ordinarySent } from '@asiointitili/domain/testing/message-fixtures';
import { deemedService } from './deemed-service';

const stateOf = (...events: MessageEvent[]): ExistingMessage => fold(messageDecider, events) as ExistingMessage;

describe('deemed service as both sides see it', () => {
  it('shows the day and its Helsinki start from the sending of an electronic ordinary message', () => {
    expect(deemedService(stateOf(ordinarySent))).toEqual({ on: ORDINARY_SERVED_ON, at: ORDINARY_SERVED_AT });
  });

  it('counts a scheduled message\'s day and instant from publishAt, not from the sending', () => {
    // Sent Monday 2 November 2026, published Friday 6 November: deemed served Monday 9 November.
    const scheduled: MessageEvent = { ...ordinarySent, data: { ...ordinarySent.data, sentAt: '2026-11-02T08:00:00.000Z', publishAt: '2026-11-06T06:00:00.000Z', deemedServedOn: '2026-11-09' } };
    expect(deemedService(stateOf(scheduled))).toEqual({ on: '2026-11-09', at: startOfHelsinkiDay('2026-11-09') });
  });

  it('shows no date for a message that went to paper before it was deemed served (it never will be)', () => {
    const rerouted: MessageEvent = { type: 'PaperFallbackTriggered', data: { messageId: 'm-ordinary', reason: 'no-consent', fellBackAt: ORDINARY_SENT_AT } };
    expect(deemedService(stateOf(ordinarySent, rerouted))).toEqual({});
  });
});
