import { assertNever, type ExistingMessage, type MessageEvent } from '@asiointitili/domain';

/**
 * The nearest ETSI EN 319 522-2 evidence event for each trail step, so auditors used to eIDAS
 * registered delivery can read the trail and the proofs. This is a vocabulary mapping, not a
 * claim of conformance: Asiointitili is not a qualified ERDS.
 *
 * Where national law has a step ETSI does not (deemed service under 13/2003 §19), the mapping
 * says so with a `National…` name instead of pretending; where a step has no counterpart at all
 * (a reminder of an ordinary message, a reading after the content was already handed over), the
 * list is empty. docs/evidence.md has the table.
 */
export type EtsiEvidence =
  | 'SubmissionAcceptance'
  | 'ContentConsignment'
  | 'NotificationForAcceptance'
  | 'ContentHandover'
  | 'AcceptanceRejectionExpiry'
  | 'RelayToNonERDS'
  | 'NationalDeemedService';

/** The names that are ETSI EN 319 522-2 events (the rest are marked national). */
export const ETSI_EVIDENCE_NAMES: readonly EtsiEvidence[] = [
  'SubmissionAcceptance',
  'ContentConsignment',
  'NotificationForAcceptance',
  'ContentHandover',
  'AcceptanceRejectionExpiry',
  'RelayToNonERDS',
];

/** What of the message the mapping depends on; every member is optional so old callers keep working. */
export interface EtsiContext {
  readonly route?: string;
  readonly delivery?: string;
  /** Whether the message was acknowledged once this event applied (state after the event). */
  readonly acknowledged?: boolean;
}

/** The context of a message's state after an event: what the trail and the proof both map with. */
export function etsiContextOf(state: ExistingMessage): EtsiContext {
  // A scheduled message that went to paper before its publication was never consigned to the account.
  const route = state.fallback?.beforePublication === true ? 'paper' : state.message.route;
  return { route, delivery: state.message.delivery, acknowledged: state.acknowledgement !== undefined };
}

export function etsiEvidenceOf(event: MessageEvent, context: EtsiContext = {}): readonly EtsiEvidence[] {
  switch (event.type) {
    case 'MessageSent':
      // Electronic: accepted from the agency and consigned to the recipient's account at once
      // (registered content is consigned but withheld until acceptance, see ReceiptAcknowledged).
      // A scheduled message is accepted now and consigned at publication (MessagePublished).
      return event.data.route === 'electronic' && event.data.publishAt === undefined ? ['SubmissionAcceptance', 'ContentConsignment'] : ['SubmissionAcceptance'];
    case 'MessagePublished':
      return context.route === 'electronic' ? ['ContentConsignment'] : [];
    case 'NotificationFailed':
    case 'ReplyOverdue':
      // A national courtesy to the sender, not a delivery step.
      return [];
    case 'MessageCancelled':
      // Withdrawn by the sender before consignment: ETSI has no event for it.
      return [];
    case 'MessageRoutedToPaper':
      return ['RelayToNonERDS'];
    case 'MessageRead':
      if (context.delivery !== 'registered') return ['ContentHandover'];
      // Opening a registered message before acknowledging it shows only that it awaits acceptance;
      // after the acknowledgement the content was already handed over, so a reading adds nothing.
      return context.acknowledged === true ? [] : ['NotificationForAcceptance'];
    case 'ReceiptAcknowledged':
      return ['ContentHandover'];
    case 'MessageDeemedServed':
      return ['NationalDeemedService'];
    case 'ReminderSent':
      // A registered reminder asks for acceptance; an ordinary one only says something arrived.
      return context.delivery === 'registered' ? ['NotificationForAcceptance'] : [];
    case 'PaperFallbackTriggered':
      return ['AcceptanceRejectionExpiry'];
    case 'MessageHandedToPrint':
      return ['RelayToNonERDS'];
    case 'ReplySent':
      // The recipient's reply is a submission in the other direction.
      return ['SubmissionAcceptance'];
    case 'ActedOnBehalf':
      // Who did the step before it (an agent for the recipient), not a delivery step of its own.
      return [];
    default:
      return assertNever(event);
  }
}
