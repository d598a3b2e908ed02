import type { MessageEvent } from '@asiointitili/domain';

/**
 * The nearest ETSI EN 319 522-2 evidence event for each trail step, so auditors used to eIDAS
 * registered delivery can read the trail. Where national law has a step ETSI does not (deemed
 * service under 13/2003 §19), the mapping says so instead of pretending.
 */
export type EtsiEvidence =
  | 'SubmissionAcceptance'
  | 'ContentConsignment'
  | 'NotificationForAcceptance'
  | 'ContentHandover'
  | 'AcceptanceRejectionExpiry'
  | 'RelayToNonERDS'
  | 'NationalDeemedService';

export function etsiEvidenceOf(event: MessageEvent, context: { readonly route?: string; readonly delivery?: string } = {}): readonly EtsiEvidence[] {
  switch (event.type) {
    case 'MessageSent':
      return event.data.route === 'electronic' ? ['SubmissionAcceptance', 'ContentConsignment'] : ['SubmissionAcceptance'];
    case 'MessageRoutedToPaper':
      return ['RelayToNonERDS'];
    case 'MessageRead':
      // Opening a registered message before acknowledging it shows only that it arrived.
      return context.delivery === 'registered' ? ['NotificationForAcceptance'] : ['ContentHandover'];
    case 'ReceiptAcknowledged':
      return ['ContentHandover'];
    case 'MessageDeemedServed':
      return ['NationalDeemedService'];
    case 'ReminderSent':
      return ['NotificationForAcceptance'];
    case 'PaperFallbackTriggered':
      return ['AcceptanceRejectionExpiry'];
    case 'MessageHandedToPrint':
      return ['RelayToNonERDS'];
    case 'ReplySent':
      return ['SubmissionAcceptance'];
  }
}
