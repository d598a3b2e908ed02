import type { RecordedEvent } from '@asiointitili/core';
import {
  assertNever,
  ordinaryReminderAt,
  registeredFallbackAt,
  registeredReminderAt,
  replyOverdueAt,
  replyReminderAt,
  startOfHelsinkiDay,
  deemedServedOn,
  type MessageEvent,
  type MessageSent,
} from '@asiointitili/domain';
import { padPosition } from '../read/position';
import { Collections } from '../read/projections/collections';
import { isNewFor, type PositionedDoc, type Projection, type ProjectionBatch } from '../read/projections/projection';

/**
 * What the law makes happen by itself after an electronic message is sent (counted from its
 * availability: publishAt when it was scheduled, else the sending):
 * - `publish`: a scheduled message reaches the recipient at publishAt (any route: a paper one is printed then);
 * - `deemed-served`: an ordinary message is deemed served when the 3rd Helsinki day begins (§19);
 * - `ordinary-reminder`: an ordinary message still unread after 7 × 24 h earns a reminder;
 * - `registered-reminder`: a registered message still unacknowledged after 3 × 24 h earns a reminder (opened or not);
 * - `paper-fallback`: a registered message unacknowledged at `acknowledgeBy` goes to paper (§18);
 * - `reply-reminder`: 2 Helsinki days before a reply-by date with no reply, the person is reminded
 *   (only when that is after availability);
 * - `reply-overdue`: when the day after the reply-by date begins with no reply, the agency is told.
 */
export type DeadlineKind = 'publish' | 'deemed-served' | 'ordinary-reminder' | 'registered-reminder' | 'paper-fallback' | 'reply-reminder' | 'reply-overdue';

export const DEADLINE_KINDS: readonly DeadlineKind[] = [
  'publish', 'deemed-served', 'ordinary-reminder', 'registered-reminder', 'paper-fallback', 'reply-reminder', 'reply-overdue',
];

export type DeadlineStatus = 'pending' | 'done';

/** One deadline of one message. Derived from the log, so a restart, a crash or a rebuild loses none. */
export interface DeadlineDoc extends PositionedDoc {
  /** `${messageId}:${kind}` */
  readonly id: string;
  readonly messageId: string;
  readonly kind: DeadlineKind;
  /** ISO 8601 UTC (toISOString form, so that string order is time order in every read store). */
  readonly dueAt: string;
  readonly status: DeadlineStatus;
  /**
   * Why it is done: the event that recorded it or made it moot (e.g. `MessageRead` for a
   * reminder), or the process manager's own finding (e.g. `no-contact-channel`).
   */
  readonly settledBy?: string;
  /** The MessageSent event the deadline comes from: cause and correlation of the command it issues. */
  readonly causationId: string;
  readonly correlationId: string;
}

export const deadlineId = (messageId: string, kind: DeadlineKind): string => `${messageId}:${kind}`;

const MESSAGE_EVENTS = new Set<string>([
  'MessageSent', 'MessageRoutedToPaper', 'MessageRead', 'ReceiptAcknowledged', 'MessageDeemedServed',
  'ReminderSent', 'PaperFallbackTriggered', 'MessageHandedToPrint', 'ReplySent', 'MessagePublished', 'MessageCancelled', 'ReplyOverdue',
]);

/** The deadlines a sent message starts. A message routed to paper at sending has none: the print channel serves it. */
export function scheduleOf(sent: MessageSent['data']): readonly { readonly kind: DeadlineKind; readonly dueAt: string }[] {
  const iso = (instant: string) => new Date(instant).toISOString();
  const publish = sent.publishAt === undefined ? [] : [{ kind: 'publish' as const, dueAt: iso(sent.publishAt) }];
  if (sent.route !== 'electronic') return publish;
  const available = sent.publishAt ?? sent.sentAt;
  // The agency turned reminders off: only the legal deadlines and the reply-by's overdue remain.
  const reminders = sent.notification?.reminders !== false;
  const reply =
    sent.replyBy === undefined
      ? []
      : [
          ...(reminders && replyReminderAt(sent.replyBy) > iso(available) ? [{ kind: 'reply-reminder' as const, dueAt: iso(replyReminderAt(sent.replyBy)) }] : []),
          { kind: 'reply-overdue' as const, dueAt: iso(replyOverdueAt(sent.replyBy)) },
        ];
  switch (sent.delivery) {
    case 'ordinary':
      return [
        ...publish,
        ...reply,
        { kind: 'deemed-served', dueAt: iso(startOfHelsinkiDay(sent.deemedServedOn ?? deemedServedOn(available))) },
        ...(reminders ? [{ kind: 'ordinary-reminder' as const, dueAt: iso(ordinaryReminderAt(available)) }] : []),
      ];
    case 'registered':
      return [
        ...publish,
        ...reply,
        ...(reminders ? [{ kind: 'registered-reminder' as const, dueAt: iso(registeredReminderAt(available)) }] : []),
        { kind: 'paper-fallback', dueAt: iso(sent.acknowledgeBy ?? registeredFallbackAt(available)) },
      ];
    default:
      return assertNever(sent.delivery);
  }
}

/**
 * Whether an event settles a deadline: records it, or makes it moot for good. Message state only
 * gains facts, so once moot, always moot (a read message stays read, an acknowledgement stays).
 * Deemed service is moot only on paper (a route check may send an ordinary message there):
 * reading an ordinary message does not change the day it is served.
 */
export function settles(kind: DeadlineKind, event: MessageEvent): boolean {
  switch (event.type) {
    case 'MessageDeemedServed':
      return kind === 'deemed-served';
    case 'ReminderSent':
      return (
        (kind === 'registered-reminder' && event.data.reason === 'unread-registered-3-days') ||
        (kind === 'ordinary-reminder' && event.data.reason === 'unread-ordinary-7-days') ||
        (kind === 'reply-reminder' && event.data.reason === 'reply-by')
      );
    case 'ReplyOverdue':
      return kind === 'reply-overdue';
    case 'MessageRead':
      // Opening a registered message does not serve it (§18): its reminder still goes out.
      return kind === 'ordinary-reminder';
    case 'ReceiptAcknowledged':
      return kind === 'registered-reminder' || kind === 'paper-fallback';
    case 'PaperFallbackTriggered':
    case 'MessageRoutedToPaper':
      // Publication still happens on paper: the print hand-off waits for it. Deemed service is moot.
      return kind !== 'publish';
    case 'MessagePublished':
      return kind === 'publish';
    case 'MessageCancelled':
      return true;
    case 'ReplySent':
      return kind === 'reply-reminder' || kind === 'reply-overdue';
    case 'MessageSent':
    case 'MessageHandedToPrint':
    // Who did an act is no deadline's business; the act's own event (just before it) settles what it settles.
    case 'ActedOnBehalf':
    // The process manager marks the deadline done itself when it records the failure.
    case 'NotificationFailed':
      return false;
    default:
      return assertNever(event);
  }
}

/**
 * The legal-time schedule: one document per deadline, pending from MessageSent until the event
 * that records it (or makes it moot) arrives. The deadline process manager reads the due ones;
 * this projection is what makes its schedule durable.
 */
export const deadlinesProjection: Projection = {
  name: 'deadlines',
  indexes: [{ collection: Collections.deadlines, fields: [{ field: 'status', direction: 'asc' }, { field: 'dueAt', direction: 'asc' }] }],
  async apply(event: RecordedEvent, batch: ProjectionBatch): Promise<void> {
    if (!MESSAGE_EVENTS.has(event.type)) return;
    const domainEvent = { type: event.type, data: event.data } as MessageEvent;
    const { messageId } = domainEvent.data;
    const position = padPosition(event.position);

    if (domainEvent.type === 'MessageSent') {
      for (const { kind, dueAt } of scheduleOf(domainEvent.data)) {
        const id = deadlineId(messageId, kind);
        if (!isNewFor(await batch.get<DeadlineDoc>(Collections.deadlines, id), position)) continue;
        batch.put(Collections.deadlines, {
          id,
          messageId,
          kind,
          dueAt,
          status: 'pending',
          causationId: event.id,
          correlationId: event.metadata.correlationId,
          lastPosition: position,
        } satisfies DeadlineDoc);
      }
      return;
    }

    for (const kind of DEADLINE_KINDS) {
      if (!settles(kind, domainEvent)) continue;
      const doc = await batch.get<DeadlineDoc>(Collections.deadlines, deadlineId(messageId, kind));
      // Already done (by an earlier event, or by the process manager's own finding): the first settlement stands.
      if (!doc || doc.status === 'done' || !isNewFor(doc, position)) continue;
      batch.put(Collections.deadlines, { ...doc, status: 'done', settledBy: event.type, lastPosition: position } satisfies DeadlineDoc);
    }
  },
};
