import { fold } from '../decider';
import type { MessageEvent } from '../events';
import {
  ACKNOWLEDGE_BY,
  acknowledgedAt,
  after,
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
  sentOnPaper,
} from '../testing/message-fixtures';
import { agencyState, citizenState, contentVisible, messageDecider, type ExistingMessage } from './message.decider';

function stateAfter(...events: readonly MessageEvent[]): ExistingMessage {
  const state = fold(messageDecider, events);
  if (!state.exists) throw new Error('expected a message');
  return state;
}

const readOrdinary = readAt('m-ordinary', after(ORDINARY_SENT_AT, HOUR_MS));
const readRegistered = readAt('m-registered', after(REGISTERED_SENT_AT, HOUR_MS));
const acknowledged = acknowledgedAt(after(REGISTERED_SENT_AT, DAY_MS));
const deemedServed: MessageEvent = {
  type: 'MessageDeemedServed',
  data: { messageId: 'm-ordinary', servedOn: ORDINARY_SERVED_ON, deemedServedAt: ORDINARY_SERVED_AT },
};

describe('the citizen view of a message', () => {
  it('shows a new message as unread, then read', () => {
    expect(citizenState(stateAfter(ordinarySent))).toBe('unread');
    expect(citizenState(stateAfter(ordinarySent, readOrdinary))).toBe('read');
  });

  it('stays read once an ordinary message is deemed served', () => {
    expect(citizenState(stateAfter(ordinarySent, readOrdinary, deemedServed))).toBe('read');
  });

  it('shows an acknowledged registered message as acknowledged, read or not', () => {
    expect(citizenState(stateAfter(registeredSent, readRegistered, acknowledged))).toBe('acknowledged');
    expect(citizenState(stateAfter(registeredSent, acknowledged))).toBe('acknowledged');
  });

  it('shows a fallen-back message as paper, even when it had been read', () => {
    expect(citizenState(stateAfter(registeredSent, readRegistered, fellBackAt(ACKNOWLEDGE_BY)))).toBe('paper');
  });

  it('shows a message sent on paper as paper', () => {
    expect(citizenState(stateAfter(...sentOnPaper(ordinarySent, 'no-consent')))).toBe('paper');
  });
});

describe('the agency view of a message', () => {
  it('shows sent, then read', () => {
    expect(agencyState(stateAfter(ordinarySent))).toBe('sent');
    expect(agencyState(stateAfter(ordinarySent, readOrdinary))).toBe('read');
  });

  it('shows deemed served over read, in either order', () => {
    expect(agencyState(stateAfter(ordinarySent, readOrdinary, deemedServed))).toBe('deemed-served');
    expect(agencyState(stateAfter(ordinarySent, deemedServed, readOrdinary))).toBe('deemed-served');
  });

  it('shows acknowledged for a served registered message', () => {
    expect(agencyState(stateAfter(registeredSent, readRegistered, acknowledged))).toBe('acknowledged');
  });

  it('shows paper for a message routed to paper and for a fallen-back one', () => {
    expect(agencyState(stateAfter(...sentOnPaper(registeredSent, 'no-account')))).toBe('paper');
    expect(agencyState(stateAfter(registeredSent, readRegistered, fellBackAt(ACKNOWLEDGE_BY)))).toBe('paper');
  });
});

describe('content visibility', () => {
  it('shows an electronic ordinary message at once, before it is read', () => {
    expect(contentVisible(stateAfter(ordinarySent))).toBe(true);
  });

  it('withholds a registered message until acknowledgement, even when opened', () => {
    expect(contentVisible(stateAfter(registeredSent))).toBe(false);
    expect(contentVisible(stateAfter(registeredSent, readRegistered))).toBe(false);
    expect(contentVisible(stateAfter(registeredSent, readRegistered, acknowledged))).toBe(true);
  });

  it('withholds a registered message that fell back to paper unacknowledged', () => {
    expect(contentVisible(stateAfter(registeredSent, readRegistered, fellBackAt(ACKNOWLEDGE_BY)))).toBe(false);
  });

  it('withholds a message sent on paper: it was not delivered electronically', () => {
    expect(contentVisible(stateAfter(...sentOnPaper(ordinarySent, 'no-account')))).toBe(false);
  });
});
