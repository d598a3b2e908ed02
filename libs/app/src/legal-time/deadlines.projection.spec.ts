import {
  ACKNOWLEDGE_BY,
  DAY_MS,
  ORDINARY_SENT_AT,
  ORDINARY_SERVED_AT,
  REGISTERED_SENT_AT,
  acknowledgedAt,
  after,
  fellBackAt,
  ordinarySent,
  readAt,
  registeredSent,
  sentOnPaper,
} from '@asiointitili/domain/testing/message-fixtures';
import type { DomainEvent, MessageEvent } from '@asiointitili/domain';
import { Collections } from '../read/projections/collections';
import { deadlinesProjection, type DeadlineDoc } from './deadlines.projection';
import { project, recorded } from './testing/projection-harness';

/** Given these events, the schedule (kind → status, settledBy, dueAt). */
async function scheduleAfter(...events: DomainEvent[]) {
  const batch = await project(deadlinesProjection, recorded(events));
  return Object.fromEntries(
    batch.docs<DeadlineDoc>(Collections.deadlines).map((d) => [d.kind, { status: d.status, dueAt: d.dueAt, ...(d.settledBy ? { settledBy: d.settledBy } : {}) }]),
  );
}

const deemed: MessageEvent = { type: 'MessageDeemedServed', data: { messageId: 'm-ordinary', servedOn: '2025-11-27', deemedServedAt: ORDINARY_SERVED_AT } };
const reminded = (messageId: string, reason: 'unread-registered-3-days' | 'unread-ordinary-7-days' | 'arrival'): MessageEvent => ({
  type: 'ReminderSent',
  data: { messageId, reason, channels: ['email'], sentAt: REGISTERED_SENT_AT },
});

describe('the deadlines projection (the durable legal-time schedule)', () => {
  it('schedules deemed service at the start of the 3rd Helsinki day and the reminder at 7 × 24 h for an electronic ordinary message', async () => {
    expect(await scheduleAfter(ordinarySent)).toEqual({
      'deemed-served': { status: 'pending', dueAt: ORDINARY_SERVED_AT },
      'ordinary-reminder': { status: 'pending', dueAt: after(ORDINARY_SENT_AT, 7 * DAY_MS) },
    });
  });

  it('schedules the reminder at 3 × 24 h and the paper fallback at acknowledgeBy for an electronic registered message', async () => {
    expect(await scheduleAfter(registeredSent)).toEqual({
      'registered-reminder': { status: 'pending', dueAt: after(REGISTERED_SENT_AT, 3 * DAY_MS) },
      'paper-fallback': { status: 'pending', dueAt: ACKNOWLEDGE_BY },
    });
  });

  it('schedules nothing for a message routed to paper at sending', async () => {
    expect(await scheduleAfter(...sentOnPaper(registeredSent, 'no-consent'))).toEqual({});
  });

  it('keeps, for each deadline, the MessageSent event as the cause of the command it will issue', async () => {
    const batch = await project(deadlinesProjection, recorded([registeredSent]));
    for (const doc of batch.docs<DeadlineDoc>(Collections.deadlines)) {
      expect(doc).toMatchObject({ id: `m-registered:${doc.kind}`, messageId: 'm-registered', causationId: 'event-1', correlationId: 'correlation-1', lastPosition: '00000000000000000001' });
    }
  });

  it('marks deemed service done when MessageDeemedServed is recorded, and not when the message is merely read', async () => {
    expect((await scheduleAfter(ordinarySent, readAt('m-ordinary', ORDINARY_SENT_AT)))['deemed-served']).toMatchObject({ status: 'pending' });
    expect((await scheduleAfter(ordinarySent, deemed))['deemed-served']).toMatchObject({ status: 'done', settledBy: 'MessageDeemedServed' });
  });

  it('marks a reminder done when it is sent or when the message is read, but not for the arrival notice', async () => {
    expect((await scheduleAfter(ordinarySent, reminded('m-ordinary', 'arrival')))['ordinary-reminder']).toMatchObject({ status: 'pending' });
    expect((await scheduleAfter(ordinarySent, reminded('m-ordinary', 'unread-ordinary-7-days')))['ordinary-reminder']).toMatchObject({ status: 'done', settledBy: 'ReminderSent' });
    // A registered message opened but not acknowledged still earns its reminder (§18: opening does not serve it).
    expect((await scheduleAfter(registeredSent, readAt('m-registered', REGISTERED_SENT_AT)))['registered-reminder']).toMatchObject({ status: 'pending' });
    expect((await scheduleAfter(ordinarySent, readAt('m-ordinary', ORDINARY_SENT_AT)))['ordinary-reminder']).toMatchObject({ status: 'done', settledBy: 'MessageRead' });
    expect((await scheduleAfter(registeredSent, readAt('m-registered', REGISTERED_SENT_AT)))['paper-fallback']).toMatchObject({ status: 'pending' });
  });

  it('marks the reminder and the fallback of a registered message done at its acknowledgement', async () => {
    expect(await scheduleAfter(registeredSent, acknowledgedAt(after(REGISTERED_SENT_AT, DAY_MS)))).toMatchObject({
      'registered-reminder': { status: 'done', settledBy: 'ReceiptAcknowledged' },
      'paper-fallback': { status: 'done', settledBy: 'ReceiptAcknowledged' },
    });
  });

  it('marks the reminder and the fallback done when the message falls back to paper (7 days, or the account closing)', async () => {
    expect(await scheduleAfter(registeredSent, fellBackAt(ACKNOWLEDGE_BY))).toMatchObject({
      'registered-reminder': { status: 'done', settledBy: 'PaperFallbackTriggered' },
      'paper-fallback': { status: 'done', settledBy: 'PaperFallbackTriggered' },
    });
  });

  it('keeps the first settlement: a later event does not rewrite why a deadline is done', async () => {
    const schedule = await scheduleAfter(registeredSent, reminded('m-registered', 'unread-registered-3-days'), acknowledgedAt(after(REGISTERED_SENT_AT, 4 * DAY_MS)));
    expect(schedule['registered-reminder']).toMatchObject({ status: 'done', settledBy: 'ReminderSent' });
    expect(schedule['paper-fallback']).toMatchObject({ status: 'done', settledBy: 'ReceiptAcknowledged' });
  });

  it('yields the same documents when the whole log is replayed over them (idempotent), and when replayed into a fresh store', async () => {
    const log = recorded([registeredSent, readAt('m-registered', REGISTERED_SENT_AT), acknowledgedAt(after(REGISTERED_SENT_AT, DAY_MS))]);
    const once = await project(deadlinesProjection, log);
    const snapshot = once.docs(Collections.deadlines);
    const twice = await project(deadlinesProjection, log, once);
    expect(twice.docs(Collections.deadlines)).toEqual(snapshot);
    expect((await project(deadlinesProjection, log)).docs(Collections.deadlines)).toEqual(snapshot);
  });

  it('ignores events of other streams', async () => {
    const batch = await project(deadlinesProjection, recorded([{ type: 'AccountClosed', data: { citizenRef: 'c', closedAt: REGISTERED_SENT_AT } }]));
    expect(batch.docs(Collections.deadlines)).toEqual([]);
  });
});
