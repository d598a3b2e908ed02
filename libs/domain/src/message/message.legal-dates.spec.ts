/**
 * The dates a message carries for both sides: the end of the 7 acknowledgement days (§18, counted
 * by Act 150/1930) and the last day of the appeal period that service starts.
 */
import type { AcknowledgeReceipt, MarkDeemedServed } from '../commands';
import type { MessageEvent } from '../events';
import { given } from '../testing/given-when-then';
import { acknowledgedAt, fellBackAt, ordinarySent, registeredSent, sendOrdinary, sendRegistered, sentOnPaper } from '../testing/message-fixtures';
import { appealEnd, messageDecider, servedOn, type ExistingMessage, type MessageState } from './message.decider';

const existing = (state: MessageState): ExistingMessage => {
  if (!state.exists) throw new Error('expected a message');
  return state;
};

const acknowledge = (at: string): AcknowledgeReceipt => ({
  type: 'AcknowledgeReceipt',
  messageId: 'm-registered',
  citizenRef: 'c1t1zen',
  method: 'mobile',
  assurance: 'high',
  at,
});

describe('message: the 7 acknowledgement days run to the end of the 7th Helsinki day', () => {
  // Given a registered message available on Wednesday 22 October 2025, 13:00 EEST (10:00Z);
  // the clocks go back on Sunday 26 October, so the 7th day (29 October) ends at 22:00Z.
  const sentAcrossDst = sendRegistered({ at: '2025-10-22T10:00:00.000Z' });
  const history = given(messageDecider).when(sentAcrossDst).events;

  it('records the end of the 7th day as acknowledgeBy when sending', () => {
    expect(history[0]).toMatchObject({ data: { acknowledgeBy: '2025-10-29T22:00:00.000Z' } });
  });

  it('accepts an acknowledgement at 23:30 Helsinki time on the 7th day (168 hours would have refused it)', () => {
    expect(given(messageDecider, ...history).when(acknowledge('2025-10-29T21:30:00.000Z')).events).toEqual([
      {
        type: 'ReceiptAcknowledged',
        data: { messageId: 'm-registered', acknowledgedAt: '2025-10-29T21:30:00.000Z', method: 'mobile', assurance: 'high' },
      },
    ]);
  });

  it('refuses an acknowledgement at Helsinki midnight after the 7th day', () => {
    expect(given(messageDecider, ...history).when(acknowledge('2025-10-29T22:00:00.000Z')).error).toMatchObject({
      kind: 'conflict',
      code: 'acknowledgement-period-over',
    });
  });

  it('does not fall back to paper before that midnight, and does at it', () => {
    const fallBack = (at: string) => ({ type: 'FallBackToPaper' as const, messageId: 'm-registered', reason: 'unacknowledged-7-days' as const, at });
    expect(given(messageDecider, ...history).when(fallBack('2025-10-29T21:59:59.999Z')).error.code).toBe('not-yet-due');
    expect(given(messageDecider, ...history).when(fallBack('2025-10-29T22:00:00.000Z')).events).toHaveLength(1);
  });

  it('keeps the deadline an older message recorded (events are never recomputed)', () => {
    const older: MessageEvent = { ...registeredSent, data: { ...registeredSent.data, acknowledgeBy: '2025-12-01T10:00:00.000Z' } };
    expect(given(messageDecider, older).when(acknowledge('2025-12-01T10:00:00.000Z')).error.code).toBe('acknowledgement-period-over');
  });
});

describe('message: appeal period (Act 150/1930)', () => {
  const markDeemedServed = (at: string): MarkDeemedServed => ({ type: 'MarkDeemedServed', messageId: 'm-ordinary', at });

  it('records the appeal period the agency gave', () => {
    expect(given(messageDecider).when(sendOrdinary({ appealPeriodDays: 30 })).events).toEqual([
      { ...ordinarySent, data: { ...ordinarySent.data, appealPeriodDays: 30 } },
    ]);
  });

  it.each([0, 366, 1.5, -30])('refuses an appeal period of %s days', (days) => {
    expect(given(messageDecider).when(sendOrdinary({ appealPeriodDays: days })).error).toMatchObject({
      kind: 'invalid',
      code: 'invalid-appeal-period',
    });
  });

  it('shows no appeal end before service', () => {
    const state = existing(given(messageDecider).when(sendRegistered({ appealPeriodDays: 30 })).state);
    expect([servedOn(state), appealEnd(state)]).toEqual([undefined, undefined]);
  });

  it('counts from the Helsinki day of the acknowledgement: acknowledged 24 November 2026, 30 days end on Monday 28 December', () => {
    // 24 November + 30 = Christmas Eve; then Christmas Day, St Stephen's Day and a Sunday.
    const sent = given(messageDecider).when(sendRegistered({ at: '2026-11-20T10:00:00.000Z', appealPeriodDays: 30 })).events;
    const state = existing(given(messageDecider, ...sent).when(acknowledge('2026-11-24T21:30:00.000Z')).state);
    expect([servedOn(state), appealEnd(state)]).toEqual(['2026-11-24', '2026-12-28']);
  });

  it('counts an acknowledgement at 00:30 Helsinki time from that Helsinki day, not the UTC one', () => {
    const sent = given(messageDecider).when(sendRegistered({ at: '2026-11-20T10:00:00.000Z', appealPeriodDays: 14 })).events;
    const state = existing(given(messageDecider, ...sent).when(acknowledge('2026-11-22T22:30:00.000Z')).state);
    expect([servedOn(state), appealEnd(state)]).toEqual(['2026-11-23', '2026-12-07']);
  });

  it('counts from the deemed-service day: sent Friday 3 April 2026 (Good Friday), served Monday 6 April, 30 days end on Wednesday 6 May', () => {
    const sent = given(messageDecider).when(sendOrdinary({ at: '2026-04-03T09:00:00.000Z', appealPeriodDays: 30 })).events;
    const state = existing(given(messageDecider, ...sent).when(markDeemedServed('2026-04-05T21:00:00.000Z')).state);
    expect([servedOn(state), appealEnd(state)]).toEqual(['2026-04-06', '2026-05-06']);
  });

  it('shows no appeal end for a message on paper (the print channel serves it)', () => {
    const onPaper = existing(given(messageDecider, ...sentOnPaper({ ...registeredSent, data: { ...registeredSent.data, appealPeriodDays: 30 } }, 'no-consent')).state);
    const fellBack = existing(given(messageDecider, { ...registeredSent, data: { ...registeredSent.data, appealPeriodDays: 30 } }, fellBackAt('2025-12-01T22:00:00.000Z')).state);
    expect([appealEnd(onPaper), appealEnd(fellBack)]).toEqual([undefined, undefined]);
  });

  it('shows no appeal end when the agency gave no period', () => {
    expect(appealEnd(existing(given(messageDecider, registeredSent, acknowledgedAt('2025-11-25T10:00:00.000Z')).state))).toBeUndefined();
  });
});
