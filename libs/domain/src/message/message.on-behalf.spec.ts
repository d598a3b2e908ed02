/** Acting on behalf of the recipient (13/2003 §18): each act an agent causes records ActedOnBehalf beside the act's own event. */
import type { AcknowledgeReceipt, OpenMessage, SendReply } from '../commands';
import { fold } from '../decider';
import { EventOutOfPlaceError } from '../event-out-of-place';
import type { MessageEvent, OnBehalf } from '../events';
import { replaySteps } from '../replay';
import { given } from '../testing/given-when-then';
import { ACKNOWLEDGE_BY, after, HOUR_MS, ordinarySent, readAt, RECIPIENT, REGISTERED_SENT_AT, registeredSent, SOMEONE_ELSE } from '../testing/message-fixtures';
import { messageDecider } from './message.decider';

const GUARDIAN: OnBehalf = { agentRef: 'g4ard1an', mandateId: 'md-guardian', relation: 'guardian' };
const AT = after(REGISTERED_SENT_AT, HOUR_MS);

const open = (messageId: string, onBehalf?: OnBehalf, at = AT): OpenMessage => ({ type: 'OpenMessage', messageId, citizenRef: RECIPIENT, onBehalf, at });
const acknowledge = (onBehalf?: OnBehalf, at = AT): AcknowledgeReceipt => ({
  type: 'AcknowledgeReceipt',
  messageId: 'm-registered',
  citizenRef: RECIPIENT,
  method: 'mobile',
  assurance: 'substantial',
  onBehalf,
  at,
});
const reply = (onBehalf?: OnBehalf, replyId = 'r-1'): SendReply => ({
  type: 'SendReply',
  messageId: 'm-ordinary',
  replyId,
  citizenRef: RECIPIENT,
  body: 'Kiitos, tieto on saatu.',
  attachments: [],
  onBehalf,
  at: AT,
});

/** What the record of an agent's act says: the act, the message, the person acted for, the agent's citizenRef, the mandate. */
const acted = (act: 'read' | 'acknowledged' | 'replied', messageId: string, extra: { replyId?: string } = {}): MessageEvent => ({
  type: 'ActedOnBehalf',
  data: { act, messageId, ...extra, citizenRef: RECIPIENT, agentRef: 'g4ard1an', mandateId: 'md-guardian', relation: 'guardian', actedAt: AT },
});

const acknowledgedAt = (at: string): MessageEvent => ({
  type: 'ReceiptAcknowledged',
  data: { messageId: 'm-registered', acknowledgedAt: at, method: 'mobile', assurance: 'substantial' },
});

const confidential = (sent: typeof ordinarySent): MessageEvent => ({ ...sent, data: { ...sent.data, confidential: true } });

describe('message: an act on behalf of the recipient records ActedOnBehalf right after the act', () => {
  it('records an agent opening the message: MessageRead, then ActedOnBehalf naming the act, the mandate and the relation', () => {
    expect(given(messageDecider, ordinarySent).when(open('m-ordinary', GUARDIAN)).events).toEqual([readAt('m-ordinary', AT), acted('read', 'm-ordinary')]);
  });

  it('records an agent acknowledging a registered message: ReceiptAcknowledged (the agent\'s method and assurance), then ActedOnBehalf', () => {
    expect(given(messageDecider, registeredSent).when(acknowledge(GUARDIAN)).events).toEqual([acknowledgedAt(AT), acted('acknowledged', 'm-registered')]);
  });

  it('records an agent replying: ReplySent, then ActedOnBehalf naming the reply', () => {
    const outcome = given(messageDecider, ordinarySent).when(reply(GUARDIAN));
    expect(outcome.events.map((e) => e.type)).toEqual(['ReplySent', 'ActedOnBehalf']);
    expect(outcome.events[1]).toEqual(acted('replied', 'm-ordinary', { replyId: 'r-1' }));
  });

  it('keeps only references in the record: the act, the message, two citizenRefs, the mandate and the time', () => {
    const [, record] = given(messageDecider, ordinarySent).when(open('m-ordinary', GUARDIAN)).events;
    expect(Object.keys(record!.data).sort()).toEqual(['act', 'actedAt', 'agentRef', 'citizenRef', 'mandateId', 'messageId', 'relation']);
  });

  it.each([
    ['opening', ordinarySent, open('m-ordinary')],
    ['acknowledging', registeredSent, acknowledge()],
    ['replying', ordinarySent, reply()],
  ] as const)('records no ActedOnBehalf when the recipient does the %s themself', (_act, sent, command) => {
    const events = given(messageDecider, sent).when(command).events;
    expect(events).toHaveLength(1);
    expect(events.map((e) => e.type)).not.toContain('ActedOnBehalf');
  });

  it('records nothing, so no second ActedOnBehalf, when the same act is repeated (a retry, or one already done)', () => {
    const opened = given(messageDecider, ordinarySent).when(open('m-ordinary', GUARDIAN)).events;
    expect(given(messageDecider, ordinarySent, ...opened).when(open('m-ordinary', GUARDIAN, after(AT, HOUR_MS))).events).toEqual([]);
    // Read by the person first: the agent's later opening is no new fact.
    expect(given(messageDecider, ordinarySent, readAt('m-ordinary', AT)).when(open('m-ordinary', GUARDIAN)).events).toEqual([]);
    const ack = given(messageDecider, registeredSent).when(acknowledge(GUARDIAN)).events;
    expect(given(messageDecider, registeredSent, ...ack).when(acknowledge(GUARDIAN, after(AT, HOUR_MS))).events).toEqual([]);
    const replied = given(messageDecider, ordinarySent).when(reply(GUARDIAN)).events;
    expect(given(messageDecider, ordinarySent, ...replied).when(reply(GUARDIAN)).events).toEqual([]);
  });

  it('records no ActedOnBehalf for an act the domain refuses (an acknowledgement after the 7 days)', () => {
    expect(given(messageDecider, registeredSent).when(acknowledge(GUARDIAN, ACKNOWLEDGE_BY)).error.code).toBe('acknowledgement-period-over');
  });

  it('answers an agent on a confidential message exactly as for a message that does not exist, and lets the recipient act', () => {
    const notFound = given(messageDecider).when(open('m-ordinary', GUARDIAN)).error;
    expect(given(messageDecider, confidential(ordinarySent)).when(open('m-ordinary', GUARDIAN)).error).toEqual(notFound);
    expect(given(messageDecider, confidential(registeredSent)).when(acknowledge(GUARDIAN)).error.code).toBe('message-not-found');
    expect(given(messageDecider, confidential(ordinarySent)).when(reply(GUARDIAN)).error.code).toBe('message-not-found');
    expect(given(messageDecider, confidential(ordinarySent)).when(open('m-ordinary')).events).toEqual([readAt('m-ordinary', AT)]);
  });

  it('answers an agent acting for someone else than the recipient as not found', () => {
    const forAnother: OpenMessage = { ...open('m-ordinary', GUARDIAN), citizenRef: SOMEONE_ELSE };
    expect(given(messageDecider, ordinarySent).when(forAnother).error.code).toBe('message-not-found');
  });

  it('folds ActedOnBehalf without changing the message, and refuses an application act in a message stream', () => {
    const withRead = fold(messageDecider, [ordinarySent, readAt('m-ordinary', AT)]);
    expect(fold(messageDecider, [ordinarySent, readAt('m-ordinary', AT), acted('read', 'm-ordinary')])).toEqual(withRead);
    const applied = { type: 'ActedOnBehalf', data: { ...acted('read', 'm-ordinary').data, act: 'applied' } } as unknown as MessageEvent;
    expect(() => fold(messageDecider, [ordinarySent, applied])).toThrow(EventOutOfPlaceError);
    expect(() => fold(messageDecider, [acted('read', 'm-ordinary')])).toThrow(EventOutOfPlaceError);
  });

  it('replays a message stream with an act on behalf step by step', () => {
    const steps = replaySteps('message', [ordinarySent, readAt('m-ordinary', AT), acted('read', 'm-ordinary')]);
    expect(steps.map((step) => step.event.type)).toEqual(['MessageSent', 'MessageRead', 'ActedOnBehalf']);
  });
});
