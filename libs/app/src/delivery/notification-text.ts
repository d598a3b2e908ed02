import type { Notification } from '@asiointitili/core';
import { noticeTextProblem } from '@asiointitili/domain';

export interface NotificationText {
  /** Email subject line (SMS has none). */
  readonly subject: string;
  readonly text: string;
}

/**
 * The only words a notification ever carries. By law (and for safety: a notice that links to a
 * login page is what phishing looks like) it says that something arrived and nothing else: no
 * link, no sender, no subject, no content. The person signs in the usual way to read it.
 */
export const NOTIFICATION_TEXTS: {
  readonly [L in Notification['language']]: { readonly [T in Notification['template']]: NotificationText };
} = {
  fi: {
    arrival: { subject: 'Uusi viesti', text: 'Asiointitiliisi on saapunut uusi viesti.' },
    reminder: { subject: 'Muistutus: lukematon viesti', text: 'Asiointitilillesi saapunut viesti on vielä lukematta.' },
  },
  sv: {
    arrival: { subject: 'Nytt meddelande', text: 'Ett nytt meddelande har kommit till ditt ärendekonto.' },
    reminder: { subject: 'Påminnelse: oläst meddelande', text: 'Ett meddelande på ditt ärendekonto är fortfarande oläst.' },
  },
  en: {
    arrival: { subject: 'New message', text: 'A new message has arrived in your Asiointitili account.' },
    reminder: { subject: 'Reminder: unread message', text: 'A message in your Asiointitili account is still unread.' },
  },
};

export function notificationText(notification: Pick<Notification, 'language' | 'template' | 'text'>): NotificationText {
  const standard = NOTIFICATION_TEXTS[notification.language][notification.template];
  return notification.text === undefined ? standard : { subject: standard.subject, text: notification.text };
}

const CHANNELS: readonly string[] = ['email', 'sms'];
const MAX_ADDRESS_LENGTH = 320; // RFC 5321: 64 + @ + 255

/**
 * Refuses a notification no adapter could deliver as intended, before anything is written or
 * sent. A programming error (the process managers build these), so it throws a TypeError.
 */
export function assertDeliverable(notification: Notification): void {
  if (typeof notification.id !== 'string' || !/^[A-Za-z0-9._:-]{1,200}$/.test(notification.id)) {
    throw new TypeError('a notification id is 1..200 characters of A-Z a-z 0-9 . _ : -');
  }
  if (!CHANNELS.includes(notification.channel)) throw new TypeError(`unknown notification channel ${JSON.stringify(notification.channel)}`);
  if (!Object.hasOwn(NOTIFICATION_TEXTS, notification.language)) throw new TypeError(`no notification text in ${JSON.stringify(notification.language)}`);
  if (!Object.hasOwn(NOTIFICATION_TEXTS[notification.language], notification.template)) {
    throw new TypeError(`unknown notification template ${JSON.stringify(notification.template)}`);
  }
  if (notification.text !== undefined && (typeof notification.text !== 'string' || noticeTextProblem(notification.text, { subject: '', body: '' }) !== undefined)) {
    throw new TypeError('a notice text is short plain text with no link or address');
  }
  const to = notification.to;
  if (typeof to !== 'string' || to.length === 0 || to.length > MAX_ADDRESS_LENGTH || /[\s<>,;]/.test(to)) {
    throw new TypeError('a notification goes to exactly one address or phone number');
  }
}
