import { Logger } from '@nestjs/common';
import { UndeliverableNotificationError, deterministicUuid, type Notification, type Notifier } from '@asiointitili/core';
import {
  accountDecider,
  accountStream,
  messageDecider,
  messageStream,
  isWithheld,
  reminderIsMoot,
  type AccountState,
  type RecordNotificationFailure,
  type ReminderReason,
  type SendReminder,
} from '@asiointitili/domain';
import { openContact } from '../personal-data/contact-details';
import type { PersonalDataVault } from '../personal-data/personal-data-vault';
import type { CommandContext, CommandExecutor } from '../write/command-executor';

export interface ContactChannel {
  readonly channel: Notification['channel'];
  readonly to: string;
}

/**
 * Where a person can be told that something arrived: the addresses of an open account only,
 * opened from the account's sealed contact details. Erased details (the key is gone) give none.
 */
export async function contactChannels(account: AccountState, vault: PersonalDataVault): Promise<readonly ContactChannel[]> {
  if (account.status !== 'open' || account.citizenRef === undefined) return [];
  const contact = await openContact(vault, account.citizenRef, account.contact);
  if (contact === null) return [];
  return [
    ...(contact.email ? [{ channel: 'email' as const, to: contact.email }] : []),
    ...(contact.phone ? [{ channel: 'sms' as const, to: contact.phone }] : []),
  ];
}

/** One id per message, reason and channel: a retried reminder reaches the adapter with the same id and is dropped there. */
export const notificationId = (messageId: string, reason: ReminderReason, channel: Notification['channel']): string =>
  deterministicUuid('notification', messageId, reason, channel);

export type ReminderOutcome =
  | { readonly outcome: 'recorded'; readonly position: bigint }
  /** The reminder was moot (see the domain's reminderIsMoot) or is already in the trail. */
  | { readonly outcome: 'nothing-to-record' }
  /** The person gave no email or phone, erased them, or the account is closed: the domain has no reminder without a channel. */
  | { readonly outcome: 'no-contact-channel' }
  /** Every channel refused the address for good: nothing went out, so nothing is recorded. */
  | { readonly outcome: 'undeliverable' }
  /** A scheduled message not yet published: nothing goes out before publication. */
  | { readonly outcome: 'not-yet-due' };

/**
 * Notifies the person, then records the ReminderSent. The order is the point: a trail entry
 * must mean the notice went out. A crash in between repeats both on retry; the notifier drops
 * the repeated notification id, and the decider records the reminder once.
 */
export class ReminderDispatcher {
  private readonly logger = new Logger('ReminderDispatcher');

  constructor(
    private readonly executor: CommandExecutor,
    private readonly notifier: Notifier,
    private readonly vault: PersonalDataVault,
  ) {}

  async remind(messageId: string, reason: ReminderReason, at: string, context: CommandContext): Promise<ReminderOutcome> {
    const { state: message } = await this.executor.load(messageStream(messageId), messageDecider);
    if (!message.exists || reminderIsMoot(message, reason)) return { outcome: 'nothing-to-record' };
    // A scheduled message not yet published: nobody is told anything yet (the deadline stays pending).
    if (isWithheld(message)) return { outcome: 'not-yet-due' };
    const { state: account } = await this.executor.load(accountStream(message.message.citizenRef), accountDecider);
    const channels = await contactChannels(account, this.vault);
    // No address given (or left after erasure): the person chose no notices; nothing to report.
    if (channels.length === 0) return { outcome: 'no-contact-channel' };
    const language = account.language ?? 'fi';
    const text = message.message.notification?.text?.[language];

    const template = reason === 'arrival' ? 'arrival' : 'reminder';
    const delivered: ContactChannel['channel'][] = [];
    for (const { channel, to } of channels) {
      try {
        await this.notifier.send({ id: notificationId(messageId, reason, channel), channel, to, language, template, ...(text === undefined ? {} : { text }) });
        delivered.push(channel);
      } catch (error) {
        // A permanently refused address must not stall every later notice behind it; a
        // transient failure propagates, and the caller retries from its checkpoint.
        if (!(error instanceof UndeliverableNotificationError)) throw error;
        this.logger.warn(`${reason} notice for ${messageId}: ${error.message}`);
      }
    }
    if (delivered.length === 0) {
      await this.recordFailure(messageId, reason, 'undeliverable', at, context);
      return { outcome: 'undeliverable' };
    }
    // The trail names only the channels that actually carried the notice.
    const command: SendReminder = { type: 'SendReminder', messageId, reason, channels: delivered, at };
    const execution = await this.executor.execute(messageStream(messageId), messageDecider, command, context);
    return execution.position === undefined ? { outcome: 'nothing-to-record' } : { outcome: 'recorded', position: execution.position };
  }

  /** Every address the person gave refused the notice for good: the agency learns it (feed `notification-failed`), once per notice. */
  private async recordFailure(messageId: string, reason: ReminderReason, cause: RecordNotificationFailure['cause'], at: string, context: CommandContext): Promise<void> {
    const command: RecordNotificationFailure = { type: 'RecordNotificationFailure', messageId, reason, cause, at };
    await this.executor.execute(messageStream(messageId), messageDecider, command, context);
  }
}
