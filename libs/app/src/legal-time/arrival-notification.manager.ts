import { deterministicUuid, type Clock, type RecordedEvent } from '@asiointitili/core';
import { isAtOrAfter, type MessagePublished, type MessageSent } from '@asiointitili/domain';
import type { Reaction } from './event-reactor';
import type { ReminderDispatcher } from './reminder-dispatch';
import type { RouteCheck } from './route-check';
import { systemContext } from './system-context';

export const ARRIVAL_CHECKPOINT = 'pm:arrival';

/**
 * Notification on arrival: when a message reaches the account and the person gave an email
 * address or a phone number, tell them (no link, no content), then record it as a reminder with
 * reason `arrival`. Nothing for a message sent on paper, nor once it was read, nor for one whose
 * route does not hold at its recording point (checked first: RouteCheck).
 */
export class ArrivalNotificationManager implements Reaction {
  readonly name = ARRIVAL_CHECKPOINT;
  readonly eventTypes = new Set(['MessageSent', 'MessagePublished']);

  constructor(
    private readonly reminders: ReminderDispatcher,
    private readonly clock: Clock,
    private readonly routeCheck: RouteCheck,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    const messageId = String(event.data.messageId);
    let availableAt: string;
    if (event.type === 'MessageSent') {
      const sent = event.data as MessageSent['data'];
      // Scheduled: the notice goes out at publication (MessagePublished), not now.
      if (sent.route !== 'electronic' || sent.publishAt !== undefined) return;
      availableAt = sent.sentAt;
    } else {
      // Published: the dispatcher finds a paper route or a reading moot, as for any notice.
      availableAt = (event.data as MessagePublished['data']).publishedAt;
    }
    const now = this.clock.now().toISOString();
    // The domain refuses an arrival notice dated before availability; a worker whose clock runs a
    // little behind the API's records it at that instant instead.
    const at = isAtOrAfter(now, availableAt) ? now : availableAt;
    const cause = { causationId: event.id, correlationId: event.metadata.correlationId };
    const route = event.type === 'MessageSent' ? await this.routeCheck.verifyRecorded(event, now, cause) : await this.routeCheck.verify(messageId, now, cause);
    if (route !== 'electronic') return;
    await this.reminders.remind(
      messageId,
      'arrival',
      at,
      systemContext('arrival-notification', deterministicUuid('arrival-notification', messageId), {
        causationId: event.id,
        correlationId: event.metadata.correlationId,
      }),
    );
  }
}
