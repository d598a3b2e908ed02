/**
 * What callers ask the system to do, as a readonly discriminated union.
 *
 * Commands carry every fact the decision needs as plain data, including the time (`at`, ISO 8601
 * UTC) and facts looked up by the application layer (does the agency exist? may this person
 * receive electronically?). Deciders therefore never read a clock or a database.
 */
import type { AccessRecorded, AssuranceLevel, AttachmentRef, Delivery, IdentificationMethod, Language, MessageKind, OnBehalf, PaperReason, SealedContact, SecretHashParams } from './events';
import type { NotificationSettings } from './notification-settings';

// ---------------------------------------------------------------- agency

export interface RegisterAgency {
  readonly type: 'RegisterAgency';
  readonly agencyId: string;
  readonly name: string;
  readonly businessId: string;
  readonly at: string;
}

/** The application layer generated the secret and hashed it; the command carries only the hash. */
export interface IssueAgencyCredential {
  readonly type: 'IssueAgencyCredential';
  readonly agencyId: string;
  /** `<agencyId>.<random>`, so that the token endpoint knows which agency stream to read. */
  readonly clientId: string;
  readonly secretHash: string;
  readonly salt: string;
  readonly params: SecretHashParams;
  readonly at: string;
}

export interface RevokeAgencyCredential {
  readonly type: 'RevokeAgencyCredential';
  readonly agencyId: string;
  readonly clientId: string;
  readonly at: string;
}

/** CIDRs already parsed and normalised by the application layer; an empty list lifts the restriction. */
export interface SetAgencyIpAllowlist {
  readonly type: 'SetAgencyIpAllowlist';
  readonly agencyId: string;
  readonly cidrs: readonly string[];
  readonly at: string;
}

/**
 * Push the agency's feed to a URL. The application layer checked the URL against the network
 * policy (https, no private address in production) and chose the id; the domain keeps the count
 * and the uniqueness.
 */
export interface SubscribeWebhook {
  readonly type: 'SubscribeWebhook';
  readonly agencyId: string;
  readonly webhookId: string;
  readonly url: string;
  readonly at: string;
}

export interface RemoveWebhook {
  readonly type: 'RemoveWebhook';
  readonly agencyId: string;
  readonly webhookId: string;
  readonly at: string;
}

export type AgencyCommand = RegisterAgency | IssueAgencyCredential | RevokeAgencyCredential | SetAgencyIpAllowlist | SubscribeWebhook | RemoveWebhook;

// ---------------------------------------------------------------- account

export interface OpenAccount {
  readonly type: 'OpenAccount';
  readonly citizenRef: string;
  readonly language: Language;
  /** Sealed by the application layer before deciding: the domain never sees the plaintext. */
  readonly contact?: SealedContact;
  readonly openedBy: 'citizen' | 'automatic';
  readonly at: string;
}

export interface CloseAccount {
  readonly type: 'CloseAccount';
  readonly citizenRef: string;
  readonly at: string;
}

export interface GrantConsent {
  readonly type: 'GrantConsent';
  readonly citizenRef: string;
  readonly agencyId: string;
  /** Looked up by the application layer: consent is only for a registered agency. */
  readonly agencyRegistered: boolean;
  readonly at: string;
}

export interface RevokeConsent {
  readonly type: 'RevokeConsent';
  readonly citizenRef: string;
  readonly agencyId: string;
  readonly at: string;
}

export interface ChoosePaper {
  readonly type: 'ChoosePaper';
  readonly citizenRef: string;
  readonly at: string;
}

/** Record that the person's data keys were destroyed (the application layer destroys them first). */
export interface ErasePersonalData {
  readonly type: 'ErasePersonalData';
  readonly citizenRef: string;
  readonly at: string;
}

export type AccountCommand = OpenAccount | CloseAccount | GrantConsent | RevokeConsent | ChoosePaper | ErasePersonalData;

// ---------------------------------------------------------------- message

/**
 * What the application layer knows about the recipient at the moment of sending. The decider
 * routes on it: `electronic` only when the account is open and the consent model allows it.
 */
export interface RecipientStatus {
  readonly electronic: boolean;
  /** Set when `electronic` is false. */
  readonly paperReason?: PaperReason;
}

export interface SendMessage {
  readonly type: 'SendMessage';
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
  /** Length of the appeal period that service starts, 1..365 days (Act 150/1930 counts it). */
  readonly appealPeriodDays?: number;
  /** Scheduled publishing: an instant after `at`, at most a year ahead. */
  readonly publishAt?: string;
  /** Information requests: Helsinki date by which a reply is requested; needs replyAllowed. */
  readonly replyBy?: string;
  /** Reminders on or off, and the notice's own text per language (no links, no content). */
  readonly notification?: NotificationSettings;
  /** For the person alone, not for those acting on their behalf. */
  readonly confidential?: boolean;
  readonly recipient: RecipientStatus;
  /**
   * SHA-256 (64 lower-case hex digits) of the canonical content (subject, body, attachment
   * hashes), computed by the caller: the domain has no crypto. Recorded in MessageSent.
   */
  readonly contentSha256: string;
  readonly at: string;
}

export interface OpenMessage {
  readonly type: 'OpenMessage';
  readonly messageId: string;
  /** Whose message is opened: only the recipient's (or an agent's acting for the recipient). */
  readonly citizenRef: string;
  /** Set when an agent opens it for the recipient under a mandate the application layer checked. */
  readonly onBehalf?: OnBehalf;
  readonly at: string;
}

export interface AcknowledgeReceipt {
  readonly type: 'AcknowledgeReceipt';
  readonly messageId: string;
  readonly citizenRef: string;
  /** How the one who acknowledged identified: the agent, when `onBehalf` is set. */
  readonly method: IdentificationMethod;
  readonly assurance: AssuranceLevel;
  readonly onBehalf?: OnBehalf;
  readonly at: string;
}

/** Issued by the time process manager on the 3rd day (Europe/Helsinki) after an ordinary message was sent. */
export interface MarkDeemedServed {
  readonly type: 'MarkDeemedServed';
  readonly messageId: string;
  readonly at: string;
}

export interface SendReminder {
  readonly type: 'SendReminder';
  readonly messageId: string;
  readonly reason: 'unread-registered-3-days' | 'unread-ordinary-7-days' | 'arrival' | 'reply-by';
  readonly channels: readonly ('email' | 'sms')[];
  readonly at: string;
}

/** Issued after 7 unacknowledged days, or when the recipient closes the account. */
export interface FallBackToPaper {
  readonly type: 'FallBackToPaper';
  readonly messageId: string;
  readonly reason: PaperReason;
  readonly at: string;
}

/**
 * Checks the routing rule at the point the message was recorded: a message may be delivered
 * electronically only if, as the log stood just before its MessageSent, the account was open with
 * consent (or the digital-by-default rule held). The sender decided on an earlier read of the
 * account; a closing, a revocation or a paper choice recorded between that read and the message
 * makes `recipientAtRecording` say paper, and the message then goes to paper.
 */
export interface VerifyRoute {
  readonly type: 'VerifyRoute';
  readonly messageId: string;
  /**
   * canReceiveElectronically for the account folded up to (not including) the MessageSent's
   * position; for a published scheduled message, the same check at its MessagePublished's.
   */
  readonly recipientAtRecording: RecipientStatus;
  readonly at: string;
}

export interface RecordPrintHandOff {
  readonly type: 'RecordPrintHandOff';
  readonly messageId: string;
  readonly printJobId: string;
  readonly at: string;
}

export interface SendReply {
  readonly type: 'SendReply';
  readonly messageId: string;
  readonly replyId: string;
  readonly citizenRef: string;
  readonly body: string;
  readonly attachments: readonly AttachmentRef[];
  readonly onBehalf?: OnBehalf;
  readonly at: string;
}

/**
 * Issued by the time process manager at a scheduled message's publishAt. The routing rule is
 * checked again here: the person may have closed the account, revoked the consent or chosen paper
 * since the sending, and then the message goes to paper instead of reaching the account.
 */
export interface PublishMessage {
  readonly type: 'PublishMessage';
  readonly messageId: string;
  /** canReceiveElectronically for the account as it stands at publication (at publishAt, for a paper choice's end). */
  readonly recipientAtPublication: RecipientStatus;
  readonly at: string;
}

/** A notice could not be carried by any channel: recorded so the agency learns it (feed `notification-failed`). */
export interface RecordNotificationFailure {
  readonly type: 'RecordNotificationFailure';
  readonly messageId: string;
  readonly reason: SendReminder['reason'];
  readonly cause: 'no-contact-channel' | 'undeliverable';
  readonly at: string;
}

/** Issued by the time process manager when the Helsinki day after a reply-by date begins. */
export interface MarkReplyOverdue {
  readonly type: 'MarkReplyOverdue';
  readonly messageId: string;
  readonly at: string;
}

/** The sending agency withdraws a scheduled message before its publishAt. */
export interface CancelMessage {
  readonly type: 'CancelMessage';
  readonly messageId: string;
  readonly agencyId: string;
  readonly at: string;
}

export type MessageCommand =
  | RecordNotificationFailure
  | MarkReplyOverdue
  | PublishMessage
  | CancelMessage
  | SendMessage
  | OpenMessage
  | AcknowledgeReceipt
  | MarkDeemedServed
  | SendReminder
  | FallBackToPaper
  | RecordPrintHandOff
  | SendReply
  | VerifyRoute;

// ---------------------------------------------------------------- application

export interface SubmitApplication {
  readonly type: 'SubmitApplication';
  readonly applicationId: string;
  readonly citizenRef: string;
  readonly agencyId: string;
  readonly agencyRegistered: boolean;
  readonly subject: string;
  readonly body: string;
  readonly attachments: readonly AttachmentRef[];
  /** Set when an agent applies for the person under a mandate the application layer checked. */
  readonly onBehalf?: OnBehalf;
  readonly at: string;
}

export type ApplicationCommand = SubmitApplication;

export type DomainCommand = AgencyCommand | AccountCommand | MessageCommand | ApplicationCommand | AccessCommand;

// ---------------------------------------------------------------- access log

export interface RecordAccess {
  readonly type: 'RecordAccess';
  readonly reader: AccessRecorded['data']['reader'];
  readonly route: string;
  readonly resource?: string;
  readonly correlationId: string;
  readonly at: string;
}

export type AccessCommand = RecordAccess;
