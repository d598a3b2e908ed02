import type { MessageEvent } from '@asiointitili/domain';
import { ordinarySent, registeredSent, sentOnPaper } from '@asiointitili/domain/testing/message-fixtures';
import { ETSI_EVIDENCE_NAMES, etsiEvidenceOf } from './etsi-events';

const read: MessageEvent = { type: 'MessageRead', data: { messageId: 'm', readAt: '2026-01-02T10:00:00.000Z' } };
const reminder = (reason: 'unread-registered-3-days' | 'unread-ordinary-7-days'): MessageEvent => ({
  type: 'ReminderSent',
  data: { messageId: 'm', reason, channels: ['email'], sentAt: '2026-01-05T10:00:00.000Z' },
});

describe('etsiEvidenceOf', () => {
  it('records an electronic sending as submission acceptance and content consignment', () => {
    expect(etsiEvidenceOf(ordinarySent)).toEqual(['SubmissionAcceptance', 'ContentConsignment']);
    expect(etsiEvidenceOf(registeredSent)).toEqual(['SubmissionAcceptance', 'ContentConsignment']);
  });

  it('records a sending routed to paper as an accepted submission relayed outside the ERDS', () => {
    const [sent, routed] = sentOnPaper(registeredSent, 'no-account');
    expect(etsiEvidenceOf(sent)).toEqual(['SubmissionAcceptance']);
    expect(etsiEvidenceOf(routed)).toEqual(['RelayToNonERDS']);
  });

  it('treats reading an ordinary message as the content handover', () => {
    expect(etsiEvidenceOf(read, { delivery: 'ordinary' })).toEqual(['ContentHandover']);
  });

  it('treats opening an unacknowledged registered message as a notification for acceptance, not a handover', () => {
    expect(etsiEvidenceOf(read, { delivery: 'registered', acknowledged: false })).toEqual(['NotificationForAcceptance']);
    expect(etsiEvidenceOf(read, { delivery: 'registered' })).toEqual(['NotificationForAcceptance']);
  });

  it('adds no evidence for reading a registered message whose content was already handed over at acknowledgement', () => {
    expect(etsiEvidenceOf(read, { delivery: 'registered', acknowledged: true })).toEqual([]);
  });

  it('treats the acknowledgement as the content handover', () => {
    const ack: MessageEvent = { type: 'ReceiptAcknowledged', data: { messageId: 'm', acknowledgedAt: '2026-01-02T10:00:00.000Z', method: 'bank', assurance: 'high' } };
    expect(etsiEvidenceOf(ack, { delivery: 'registered' })).toEqual(['ContentHandover']);
  });

  it('names deemed service as national, because ETSI has no such event', () => {
    const deemed: MessageEvent = { type: 'MessageDeemedServed', data: { messageId: 'm', servedOn: '2026-01-04', deemedServedAt: '2026-01-03T22:00:00.000Z' } };
    expect(etsiEvidenceOf(deemed)).toEqual(['NationalDeemedService']);
    expect(ETSI_EVIDENCE_NAMES).not.toContain('NationalDeemedService');
  });

  it('maps a registered reminder to a notification for acceptance and an ordinary one to nothing', () => {
    expect(etsiEvidenceOf(reminder('unread-registered-3-days'), { delivery: 'registered' })).toEqual(['NotificationForAcceptance']);
    expect(etsiEvidenceOf(reminder('unread-ordinary-7-days'), { delivery: 'ordinary' })).toEqual([]);
  });

  it('maps the paper fallback to acceptance expiry and the print hand-off to a relay outside the ERDS', () => {
    const fallback: MessageEvent = { type: 'PaperFallbackTriggered', data: { messageId: 'm', reason: 'unacknowledged-7-days', fellBackAt: '2026-01-09T10:00:00.000Z' } };
    const print: MessageEvent = { type: 'MessageHandedToPrint', data: { messageId: 'm', printJobId: 'p', contentSha256: 'ab'.repeat(32), handedAt: '2026-01-09T11:00:00.000Z' } };
    expect(etsiEvidenceOf(fallback)).toEqual(['AcceptanceRejectionExpiry']);
    expect(etsiEvidenceOf(print)).toEqual(['RelayToNonERDS']);
  });

  it("maps the recipient's reply to a submission acceptance in the other direction", () => {
    const reply: MessageEvent = { type: 'ReplySent', data: { messageId: 'm', replyId: 'r', body: 'Kiitos', attachments: [], sentAt: '2026-01-02T10:00:00.000Z' } };
    expect(etsiEvidenceOf(reply)).toEqual(['SubmissionAcceptance']);
  });
});
