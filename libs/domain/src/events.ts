/**
 * Every fact the system records, as a readonly discriminated union.
 *
 * Events are named in the past tense and are never changed once released: a new shape gets a
 * new schema version (see EVENT_SCHEMA_VERSIONS) and an upcaster, so an auditor can always fold
 * the oldest stream with today's code.
 *
 * Personal data rule: no henkilötunnus anywhere. A person is a `citizenRef` (keyed hash).
 */

import type { MandateEvent, MandateRelation } from './mandate/mandate.decider';
import type { NotificationSettings } from './notification-settings';

export type Language = 'fi' | 'sv' | 'en';
export type MessageKind = 'decision' | 'notice' | 'information-request' | 'general';
export type Delivery = 'ordinary' | 'registered';
export type Route = 'electronic' | 'paper';
export type IdentificationMethod = 'bank' | 'mobile' | 'idcard';
export type AssuranceLevel = 'substantial' | 'high';

/** Why a message went to the print channel instead of the account. */
export type PaperReason =
  | 'no-account'
  | 'account-closed'
  | 'no-consent'
  | 'opted-out-to-paper'
  | 'unacknowledged-7-days';

/** What is stored about a file in an event: never the content, only what proves it. */
export interface AttachmentRef {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
}

// ---------------------------------------------------------------- agency

export interface AgencyRegistered {
  readonly type: 'AgencyRegistered';
  readonly data: {
    readonly agencyId: string;
    readonly name: string;
    readonly businessId: string;
    readonly registeredAt: string;
  };
}

/** How a client secret was hashed, recorded beside the hash so it can be verified (and its cost judged) later. */
export interface SecretHashParams {
  readonly algorithm: 'scrypt';
  /** CPU/memory cost (a power of two). */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation. */
  readonly p: number;
  /** Length of the derived key, in bytes. */
  readonly keyLength: number;
}

/**
 * A machine credential for an agency's integration. Only the slow hash of the secret is recorded:
 * the secret itself is shown once to the admin who issued it and exists nowhere else.
 */
export interface AgencyCredentialIssued {
  readonly type: 'AgencyCredentialIssued';
  readonly data: {
    readonly agencyId: string;
    readonly clientId: string;
    /** base64url of the derived key. */
    readonly secretHash: string;
    /** base64url of the per-secret random salt. */
    readonly salt: string;
    readonly params: SecretHashParams;
    readonly issuedAt: string;
  };
}

export interface AgencyCredentialRevoked {
  readonly type: 'AgencyCredentialRevoked';
  readonly data: { readonly agencyId: string; readonly clientId: string; readonly revokedAt: string };
}

/** The networks (CIDR) the agency's integration may call from; an empty list allows every network. */
export interface AgencyIpAllowlistSet {
  readonly type: 'AgencyIpAllowlistSet';
  readonly data: { readonly agencyId: string; readonly cidrs: readonly string[]; readonly setAt: string };
}

/**
 * The agency subscribed a URL to its feed. No secret is recorded: the signing secret is derived
 * from the service's keys and the webhook id, shown once to the agency and stored nowhere.
 */
export interface WebhookSubscribed {
  readonly type: 'WebhookSubscribed';
  readonly data: { readonly agencyId: string; readonly webhookId: string; readonly url: string; readonly subscribedAt: string };
}

export interface WebhookRemoved {
  readonly type: 'WebhookRemoved';
  readonly data: { readonly agencyId: string; readonly webhookId: string; readonly removedAt: string };
}

export type AgencyEvent = AgencyRegistered | AgencyCredentialIssued | AgencyCredentialRevoked | AgencyIpAllowlistSet | WebhookSubscribed | WebhookRemoved;

// ---------------------------------------------------------------- account

/**
 * Contact details (email, phone) sealed with the person's own data key (AES-256-GCM, base64url
 * members). The domain only carries it: opening it needs the key, which lives outside the log,
 * so destroying the key erases the details without changing any event or its hash.
 */
export interface SealedContact {
  readonly v: 1;
  /** Which of the person's data keys sealed it. */
  readonly kid: string;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

export interface AccountOpened {
  readonly type: 'AccountOpened';
  readonly data: {
    readonly citizenRef: string;
    readonly language: Language;
    /** Email and phone as given, sealed per person (never plaintext in the log); absent when none were given. */
    readonly contact?: SealedContact;
    /** `citizen`: opened on request (consent model); `automatic`: first strong sign-in (digital by default). */
    readonly openedBy: 'citizen' | 'automatic';
    readonly openedAt: string;
  };
}

export interface AccountClosed {
  readonly type: 'AccountClosed';
  readonly data: { readonly citizenRef: string; readonly closedAt: string };
}

export interface ConsentGranted {
  readonly type: 'ConsentGranted';
  readonly data: { readonly citizenRef: string; readonly agencyId: string; readonly grantedAt: string };
}

export interface ConsentRevoked {
  readonly type: 'ConsentRevoked';
  readonly data: { readonly citizenRef: string; readonly agencyId: string; readonly revokedAt: string };
}

/** Digital by default (HE 124/2025): a person may opt back to paper for six months at a time. */
export interface PaperPreferenceChosen {
  readonly type: 'PaperPreferenceChosen';
  readonly data: { readonly citizenRef: string; readonly chosenAt: string; readonly until: string };
}

/**
 * The person's data keys were destroyed: every SealedContact in this stream so far can no longer
 * be opened. Who asked (the citizen or an admin) is the event's actor.
 */
export interface PersonalDataErased {
  readonly type: 'PersonalDataErased';
  readonly data: { readonly citizenRef: string; readonly erasedAt: string };
}

export type AccountEvent =
  | AccountOpened
  | AccountClosed
  | ConsentGranted
  | ConsentRevoked
  | PaperPreferenceChosen
  | PersonalDataErased;

// ---------------------------------------------------------------- acting on behalf

/**
 * Who acts for the person (13/2003 §18) and under which mandate: the signed-in agent, as their
 * citizenRef (never a henkilötunnus), and the mandate that lets them.
 */
export interface OnBehalf {
  readonly agentRef: string;
  readonly mandateId: string;
  readonly relation: MandateRelation;
}

/** What an agent did for the person: opened a message, acknowledged it, replied to it, or applied. */
export type MessageActOnBehalf = 'read' | 'acknowledged' | 'replied';
export type ActOnBehalf = MessageActOnBehalf | 'applied';
export const ACTS_ON_BEHALF: readonly ActOnBehalf[] = ['read', 'acknowledged', 'replied', 'applied'];

interface ActedOnBehalfFacts extends OnBehalf {
  /** The person acted for (the message's recipient, the applicant). */
  readonly citizenRef: string;
  readonly actedAt: string;
}

/**
 * An act on a message was done by someone acting for its recipient. Recorded by the decider in
 * the same append as the act's own event (MessageRead, ReceiptAcknowledged, ReplySent), right
 * after it: so the agency's feed has an item of its own for it (`acted-on-behalf`) at its own log
 * position, and a repeat of the act, which records nothing, records no second one. The act's own
 * event still names the agent in its metadata (`actor.actingFor`); this event keeps the facts in
 * the data too, so a replay (which shows data only) names them.
 */
export interface ActedOnBehalfOnMessage {
  readonly type: 'ActedOnBehalf';
  readonly data: ActedOnBehalfFacts & { readonly act: MessageActOnBehalf; readonly messageId: string; readonly replyId?: string };
}

/** An application was submitted by someone acting for the applicant (beside its ApplicationSubmitted). */
export interface ActedOnBehalfOnApplication {
  readonly type: 'ActedOnBehalf';
  readonly data: ActedOnBehalfFacts & { readonly act: 'applied'; readonly applicationId: string };
}

export type ActedOnBehalf = ActedOnBehalfOnMessage | ActedOnBehalfOnApplication;

// ---------------------------------------------------------------- message

export interface MessageSent {
  readonly type: 'MessageSent';
  readonly data: {
    readonly messageId: string;
    readonly agencyId: string;
    readonly citizenRef: string;
    readonly externalId?: string;
    readonly kind: MessageKind;
    readonly delivery: Delivery;
    readonly subject: string;
    readonly body: string;
    readonly attachments: readonly AttachmentRef[];
    readonly replyAllowed: boolean;
    readonly inReplyTo?: string;
    /** Length in days of the appeal period that service starts (1..365); absent when the agency gave none. */
    readonly appealPeriodDays?: number;
    /**
     * Scheduled publishing: the message is recorded at `sentAt` but reaches the recipient only at
     * this instant (MessagePublished), and its legal clock runs from it. Absent: available at once.
     */
    readonly publishAt?: string;
    /** Information requests: the Helsinki date (YYYY-MM-DD) by which a reply is requested (needs replyAllowed). */
    readonly replyBy?: string;
    /** The agency's notice settings: reminders on or off, its own notice text per language. Absent: reminders on, standard text. */
    readonly notification?: NotificationSettings;
    /** For the person alone: never shown to someone acting on their behalf (guardian or agent). Absent: not confidential. */
    readonly confidential?: true;
    readonly route: Route;
    readonly sentAt: string;
    /** Electronic ordinary only: the calendar day (Europe/Helsinki) of deemed service, known from sending (counted from publishAt when scheduled). */
    readonly deemedServedOn?: string;
    /** Electronic registered only: unacknowledged by this instant, the message falls back to paper. */
    readonly acknowledgeBy?: string;
    /** SHA-256 of the canonical content (subject, body, attachment hashes): what the proof binds to. */
    readonly contentSha256: string;
  };
}

/** A scheduled message reached the recipient: at `publishedAt` (its publishAt, whenever the process recorded it). */
export interface MessagePublished {
  readonly type: 'MessagePublished';
  readonly data: { readonly messageId: string; readonly publishedAt: string };
}

/**
 * A notice (arrival or reminder) that no channel could carry: every address the person gave refused
 * it for good (`undeliverable`). `no-contact-channel` is reserved for a register that must report a
 * person without addresses; today a person who gave none simply gets no notices and nothing is recorded.
 */
export interface NotificationFailed {
  readonly type: 'NotificationFailed';
  readonly data: {
    readonly messageId: string;
    readonly reason: ReminderSent['data']['reason'];
    readonly cause: 'no-contact-channel' | 'undeliverable';
    readonly failedAt: string;
  };
}

/** The reply-by date passed with no reply: recorded once, when the Helsinki day after it begins. */
export interface ReplyOverdue {
  readonly type: 'ReplyOverdue';
  readonly data: { readonly messageId: string; readonly replyBy: string; readonly overdueAt: string };
}

/** The agency withdrew a scheduled message before its publishAt: the recipient never sees it. */
export interface MessageCancelled {
  readonly type: 'MessageCancelled';
  readonly data: { readonly messageId: string; readonly cancelledAt: string };
}

export interface MessageRoutedToPaper {
  readonly type: 'MessageRoutedToPaper';
  readonly data: { readonly messageId: string; readonly reason: PaperReason; readonly routedAt: string };
}

export interface MessageRead {
  readonly type: 'MessageRead';
  readonly data: { readonly messageId: string; readonly readAt: string };
}

export interface ReceiptAcknowledged {
  readonly type: 'ReceiptAcknowledged';
  readonly data: {
    readonly messageId: string;
    readonly acknowledgedAt: string;
    readonly method: IdentificationMethod;
    readonly assurance: AssuranceLevel;
  };
}

export interface MessageDeemedServed {
  readonly type: 'MessageDeemedServed';
  readonly data: { readonly messageId: string; readonly servedOn: string; readonly deemedServedAt: string };
}

export interface ReminderSent {
  readonly type: 'ReminderSent';
  readonly data: {
    readonly messageId: string;
    readonly reason: 'unread-registered-3-days' | 'unread-ordinary-7-days' | 'arrival' | 'reply-by';
    readonly channels: readonly ('email' | 'sms')[];
    readonly sentAt: string;
  };
}

export interface PaperFallbackTriggered {
  readonly type: 'PaperFallbackTriggered';
  readonly data: { readonly messageId: string; readonly reason: PaperReason; readonly fellBackAt: string };
}

export interface MessageHandedToPrint {
  readonly type: 'MessageHandedToPrint';
  readonly data: {
    readonly messageId: string;
    readonly printJobId: string;
    readonly contentSha256: string;
    readonly handedAt: string;
  };
}

export interface ReplySent {
  readonly type: 'ReplySent';
  readonly data: {
    readonly messageId: string;
    readonly replyId: string;
    readonly body: string;
    readonly attachments: readonly AttachmentRef[];
    readonly sentAt: string;
  };
}

export type MessageEvent =
  | MessageSent
  | MessageRoutedToPaper
  | MessageRead
  | ReceiptAcknowledged
  | MessageDeemedServed
  | ReminderSent
  | PaperFallbackTriggered
  | MessageHandedToPrint
  | ReplySent
  | MessagePublished
  | MessageCancelled
  | ReplyOverdue
  | NotificationFailed
  | ActedOnBehalfOnMessage;

// ---------------------------------------------------------------- application

export interface ApplicationSubmitted {
  readonly type: 'ApplicationSubmitted';
  readonly data: {
    readonly applicationId: string;
    readonly citizenRef: string;
    readonly agencyId: string;
    readonly subject: string;
    readonly body: string;
    readonly attachments: readonly AttachmentRef[];
    readonly submittedAt: string;
  };
}

export type ApplicationEvent = ApplicationSubmitted | ActedOnBehalfOnApplication;

// ---------------------------------------------------------------- access log

/**
 * Someone read personal data through an audit or operator route. Access streams are named by the
 * UTC day (`access-<yyyy-mm-dd>`); who read is also in the event's metadata, kept here too so a
 * replay (which shows data only) names them.
 */
export interface AccessRecorded {
  readonly type: 'AccessRecorded';
  readonly data: {
    readonly reader: { readonly role: 'auditor' | 'admin'; readonly id: string };
    /** Method and route pattern, e.g. `GET /v1/audit/streams/:stream`. */
    readonly route: string;
    /** The stream (or other resource) read, when the route names one. */
    readonly resource?: string;
    readonly correlationId: string;
    readonly accessedAt: string;
  };
}

export type AccessEvent = AccessRecorded;

export type DomainEvent = AgencyEvent | AccountEvent | MessageEvent | ApplicationEvent | AccessEvent | MandateEvent;
export type DomainEventType = DomainEvent['type'];

/** Schema version of every event type as written today. Bump it, and add an upcaster, on any change. */
export const EVENT_SCHEMA_VERSIONS: { readonly [T in DomainEventType]: number } = {
  AgencyRegistered: 1,
  AgencyCredentialIssued: 1,
  AgencyCredentialRevoked: 1,
  AgencyIpAllowlistSet: 1,
  WebhookSubscribed: 1,
  WebhookRemoved: 1,
  AccessRecorded: 1,
  // v1 carries contact details only as a SealedContact (changed in place before any release).
  AccountOpened: 1,
  AccountClosed: 1,
  ConsentGranted: 1,
  ConsentRevoked: 1,
  PaperPreferenceChosen: 1,
  PersonalDataErased: 1,
  MessageSent: 1,
  MessageRoutedToPaper: 1,
  MessageRead: 1,
  ReceiptAcknowledged: 1,
  MessageDeemedServed: 1,
  ReminderSent: 1,
  PaperFallbackTriggered: 1,
  MessageHandedToPrint: 1,
  ReplySent: 1,
  MessagePublished: 1,
  MessageCancelled: 1,
  ReplyOverdue: 1,
  NotificationFailed: 1,
  ActedOnBehalf: 1,
  MandateRecorded: 1,
  MandateEnded: 1,
  ApplicationSubmitted: 1,
};

export function isDomainEventType(type: string): type is DomainEventType {
  return Object.prototype.hasOwnProperty.call(EVENT_SCHEMA_VERSIONS, type);
}
