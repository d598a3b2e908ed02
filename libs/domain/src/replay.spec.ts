import type { DomainEvent } from './events';
import { EventOutOfPlaceError } from './event-out-of-place';
import { replaySteps } from './replay';
import { agencyState, type ExistingMessage } from './message/message.decider';
import { ACKNOWLEDGE_BY, fellBackAt, ordinarySent, registeredSent } from './testing/message-fixtures';

describe('replay', () => {
  it('folds a message stream step by step with the domain’s own rules', () => {
    const steps = replaySteps('message', [registeredSent, fellBackAt(ACKNOWLEDGE_BY)]);
    expect(steps.map((step) => step.event.type)).toEqual(['MessageSent', 'PaperFallbackTriggered']);
    expect(agencyState(steps[0].state as ExistingMessage)).toBe('sent');
    expect(agencyState(steps[1].state as ExistingMessage)).toBe('paper');
  });

  it('folds an account stream', () => {
    const steps = replaySteps('account', [
      { type: 'AccountOpened', data: { citizenRef: 'c', language: 'sv', openedBy: 'citizen', openedAt: '2025-11-24T10:00:00.000Z' } },
      { type: 'AccountClosed', data: { citizenRef: 'c', closedAt: '2025-11-25T10:00:00.000Z' } },
    ]);
    expect(steps.map((step) => (step.state as { status: string }).status)).toEqual(['open', 'closed']);
  });

  it('stops at an event of another category', () => {
    const agencyEvent: DomainEvent = { type: 'AgencyRegistered', data: { agencyId: 'a', name: 'A', businessId: '0737546-2', registeredAt: '2025-11-24T10:00:00.000Z' } };
    expect(() => replaySteps('message', [ordinarySent, agencyEvent])).toThrow(EventOutOfPlaceError);
  });

  it('stops at an event type the domain does not know', () => {
    const unknown = { type: 'MessageShredded', data: {} } as unknown as DomainEvent;
    expect(() => replaySteps('message', [ordinarySent, unknown])).toThrow(/not an event of this domain/);
  });

  it('stops at a message event written before the message was sent', () => {
    expect(() => replaySteps('message', [fellBackAt(ACKNOWLEDGE_BY)])).toThrow(EventOutOfPlaceError);
  });

  it('replays an empty stream to no steps', () => {
    expect(replaySteps('application', [])).toEqual([]);
  });
});
