import type { Notification, Notifier } from '@asiointitili/core';

export interface ClosableNotifier extends Notifier {
  close(): Promise<void>;
}

/** Sends each notification through the adapter for its channel (production: email over SMTP, SMS to the outbox). */
export class ChannelRouter implements ClosableNotifier {
  constructor(private readonly byChannel: { readonly [C in Notification['channel']]: ClosableNotifier }) {}

  send(notification: Notification): Promise<void> {
    const adapter = Object.hasOwn(this.byChannel, notification.channel) ? this.byChannel[notification.channel] : undefined;
    if (!adapter) return Promise.reject(new TypeError(`unknown notification channel ${JSON.stringify(notification.channel)}`));
    return adapter.send(notification);
  }

  async close(): Promise<void> {
    for (const adapter of new Set(Object.values(this.byChannel))) await adapter.close();
  }
}
