import { createTransport, type Transporter } from 'nodemailer';
import { UndeliverableNotificationError, type Notification, type Notifier } from '@asiointitili/core';
import { assertDeliverable, notificationText } from './notification-text';

export interface SmtpNotifierOptions {
  /** `smtp://[user:pass@]host[:port]` or `smtps://…` (SMTP_URL). */
  readonly url: string;
  /** The From header (NOTIFY_FROM). */
  readonly from: string;
}

/** Domain part of the Message-ID: names this system, resolves nowhere. */
const MESSAGE_ID_DOMAIN = 'asiointitili.invalid';

/**
 * The production email notifier: SMTP through nodemailer, plain text only (no HTML, so no link
 * can sneak in through markup). SMTP cannot take a message back, so a crash after the server
 * accepted the mail but before the process manager recorded it sends the mail again on retry;
 * the Message-ID is derived from the notification id so a receiving system can drop the repeat.
 */
export class SmtpNotifier implements Notifier {
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpNotifierOptions) {
    this.transport = createTransport(options.url);
  }

  async send(notification: Notification): Promise<void> {
    assertDeliverable(notification);
    if (notification.channel !== 'email') throw new TypeError(`SMTP delivers email, not ${notification.channel}`);
    const { subject, text } = notificationText(notification);
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: notification.to,
        subject,
        text,
        messageId: `<${notification.id}@${MESSAGE_ID_DOMAIN}>`,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      // 5xx is the server's final word on this address; 4xx and connection errors may pass.
      // The server's own text quotes the address, so only the code travels on.
      const code = (error as { responseCode?: unknown }).responseCode;
      if (typeof code === 'number' && code >= 500 && code < 600) throw new UndeliverableNotificationError('email', `SMTP ${code}`);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
