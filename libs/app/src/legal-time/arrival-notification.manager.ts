import { deterministicUuid, type Clock, type RecordedEvent } from '@asiointitili/core';
import { isAtOrAfter, type MessageSent } from '@asiointitili/domain';
import type { Reaction } from './event-reactor';
import type { ReminderDispatcher } from './reminder-dispatch';
import { systemContext } from './system-context';

export const ARRIVAL_CHECKPOINT = 'pm:arrival';

/**
 * Notification on arrival: when a message reaches the account and the person gave an email
 * address or a phone number, tell them (no link, no content), then record it as a reminder with
 * reason `arrival`. Nothing for a message sent on paper, nor once it was read.
 */
export class ArrivalNotificationManager implements Reaction {
  readonly name = ARRIVAL_CHECKPOINT;
  readonly eventTypes = new Set(['MessageSent']);

  constructor(
    private readonly reminders: ReminderDispatcher,
    private readonly clock: Clock,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    const sent = event.data as MessageSent['data'];
    if (sent.route !== 'electronic') return;
    const now = this.clock.now().toISOString();
    // The domain refuses an arrival notice dated before the sending; a worker whose clock runs a
    // little behind the API's records it at the sending instant instead.
    const at = isAtOrAfter(now, sent.sentAt) ? now : sent.sentAt;
    await this.reminders.remind(
      sent.messageId,
      'arrival',
      at,
      systemContext('arrival-notification', deterministicUuid('arrival-notification', sent.messageId), {
        causationId: event.id,
        correlationId: event.metadata.correlationId,
      }),
    );
  }
}
