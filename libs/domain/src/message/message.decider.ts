/**
 * Message: one delivery from an agency to a person, stream `message-<id>`.
 *
 * Rules (13/2003 §18–19 as Suomi.fi Messages applies them):
 * - The route is decided at sending from what the application layer knew of the recipient.
 * - Ordinary: deemed served on the 3rd Helsinki day after sending; recorded when that day begins.
 * - Registered: served at the acknowledgement, which must come before `acknowledgeBy` (the end
 *   of the 7th Helsinki day after sending); after that the message falls back to paper.
 * - Appeal period: when the agency gave its length, its last day follows from the day of service
 *   (see appealEnd in message.views). Whichever of the two is
 *   recorded first wins; the other then records nothing.
 * - Only the recipient may open, acknowledge or reply; to anyone else the message does not exist.
 *   Someone acting for the recipient under a mandate (`onBehalf`, checked by the application) acts
 *   as the recipient, except on a confidential message, which does not exist for them; each act
 *   they cause records ActedOnBehalf right after the act's own event, and a repeat records neither.
 * - The route must hold where the message was recorded (VerifyRoute): an electronic message whose
 *   account, as the log stood at its MessageSent, was closed, had no consent for the agency or had
 *   opted to paper goes to paper (PaperFallbackTriggered with that reason), ordinary and
 *   registered alike. Deemed service, reminders and acknowledgement come only after this check
 *   (the application runs it first), and a message on paper is never deemed served.
 * - Scheduled publishing: the route is checked again at publication (PublishMessage carries the
 *   account as it stands then): a recipient who closed the account, revoked the consent or chose
 *   paper since the sending gets the message on paper (PaperFallbackTriggered at publishAt, then
 *   MessagePublished, so it is printed); it never reaches the account and no electronic clock runs.
 * - Repeats that a retry or a second process can cause (open, acknowledgement, deemed service,
 *   reminder, fallback, print hand-off, reply, route check) record nothing the second time.
 */
import type {
  AcknowledgeReceipt,
  CancelMessage,
  MarkReplyOverdue,
  PublishMessage,
  RecordNotificationFailure,
  FallBackToPaper,
  MarkDeemedServed,
  MessageCommand,
  OpenMessage,
  RecordPrintHandOff,
  SendMessage,
  SendReminder,
  SendReply,
  VerifyRoute,
} from '../commands';
import { attachmentsProblem, bodyProblem, firstProblem, subjectProblem } from '../content-limits';
import { accept, assertNever, reject, type DecideResult, type Decider } from '../decider';
import { domainError, type DomainError } from '../errors';
import { isAppealPeriodDays, MAX_APPEAL_PERIOD_DAYS } from '../holidays';
import { notificationSettingsProblem } from '../notification-settings';
import type { ActedOnBehalfOnMessage, MessageActOnBehalf, MessageEvent, MessageSent, OnBehalf, PaperReason } from '../events';
import {
  addCalendarMonths,
  deemedServedOn,
  helsinkiDate,
  instantMs,
  isCalendarDate,
  replyOverdueAt,
  replyReminderAt,
  isAtOrAfter,
  isIsoInstant,
  ordinaryReminderAt,
  registeredFallbackAt,
  registeredReminderAt,
  startOfHelsinkiDay,
} from '../legal-time';
import {
  availableAt,
  evolveMessage,
  initialMessageState,
  isOnPaper,
  isWithheld,
  reminderIsMoot,
  type ExistingMessage,
  type MessageState,
  type ReminderReason,
} from './message.state';

export * from './message.state';
export * from './message.views';

type Result = DecideResult<MessageEvent>;

/** The reasons a message can be routed to paper when it is sent (the fallback reasons come later). */
const PAPER_REASONS_AT_SENDING: readonly PaperReason[] = ['no-account', 'account-closed', 'no-consent', 'opted-out-to-paper'];
const FALLBACK_REASONS: readonly PaperReason[] = ['unacknowledged-7-days', 'account-closed'];

const SHA256_HEX = /^[0-9a-f]{64}$/;

const messageNotFound = (messageId: string): DomainError =>
  domainError('not-found', 'message-not-found', `no message ${messageId}`);
const conflict = (code: string, detail: string): DomainError => domainError('conflict', code, detail);

/**
 * The message as its recipient may see it; anyone else, the recipient before a scheduled message
 * is published (or after it was cancelled, or once it went to paper before its publication), and
 * an agent acting for the recipient on a confidential message get the same answer as for a message
 * that does not exist.
 */
function asRecipient(state: MessageState, messageId: string, citizenRef: string, onBehalf: OnBehalf | undefined): ExistingMessage | DomainError {
  if (!state.exists || state.message.citizenRef !== citizenRef || isWithheld(state) || state.fallback?.beforePublication === true) return messageNotFound(messageId);
  if (state.message.confidential === true && onBehalf !== undefined) return messageNotFound(messageId);
  return state;
}

/** The recipient's act, and when an agent did it for them, the ActedOnBehalf that says so (one append). */
function act(event: MessageEvent, command: { readonly citizenRef: string; readonly onBehalf?: OnBehalf; readonly at: string }, what: MessageActOnBehalf, replyId?: string): Result {
  const { onBehalf } = command;
  if (onBehalf === undefined) return accept(event);
  const { messageId } = event.data;
  const acted: ActedOnBehalfOnMessage = {
    type: 'ActedOnBehalf',
    data: {
      act: what,
      messageId,
      ...(replyId === undefined ? {} : { replyId }),
      citizenRef: command.citizenRef,
      agentRef: onBehalf.agentRef,
      mandateId: onBehalf.mandateId,
      relation: onBehalf.relation,
      actedAt: command.at,
    },
  };
  return accept<MessageEvent>(event, acted);
}

/**
 * The time process's acts on a scheduled message: nothing runs before publication (the deadline
 * process retries a `not-yet-due` later), and nothing at all once it was cancelled (moot).
 */
function clockNotRunning(state: ExistingMessage): Result | undefined {
  if (state.cancelledAt !== undefined) return accept();
  if (isWithheld(state)) return reject(conflict('not-yet-due', `the message is published at ${state.message.publishAt}; its clock has not started`));
  return undefined;
}

/** How far ahead a message may be scheduled: one year (the same instant a calendar year later, UTC). */
export function latestPublishAt(at: string): string {
  const limit = new Date(instantMs(at));
  limit.setUTCFullYear(limit.getUTCFullYear() + 1);
  return limit.toISOString();
}

function replyByProblem(command: SendMessage): DomainError | undefined {
  const { replyBy } = command;
  if (replyBy === undefined) return undefined;
  if (!isCalendarDate(replyBy)) return domainError('invalid', 'invalid-reply-by', 'replyBy must be a calendar date YYYY-MM-DD');
  if (!command.replyAllowed) return domainError('invalid', 'reply-by-needs-replies', 'replyBy needs replyAllowed: true');
  const availableOn = helsinkiDate(command.publishAt !== undefined && isIsoInstant(command.publishAt) ? command.publishAt : command.at);
  if (replyBy <= availableOn) return domainError('invalid', 'reply-by-not-in-future', `replyBy must be a day after the message becomes available (${availableOn})`);
  const latest = addCalendarMonths(availableOn, 12);
  if (replyBy > latest) return domainError('invalid', 'reply-by-too-far', `replyBy may be at most a year after the message becomes available (${latest})`);
  return undefined;
}

function notificationProblem(command: SendMessage): DomainError | undefined {
  if (command.notification === undefined) return undefined;
  const problem = notificationSettingsProblem(command.notification, command);
  return problem === undefined ? undefined : domainError('invalid', 'invalid-notification', problem);
}

function publishAtProblem(publishAt: string | undefined, at: string): DomainError | undefined {
  if (publishAt === undefined) return undefined;
  if (!isIsoInstant(publishAt)) return domainError('invalid', 'invalid-publish-at', 'publishAt must be an ISO 8601 instant with an offset');
  if (!isAtOrAfter(publishAt, at) || instantMs(publishAt) === instantMs(at)) {
    return domainError('invalid', 'publish-at-not-in-future', `publishAt must be after the moment of sending (${at})`);
  }
  if (instantMs(publishAt) > instantMs(latestPublishAt(at))) {
    return domainError('invalid', 'publish-at-too-far', `publishAt may be at most a year ahead (${latestPublishAt(at)})`);
  }
  return undefined;
}

const isError = (value: ExistingMessage | DomainError): value is DomainError => !('exists' in value);

// ---------------------------------------------------------------- sending

function sendingProblem(command: SendMessage): DomainError | undefined {
  const { recipient } = command;
  return firstProblem(
    subjectProblem(command.subject),
    bodyProblem(command.body, { required: true }),
    attachmentsProblem(command.attachments),
    SHA256_HEX.test(command.contentSha256)
      ? undefined
      : domainError('invalid', 'invalid-content-hash', 'contentSha256 must be 64 lower-case hex digits'),
    publishAtProblem(command.publishAt, command.at),
    replyByProblem(command),
    notificationProblem(command),
    command.appealPeriodDays === undefined || isAppealPeriodDays(command.appealPeriodDays)
      ? undefined
      : domainError('invalid', 'invalid-appeal-period', `appealPeriodDays must be a whole number of days, 1..${MAX_APPEAL_PERIOD_DAYS}`),
    recipient.electronic || (recipient.paperReason !== undefined && PAPER_REASONS_AT_SENDING.includes(recipient.paperReason))
      ? undefined
      : domainError('invalid', 'invalid-paper-reason', `a message routed to paper needs one of: ${PAPER_REASONS_AT_SENDING.join(', ')}`),
  );
}

function send(command: SendMessage, state: MessageState): Result {
  if (state.exists) return reject(conflict('message-exists', `message ${command.messageId} was already sent`));
  const problem = sendingProblem(command);
  if (problem) return reject(problem);

  const { messageId, agencyId, citizenRef, externalId, kind, delivery, subject, body, attachments, replyAllowed, inReplyTo, appealPeriodDays, publishAt, replyBy, notification, at } = command;
  const electronic = command.recipient.electronic;
  // The legal clock runs from availability: publication when scheduled, else the sending.
  const available = publishAt ?? at;
  const sent: MessageSent = {
    type: 'MessageSent',
    data: {
      messageId,
      agencyId,
      citizenRef,
      ...(externalId === undefined ? {} : { externalId }),
      kind,
      delivery,
      subject,
      body,
      attachments,
      replyAllowed,
      ...(inReplyTo === undefined ? {} : { inReplyTo }),
      ...(appealPeriodDays === undefined ? {} : { appealPeriodDays }),
      ...(publishAt === undefined ? {} : { publishAt: new Date(instantMs(publishAt)).toISOString() }),
      ...(replyBy === undefined ? {} : { replyBy }),
      ...(notification === undefined ? {} : { notification }),
      ...(command.confidential === true ? { confidential: true as const } : {}),
      route: electronic ? 'electronic' : 'paper',
      sentAt: at,
      // Known from the moment of sending, so both sides see the date at once.
      ...(electronic && delivery === 'ordinary' ? { deemedServedOn: deemedServedOn(available) } : {}),
      // The 7 days run from availability to the end of the 7th Helsinki day after it.
      ...(electronic && delivery === 'registered' ? { acknowledgeBy: registeredFallbackAt(available) } : {}),
      contentSha256: command.contentSha256,
    },
  };
  const reason = electronic ? undefined : command.recipient.paperReason;
  if (reason === undefined) return accept(sent);
  return accept<MessageEvent>(sent, { type: 'MessageRoutedToPaper', data: { messageId, reason, routedAt: at } });
}

// ---------------------------------------------------------------- the recipient's acts

function open(command: OpenMessage, state: MessageState): Result {
  const message = asRecipient(state, command.messageId, command.citizenRef, command.onBehalf);
  if (isError(message)) return reject(message);
  // Only an electronic delivery is read in the account; the first opening is the one that counts
  // (a later one, the agent's included, records nothing: the feed reports facts, not page views).
  if (isOnPaper(message) || message.readAt !== undefined) return accept();
  // A registered message is recorded as read even before acknowledgement (the person saw that it
  // arrived); its content stays withheld until then (see contentVisible).
  return act({ type: 'MessageRead', data: { messageId: command.messageId, readAt: command.at } }, command, 'read');
}

function acknowledge(command: AcknowledgeReceipt, state: MessageState): Result {
  const message = asRecipient(state, command.messageId, command.citizenRef, command.onBehalf);
  if (isError(message)) return reject(message);
  if (message.message.delivery !== 'registered') {
    return reject(conflict('not-registered', 'only a registered message is acknowledged; an ordinary one is deemed served'));
  }
  // Repeated: the first acknowledgement is the moment of service; the caller reads it from state.
  if (message.acknowledgement !== undefined) return accept();
  if (message.message.route === 'paper') return reject(conflict('routed-to-paper', 'this message was sent on paper'));
  if (message.fallback !== undefined) return reject(conflict('fell-back-to-paper', 'this message fell back to paper delivery'));
  const deadline = message.message.acknowledgeBy ?? registeredFallbackAt(message.message.sentAt);
  // The deadline decides, not which process ran first: after the 7th day the paper letter is due
  // even if the fallback has not been recorded yet.
  if (isAtOrAfter(command.at, deadline)) {
    return reject(conflict('acknowledgement-period-over', `the message could be acknowledged until ${deadline}; it goes to paper`));
  }
  return act(
    { type: 'ReceiptAcknowledged', data: { messageId: command.messageId, acknowledgedAt: command.at, method: command.method, assurance: command.assurance } },
    command,
    'acknowledged',
  );
}

function reply(command: SendReply, state: MessageState): Result {
  const message = asRecipient(state, command.messageId, command.citizenRef, command.onBehalf);
  if (isError(message)) return reject(message);
  if (!message.message.replyAllowed) return reject(conflict('replies-not-allowed', 'the sender does not accept replies to this message'));
  if (message.replyIds.includes(command.replyId)) return accept();
  if (isOnPaper(message)) return reject(conflict('not-electronic', 'this message was not delivered electronically'));
  if (message.message.delivery === 'registered' && message.acknowledgement === undefined) {
    return reject(conflict('not-acknowledged', 'acknowledge the message before replying'));
  }
  const problem = firstProblem(bodyProblem(command.body, { required: true }), attachmentsProblem(command.attachments));
  if (problem) return reject(problem);
  return act(
    { type: 'ReplySent', data: { messageId: command.messageId, replyId: command.replyId, body: command.body, attachments: command.attachments, sentAt: command.at } },
    command,
    'replied',
    command.replyId,
  );
}

// ---------------------------------------------------------------- the time process's acts

function markDeemedServed(command: MarkDeemedServed, state: MessageState): Result {
  if (!state.exists) return reject(messageNotFound(command.messageId));
  const notRunning = clockNotRunning(state);
  if (notRunning) return notRunning;
  if (state.message.delivery !== 'ordinary') {
    return reject(conflict('not-ordinary', 'a registered message is served by acknowledgement, not deemed served'));
  }
  if (state.message.route === 'paper') return reject(conflict('routed-to-paper', 'a message sent on paper is served by the print channel'));
  if (state.deemedServed !== undefined) return accept();
  // Rerouted to paper by the route check: the print channel serves it, the deadline is moot.
  if (state.fallback !== undefined) return accept();
  const servedOn = state.message.deemedServedOn ?? deemedServedOn(availableAt(state));
  const servedAt = startOfHelsinkiDay(servedOn);
  if (!isAtOrAfter(command.at, servedAt)) return reject(conflict('not-yet-due', `the message is deemed served on ${servedOn}`));
  // The legal instant is the start of the day, whenever the process got round to recording it.
  return accept({ type: 'MessageDeemedServed', data: { messageId: command.messageId, servedOn, deemedServedAt: servedAt } });
}

const REMINDER_APPLIES: { readonly [R in ReminderReason]: (message: ExistingMessage) => boolean } = {
  arrival: () => true,
  'unread-registered-3-days': (message) => message.message.delivery === 'registered',
  'unread-ordinary-7-days': (message) => message.message.delivery === 'ordinary',
  'reply-by': (message) => message.message.replyBy !== undefined,
};

const REMINDER_DUE_AT: { readonly [R in ReminderReason]: (message: ExistingMessage) => string } = {
  arrival: (message) => availableAt(message),
  'unread-registered-3-days': (message) => registeredReminderAt(availableAt(message)),
  'unread-ordinary-7-days': (message) => ordinaryReminderAt(availableAt(message)),
  'reply-by': (message) => replyReminderAt(message.message.replyBy!),
};

function remind(command: SendReminder, state: MessageState): Result {
  if (!state.exists) return reject(messageNotFound(command.messageId));
  if (!REMINDER_APPLIES[command.reason](state)) {
    return reject(conflict('reminder-not-applicable', `a ${state.message.delivery} message gets no ${command.reason} reminder`));
  }
  if (command.channels.length === 0) return reject(domainError('invalid', 'no-reminder-channel', 'a reminder goes by email or SMS'));
  const notRunning = clockNotRunning(state);
  if (notRunning) return notRunning;
  if (reminderIsMoot(state, command.reason)) return accept();
  const dueAt = REMINDER_DUE_AT[command.reason](state);
  if (!isAtOrAfter(command.at, dueAt)) return reject(conflict('not-yet-due', `the ${command.reason} reminder is due at ${dueAt}`));
  return accept({
    type: 'ReminderSent',
    data: { messageId: command.messageId, reason: command.reason, channels: command.channels, sentAt: command.at },
  });
}

function fallBack(command: FallBackToPaper, state: MessageState): Result {
  if (!state.exists) return reject(messageNotFound(command.messageId));
  if (state.message.delivery !== 'registered') return reject(conflict('not-registered', 'only a registered message falls back to paper'));
  if (state.message.route === 'paper') return reject(conflict('routed-to-paper', 'this message was sent on paper already'));
  if (!FALLBACK_REASONS.includes(command.reason)) {
    return reject(domainError('invalid', 'invalid-fallback-reason', `a fallback happens for: ${FALLBACK_REASONS.join(', ')}`));
  }
  // The acknowledgement won the race: the message is served, nothing falls back.
  if (state.acknowledgement !== undefined) return accept();
  if (state.fallback !== undefined) return accept();
  if (state.cancelledAt !== undefined) return accept();
  // Closing the account sends even a scheduled message to paper (printed once published); the 7 days have not begun.
  if (command.reason === 'unacknowledged-7-days' && isWithheld(state)) return clockNotRunning(state)!;
  const deadline = state.message.acknowledgeBy ?? registeredFallbackAt(availableAt(state));
  if (command.reason === 'unacknowledged-7-days' && !isAtOrAfter(command.at, deadline)) {
    return reject(conflict('not-yet-due', `the message may be acknowledged until ${deadline}`));
  }
  return accept({ type: 'PaperFallbackTriggered', data: { messageId: command.messageId, reason: command.reason, fellBackAt: command.at } });
}

function verifyRoute(command: VerifyRoute, state: MessageState): Result {
  if (!state.exists) return reject(messageNotFound(command.messageId));
  // Paper already (at sending or by a fallback): nothing to correct. A paper message never goes
  // electronic afterwards, whatever the account says: paper is always a lawful delivery. A
  // cancelled message is delivered on no route at all.
  if (isOnPaper(state) || state.cancelledAt !== undefined) return accept();
  const { recipientAtRecording } = command;
  if (recipientAtRecording.electronic) return accept();
  const reason = recipientAtRecording.paperReason;
  if (reason === undefined || !PAPER_REASONS_AT_SENDING.includes(reason)) {
    return reject(domainError('invalid', 'invalid-paper-reason', `a message rerouted to paper needs one of: ${PAPER_REASONS_AT_SENDING.join(', ')}`));
  }
  // Served electronically before the check ran: impossible when the application checks first (as
  // it does before every deadline, notice and acknowledgement); refused loudly rather than hidden.
  if (state.acknowledgement !== undefined || state.deemedServed !== undefined) {
    return reject(conflict('already-served', `message ${command.messageId} was served electronically before its route was checked`));
  }
  return accept({ type: 'PaperFallbackTriggered', data: { messageId: command.messageId, reason, fellBackAt: command.at } });
}

function recordPrintHandOff(command: RecordPrintHandOff, state: MessageState): Result {
  if (!state.exists) return reject(messageNotFound(command.messageId));
  if (!isOnPaper(state)) return reject(conflict('not-on-paper', 'only a message routed to or fallen back to paper is printed'));
  if (state.cancelledAt !== undefined) return reject(conflict('cancelled', 'a cancelled message is not printed'));
  if (isWithheld(state)) return reject(conflict('not-published', `the message is published at ${state.message.publishAt}; it is printed then`));
  if (state.printHandOff !== undefined) {
    if (state.printHandOff.printJobId === command.printJobId) return accept();
    return reject(conflict('already-handed-to-print', `the message went to print as job ${state.printHandOff.printJobId}`));
  }
  return accept({
    type: 'MessageHandedToPrint',
    data: { messageId: command.messageId, printJobId: command.printJobId, contentSha256: state.message.contentSha256, handedAt: command.at },
  });
}

function markReplyOverdue(command: MarkReplyOverdue, state: MessageState): Result {
  if (!state.exists) return reject(messageNotFound(command.messageId));
  const { replyBy } = state.message;
  if (replyBy === undefined) return reject(conflict('no-reply-by', 'the message asked for no reply by a date'));
  const notRunning = clockNotRunning(state);
  if (notRunning) return notRunning;
  // Answered, already recorded, or never delivered electronically: nothing is overdue here.
  if (state.replyIds.length > 0 || state.replyOverdueAt !== undefined || isOnPaper(state)) return accept();
  const dueAt = replyOverdueAt(replyBy);
  if (!isAtOrAfter(command.at, dueAt)) return reject(conflict('not-yet-due', `a reply is requested by the end of ${replyBy}`));
  // The legal instant is the start of the day after, however late the process runs.
  return accept({ type: 'ReplyOverdue', data: { messageId: command.messageId, replyBy, overdueAt: dueAt } });
}

function recordNotificationFailure(command: RecordNotificationFailure, state: MessageState): Result {
  if (!state.exists) return reject(messageNotFound(command.messageId));
  // Once per notice: a retry, or a notice that did go out after all, records nothing more.
  if ((state.notificationFailures ?? []).includes(command.reason) || state.remindersSent.includes(command.reason)) return accept();
  return accept({
    type: 'NotificationFailed',
    data: { messageId: command.messageId, reason: command.reason, cause: command.cause, failedAt: command.at },
  });
}

// ---------------------------------------------------------------- scheduled publishing

function publish(command: PublishMessage, state: MessageState): Result {
  if (!state.exists) return reject(messageNotFound(command.messageId));
  const { publishAt } = state.message;
  if (publishAt === undefined) return reject(conflict('not-scheduled', 'the message was available from its sending'));
  if (state.cancelledAt !== undefined) return reject(conflict('cancelled', `the message was cancelled at ${state.cancelledAt}`));
  if (state.publishedAt !== undefined) return accept();
  if (!isAtOrAfter(command.at, publishAt)) return reject(conflict('not-yet-due', `the message is published at ${publishAt}`));
  // The legal instant is publishAt, whenever the process got round to recording it.
  const published: MessageEvent = { type: 'MessagePublished', data: { messageId: command.messageId, publishedAt: publishAt } };
  // On paper already (routed so at sending, or its account closed meanwhile): printed now.
  const { recipientAtPublication } = command;
  if (isOnPaper(state) || recipientAtPublication.electronic) return accept(published);
  const reason = recipientAtPublication.paperReason;
  if (reason === undefined || !PAPER_REASONS_AT_SENDING.includes(reason)) {
    return reject(domainError('invalid', 'invalid-paper-reason', `a message sent to paper at publication needs one of: ${PAPER_REASONS_AT_SENDING.join(', ')}`));
  }
  // The route no longer holds: the message goes to paper before it is published, so it never
  // reaches the account (reachedAccount), no electronic clock starts, and it is printed at once.
  return accept<MessageEvent>({ type: 'PaperFallbackTriggered', data: { messageId: command.messageId, reason, fellBackAt: publishAt } }, published);
}

function cancel(command: CancelMessage, state: MessageState): Result {
  // Another agency's message does not exist for this one.
  if (!state.exists || state.message.agencyId !== command.agencyId) return reject(messageNotFound(command.messageId));
  if (state.cancelledAt !== undefined) return accept();
  const { publishAt } = state.message;
  if (publishAt === undefined) return reject(conflict('not-scheduled', 'only a scheduled message can be cancelled; this one was delivered at sending'));
  if (state.publishedAt !== undefined || isAtOrAfter(command.at, publishAt)) {
    return reject(conflict('already-published', `the message was published at ${publishAt}; it can no longer be cancelled`));
  }
  return accept({ type: 'MessageCancelled', data: { messageId: command.messageId, cancelledAt: command.at } });
}

// ---------------------------------------------------------------- the decider

export const messageDecider: Decider<MessageCommand, MessageEvent, MessageState> = {
  initialState: initialMessageState,
  evolve: evolveMessage,

  decide(command, state) {
    switch (command.type) {
      case 'SendMessage':
        return send(command, state);
      case 'OpenMessage':
        return open(command, state);
      case 'AcknowledgeReceipt':
        return acknowledge(command, state);
      case 'MarkDeemedServed':
        return markDeemedServed(command, state);
      case 'SendReminder':
        return remind(command, state);
      case 'FallBackToPaper':
        return fallBack(command, state);
      case 'RecordPrintHandOff':
        return recordPrintHandOff(command, state);
      case 'SendReply':
        return reply(command, state);
      case 'PublishMessage':
        return publish(command, state);
      case 'CancelMessage':
        return cancel(command, state);
      case 'MarkReplyOverdue':
        return markReplyOverdue(command, state);
      case 'VerifyRoute':
        return verifyRoute(command, state);
      case 'RecordNotificationFailure':
        return recordNotificationFailure(command, state);
      default:
        return assertNever(command);
    }
  },
};
