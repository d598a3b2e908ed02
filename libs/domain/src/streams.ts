/**
 * Stream names and which decider owns each kind of stream.
 *
 * A stream is `<category>-<id>`: `agency-<agencyId>`, `account-<citizenRef>`,
 * `message-<messageId>`, `application-<applicationId>`, `access-<yyyy-mm-dd>`. Ids are opaque
 * and may contain hyphens; the category never does, so the first hyphen separates them. A citizen's stream is named by the
 * citizenRef (a keyed hash), never by a henkilötunnus.
 */
import { mandateDecider, type MandateCommand, type MandateEvent, type MandateState } from './mandate/mandate.decider';
import { accessDecider, accessStreamDay, type AccessLogState } from './access/access.decider';
import { accountDecider, type AccountState } from './account/account.decider';
import { agencyDecider, type AgencyState } from './agency/agency.decider';
import { applicationDecider, type ApplicationState } from './application/application.decider';
import type { AccessCommand, AccountCommand, AgencyCommand, ApplicationCommand, MessageCommand } from './commands';
import type { Decider } from './decider';
import type { AccessEvent, AccountEvent, AgencyEvent, ApplicationEvent, DomainEventType, MessageEvent } from './events';
import { messageDecider, type MessageState } from './message/message.decider';

export type StreamCategory = 'agency' | 'account' | 'message' | 'application' | 'access' | 'mandate';

export const STREAM_CATEGORIES: readonly StreamCategory[] = ['agency', 'account', 'message', 'application', 'access', 'mandate'];

export interface ParsedStream {
  readonly category: StreamCategory;
  readonly id: string;
}

export function isStreamCategory(value: string): value is StreamCategory {
  return (STREAM_CATEGORIES as readonly string[]).includes(value);
}

export function streamName(category: StreamCategory, id: string): string {
  // An empty id would name the whole category's "stream"; it is always a caller's bug.
  if (id.length === 0) throw new RangeError(`a ${category} stream needs an id`);
  return `${category}-${id}`;
}

export const agencyStream = (agencyId: string): string => streamName('agency', agencyId);
export const accountStream = (citizenRef: string): string => streamName('account', citizenRef);
export const messageStream = (messageId: string): string => streamName('message', messageId);
export const applicationStream = (applicationId: string): string => streamName('application', applicationId);
/** The access log of the UTC day of `at` (ISO 8601): `access-<yyyy-mm-dd>`. */
export const mandateStream = (mandateId: string): string => streamName('mandate', mandateId);
export const accessStream = (at: string): string => streamName('access', accessStreamDay(at));

/** The category and id of a stream name, or undefined for a name that is not one of this domain's. */
export function parseStream(name: string): ParsedStream | undefined {
  const hyphen = name.indexOf('-');
  if (hyphen <= 0 || hyphen === name.length - 1) return undefined;
  const category = name.slice(0, hyphen);
  return isStreamCategory(category) ? { category, id: name.slice(hyphen + 1) } : undefined;
}

/**
 * The stream categories each event type is written to: one for every type but ActedOnBehalf,
 * which follows the act it reports (a message's or an application's own stream).
 */
export const EVENT_CATEGORIES: { readonly [T in DomainEventType]: StreamCategory | readonly [StreamCategory, ...StreamCategory[]] } = {
  AgencyRegistered: 'agency',
  AgencyCredentialIssued: 'agency',
  AgencyCredentialRevoked: 'agency',
  AgencyIpAllowlistSet: 'agency',
  WebhookSubscribed: 'agency',
  WebhookRemoved: 'agency',
  AccessRecorded: 'access',
  AccountOpened: 'account',
  AccountClosed: 'account',
  ConsentGranted: 'account',
  ConsentRevoked: 'account',
  PaperPreferenceChosen: 'account',
  PersonalDataErased: 'account',
  MessageSent: 'message',
  MessageRoutedToPaper: 'message',
  MessageRead: 'message',
  ReceiptAcknowledged: 'message',
  MessageDeemedServed: 'message',
  ReminderSent: 'message',
  PaperFallbackTriggered: 'message',
  MessageHandedToPrint: 'message',
  ReplySent: 'message',
  MessagePublished: 'message',
  MessageCancelled: 'message',
  ReplyOverdue: 'message',
  NotificationFailed: 'message',
  ActedOnBehalf: ['message', 'application'],
  MandateRecorded: 'mandate',
  MandateEnded: 'mandate',
  ApplicationSubmitted: 'application',
};

/** The categories of stream an event of this type may be in; empty for a type the domain does not know. */
export function streamCategoriesOf(type: string): readonly StreamCategory[] {
  if (!Object.hasOwn(EVENT_CATEGORIES, type)) return [];
  const categories = EVENT_CATEGORIES[type as DomainEventType];
  return typeof categories === 'string' ? [categories] : categories;
}

export interface DeciderRegistry {
  readonly agency: Decider<AgencyCommand, AgencyEvent, AgencyState>;
  readonly account: Decider<AccountCommand, AccountEvent, AccountState>;
  readonly message: Decider<MessageCommand, MessageEvent, MessageState>;
  readonly application: Decider<ApplicationCommand, ApplicationEvent, ApplicationState>;
  readonly access: Decider<AccessCommand, AccessEvent, AccessLogState>;
  readonly mandate: Decider<MandateCommand, MandateEvent, MandateState>;
}

export const DECIDERS: DeciderRegistry = {
  agency: agencyDecider,
  account: accountDecider,
  message: messageDecider,
  application: applicationDecider,
  access: accessDecider,
  mandate: mandateDecider,
};

export function deciderFor<K extends StreamCategory>(category: K): DeciderRegistry[K] {
  return DECIDERS[category];
}
