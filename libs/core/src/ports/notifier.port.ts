/**
 * Notifications to the contact address a citizen gave. By law they never carry content or a
 * link: only that something arrived. Adapters: embedded outbox file, SMTP.
 */
export interface Notification {
  /** Deterministic (message id + reason): adapters drop a repeat, so a retried reminder is sent once. */
  readonly id: string;
  readonly channel: 'email' | 'sms';
  readonly to: string;
  readonly language: 'fi' | 'sv' | 'en';
  readonly template: 'arrival' | 'reminder';
  /** The sending agency's own text for this notice, in `language` (checked when sent: no link, no content); absent: the standard text. */
  readonly text?: string;
}

export interface Notifier {
  /**
   * Delivers or rejects. UndeliverableNotificationError means the address is refused for good
   * (retrying cannot help); any other error is transient and the caller retries.
   */
  send(notification: Notification): Promise<void>;
}

/** The receiving side refused the address permanently (e.g. SMTP 5xx). Never carries the address. */
export class UndeliverableNotificationError extends Error {
  constructor(readonly channel: Notification['channel'], readonly reason: string) {
    super(`${channel} notification refused permanently: ${reason}`);
    this.name = 'UndeliverableNotificationError';
  }
}

export const NOTIFIER = Symbol('NOTIFIER');
