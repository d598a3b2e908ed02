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
}

export interface Notifier {
  send(notification: Notification): Promise<void>;
}

export const NOTIFIER = Symbol('NOTIFIER');
