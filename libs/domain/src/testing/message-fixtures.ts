/**
 * Messages and their events as literal data, written out by hand (not produced by the decider)
 * so that specs compare the decider against an independent statement of the rules.
 */
import type { SendMessage } from '../commands';
import type { AttachmentRef, MessageEvent, MessageSent, PaperReason } from '../events';

export const AGENCY = 'kela';
export const RECIPIENT = 'c1t1zen';
export const SOMEONE_ELSE = 'n31ghb0ur';
export const CONTENT_SHA = 'ab'.repeat(32);

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const after = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

export const attachment = (n: number): AttachmentRef => ({
  id: `att-${n}`,
  name: `liite-${n}.pdf`,
  contentType: 'application/pdf',
  size: 1024 + n,
  sha256: String(n % 10).repeat(64),
});

/** Monday 24 November 2025, 23:30 in Helsinki: deemed served on Thursday 27 November. */
export const ORDINARY_SENT_AT = '2025-11-24T21:30:00.000Z';
export const ORDINARY_SERVED_ON = '2025-11-27';
export const ORDINARY_SERVED_AT = '2025-11-26T22:00:00.000Z';

/** Monday 24 November 2025, 12:00 in Helsinki: to be acknowledged by the end of Monday 1 December (Helsinki). */
export const REGISTERED_SENT_AT = '2025-11-24T10:00:00.000Z';
export const ACKNOWLEDGE_BY = '2025-12-01T22:00:00.000Z';

export function sendOrdinary(overrides: Partial<SendMessage> = {}): SendMessage {
  return {
    type: 'SendMessage',
    messageId: 'm-ordinary',
    agencyId: AGENCY,
    citizenRef: RECIPIENT,
    kind: 'decision',
    delivery: 'ordinary',
    subject: 'Päätös asumistuesta',
    body: 'Teille on myönnetty asumistuki.',
    attachments: [attachment(1)],
    replyAllowed: true,
    recipient: { electronic: true },
    contentSha256: CONTENT_SHA,
    at: ORDINARY_SENT_AT,
    ...overrides,
  };
}

export function sendRegistered(overrides: Partial<SendMessage> = {}): SendMessage {
  return sendOrdinary({ messageId: 'm-registered', delivery: 'registered', at: REGISTERED_SENT_AT, ...overrides });
}

export const ordinarySent: MessageSent = {
  type: 'MessageSent',
  data: {
    messageId: 'm-ordinary',
    agencyId: AGENCY,
    citizenRef: RECIPIENT,
    kind: 'decision',
    delivery: 'ordinary',
    subject: 'Päätös asumistuesta',
    body: 'Teille on myönnetty asumistuki.',
    attachments: [attachment(1)],
    replyAllowed: true,
    route: 'electronic',
    sentAt: ORDINARY_SENT_AT,
    deemedServedOn: ORDINARY_SERVED_ON,
    contentSha256: CONTENT_SHA,
  },
};

export const registeredSent: MessageSent = {
  type: 'MessageSent',
  data: {
    messageId: 'm-registered',
    agencyId: AGENCY,
    citizenRef: RECIPIENT,
    kind: 'decision',
    delivery: 'registered',
    subject: 'Päätös asumistuesta',
    body: 'Teille on myönnetty asumistuki.',
    attachments: [attachment(1)],
    replyAllowed: true,
    route: 'electronic',
    sentAt: REGISTERED_SENT_AT,
    acknowledgeBy: ACKNOWLEDGE_BY,
    contentSha256: CONTENT_SHA,
  },
};

/** The two events of a message that went to paper at sending. */
export function sentOnPaper(base: MessageSent, reason: PaperReason): readonly [MessageSent, MessageEvent] {
  const { deemedServedOn: _none, acknowledgeBy: _neither, ...data } = base.data;
  return [
    { type: 'MessageSent', data: { ...data, route: 'paper' } },
    { type: 'MessageRoutedToPaper', data: { messageId: data.messageId, reason, routedAt: data.sentAt } },
  ];
}

export const readAt = (messageId: string, at: string): MessageEvent => ({ type: 'MessageRead', data: { messageId, readAt: at } });

export const acknowledgedAt = (at: string): MessageEvent => ({
  type: 'ReceiptAcknowledged',
  data: { messageId: 'm-registered', acknowledgedAt: at, method: 'bank', assurance: 'substantial' },
});

export const fellBackAt = (at: string, reason: PaperReason = 'unacknowledged-7-days'): MessageEvent => ({
  type: 'PaperFallbackTriggered',
  data: { messageId: 'm-registered', reason, fellBackAt: at },
});
