/**
 * What a message's history amounts to: what was sent and how, and each step of its delivery.
 * Every step keeps its own time, so views and proofs read them without refolding.
 */
import { assertNever } from '../decider';
import { EventOutOfPlaceError } from '../event-out-of-place';
import type { AssuranceLevel, IdentificationMethod, MessageEvent, MessageSent, PaperReason, ReminderSent } from '../events';

export type ReminderReason = ReminderSent['data']['reason'];

export interface NoMessage {
  readonly exists: false;
}

export interface ExistingMessage {
  readonly exists: true;
  readonly message: MessageSent['data'];
  /** Set when the message went to paper at sending (route `paper`). */
  readonly routedToPaper?: { readonly reason: PaperReason; readonly at: string };
  /** First opening by the recipient. */
  readonly readAt?: string;
  readonly acknowledgement?: { readonly at: string; readonly method: IdentificationMethod; readonly assurance: AssuranceLevel };
  readonly deemedServed?: { readonly servedOn: string; readonly at: string };
  readonly remindersSent: readonly ReminderReason[];
  /**
   * Set when an electronic message went to paper afterwards: a registered one unacknowledged or
   * its account closed, any one whose route did not hold (route check, or at its publication).
   * `beforePublication`: a scheduled message went to paper before it was published, so it never
   * reached the account (absent in states folded before this existed: none had).
   */
  readonly fallback?: { readonly reason: PaperReason; readonly at: string; readonly beforePublication?: true };
  readonly printHandOff?: { readonly printJobId: string; readonly at: string };
  readonly replyIds: readonly string[];
  /** A scheduled message reached the recipient at this instant (its publishAt). */
  readonly publishedAt?: string;
  /** A scheduled message was withdrawn before publication. */
  readonly cancelledAt?: string;
  /** The reply-by date passed unanswered (recorded once). */
  readonly replyOverdueAt?: string;
  /** Notices no channel could carry, by reason (absent in states folded before it existed). */
  readonly notificationFailures?: readonly ReminderReason[];
}

export type MessageState = NoMessage | ExistingMessage;

export const initialMessageState: MessageState = { exists: false };

/** Whether the message is (now) the print channel's: routed there at sending, or fallen back. */
export function isOnPaper(state: ExistingMessage): boolean {
  return state.message.route === 'paper' || state.fallback !== undefined;
}

/** When the message becomes (or became) available to the recipient: publishAt when scheduled, else the sending. */
export function availableAt(state: ExistingMessage): string {
  return state.message.publishAt ?? state.message.sentAt;
}

/** A scheduled message not (yet) published, or cancelled: nothing of it reaches the recipient, no clock runs. */
export function isWithheld(state: ExistingMessage): boolean {
  return state.message.publishAt !== undefined && state.publishedAt === undefined;
}

/**
 * Whether the message is (or was) in the recipient's account: sent electronically, available
 * (published, when scheduled), and not sent to paper before its publication. A message that went
 * to paper before it reached the account (at sending, or a scheduled one before or at its
 * publication) is the print channel's alone: no inbox entry, and to the recipient it does not exist.
 * A message that fell back to paper after it reached the account stays there, shown as on paper.
 */
export function reachedAccount(state: ExistingMessage): boolean {
  return state.message.route === 'electronic' && !isWithheld(state) && state.fallback?.beforePublication !== true;
}

/**
 * Nothing to remind the person of any more: already reminded for this reason, on paper, cancelled,
 * or served or seen. A registered message is "seen" only when acknowledged: opening it shows that
 * it arrived, not its content, and its 7 days still run, so its 3-day reminder still goes out.
 * A reply-by reminder is moot only once the person replied.
 * Message state only gains facts, so once moot, always moot.
 */
export function reminderIsMoot(state: ExistingMessage, reason: ReminderReason): boolean {
  if (state.remindersSent.includes(reason) || isOnPaper(state) || state.cancelledAt !== undefined) return true;
  // The agency turned reminders off for this message; the arrival notice is not a reminder.
  if (reason !== 'arrival' && state.message.notification?.reminders === false) return true;
  switch (reason) {
    case 'unread-registered-3-days':
      return state.acknowledgement !== undefined;
    case 'unread-ordinary-7-days':
    case 'arrival':
      return state.acknowledgement !== undefined || state.readAt !== undefined;
    case 'reply-by':
      // Reading is not replying: only a reply makes the reply-by reminder moot.
      return state.replyIds.length > 0;
    default:
      return assertNever(reason);
  }
}

export function evolveMessage(state: MessageState, event: MessageEvent): MessageState {
  if (event.type === 'MessageSent') {
    if (state.exists) throw new EventOutOfPlaceError(event.type, `message ${state.message.messageId} was already sent`);
    return { exists: true, message: event.data, remindersSent: [], replyIds: [] };
  }
  if (!state.exists) throw new EventOutOfPlaceError(event.type, 'the stream has no MessageSent before it');

  switch (event.type) {
    case 'MessageRoutedToPaper':
      return { ...state, routedToPaper: { reason: event.data.reason, at: event.data.routedAt } };
    case 'MessageRead':
      return { ...state, readAt: event.data.readAt };
    case 'ReceiptAcknowledged': {
      const { acknowledgedAt: at, method, assurance } = event.data;
      return { ...state, acknowledgement: { at, method, assurance } };
    }
    case 'MessageDeemedServed':
      return { ...state, deemedServed: { servedOn: event.data.servedOn, at: event.data.deemedServedAt } };
    case 'ReminderSent':
      return { ...state, remindersSent: [...state.remindersSent, event.data.reason] };
    case 'PaperFallbackTriggered': {
      const { reason, fellBackAt: at } = event.data;
      // Still withheld: the message goes to paper before it ever reached the account.
      return { ...state, fallback: isWithheld(state) ? { reason, at, beforePublication: true } : { reason, at } };
    }
    case 'MessageHandedToPrint':
      return { ...state, printHandOff: { printJobId: event.data.printJobId, at: event.data.handedAt } };
    case 'ReplySent':
      return { ...state, replyIds: [...state.replyIds, event.data.replyId] };
    case 'MessagePublished':
      return { ...state, publishedAt: event.data.publishedAt };
    case 'MessageCancelled':
      return { ...state, cancelledAt: event.data.cancelledAt };
    case 'ReplyOverdue':
      return { ...state, replyOverdueAt: event.data.overdueAt };
    case 'NotificationFailed':
      return { ...state, notificationFailures: [...(state.notificationFailures ?? []), event.data.reason] };
    case 'ActedOnBehalf':
      // Stored data may say anything: an application's act has no place in a message stream.
      if ((event.data.act as string) === 'applied') throw new EventOutOfPlaceError(event.type, 'an application act is recorded in the application stream');
      // Who acted is told by the event itself (and the act's own event); the message is unchanged.
      return state;
    default:
      return assertNever(event);
  }
}
