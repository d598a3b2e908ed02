import type { AcknowledgeReceipt, OpenMessage, SendReply } from '../commands';
import type { MessageEvent, PaperReason } from '../events';
import { EventOutOfPlaceError } from '../event-out-of-place';
import { fold } from '../decider';
import { given } from '../testing/given-when-then';
import {
  ACKNOWLEDGE_BY,
  acknowledgedAt,
  after,
  attachment,
  CONTENT_SHA,
  DAY_MS,
  fellBackAt,
  HOUR_MS,
  ordinarySent,
  readAt,
  RECIPIENT,
  REGISTERED_SENT_AT,
  registeredSent,
  sendOrdinary,
  sendRegistered,
  sentOnPaper,
  SOMEONE_ELSE,
} from '../testing/message-fixtures';
import { contentVisible, messageDecider, type ExistingMessage, type MessageState } from './message.decider';

const existing = (state: MessageState): ExistingMessage => {
  if (!state.exists) throw new Error('expected a message');
  return state;
};

const openBy = (messageId: string, citizenRef: string, at: string): OpenMessage => ({ type: 'OpenMessage', messageId, citizenRef, at });
const acknowledge = (at: string, citizenRef = RECIPIENT): AcknowledgeReceipt => ({
  type: 'AcknowledgeReceipt',
  messageId: 'm-registered',
  citizenRef,
  method: 'bank',
  assurance: 'substantial',
  at,
});

describe('message: sending', () => {
  it('sends an ordinary message electronically and shows its deemed-service date from the start', () => {
    expect(given(messageDecider).when(sendOrdinary()).events).toEqual([ordinarySent]);
  });

  it('sends a registered message electronically, to be acknowledged by the end of the 7th Helsinki day after it', () => {
    expect(given(messageDecider).when(sendRegistered()).events).toEqual([registeredSent]);
  });

  it('routes a decision to paper when the recipient has no open account', () => {
    const command = sendOrdinary({ recipient: { electronic: false, paperReason: 'no-account' } });
    expect(given(messageDecider).when(command).events).toEqual(sentOnPaper(ordinarySent, 'no-account'));
  });

  it.each<PaperReason>(['account-closed', 'no-consent', 'opted-out-to-paper'])('routes to paper with the reason %s, with no deadlines', (reason) => {
    const command = sendRegistered({ recipient: { electronic: false, paperReason: reason } });
    const outcome = given(messageDecider).when(command);
    expect(outcome.events).toEqual(sentOnPaper(registeredSent, reason));
    expect(existing(outcome.state).routedToPaper).toEqual({ reason, at: REGISTERED_SENT_AT });
  });

  it('refuses a paper route without a reason, or with a reason that only a fallback has', () => {
    for (const recipient of [{ electronic: false }, { electronic: false, paperReason: 'unacknowledged-7-days' as const }]) {
      expect(given(messageDecider).when(sendOrdinary({ recipient })).error).toMatchObject({ kind: 'invalid', code: 'invalid-paper-reason' });
    }
  });

  it('refuses a second SendMessage on an existing stream', () => {
    expect(given(messageDecider, ordinarySent).when(sendOrdinary()).error).toMatchObject({ kind: 'conflict', code: 'message-exists' });
  });

  it('records the external id and the message replied to when given', () => {
    const [sent] = given(messageDecider).when(sendOrdinary({ externalId: 'ext-1', inReplyTo: 'app-9' })).events;
    expect(sent).toEqual({ ...ordinarySent, data: { ...ordinarySent.data, externalId: 'ext-1', inReplyTo: 'app-9' } });
  });

  it('accepts a subject of exactly 256 characters, counting an emoji as one', () => {
    expect(given(messageDecider).when(sendOrdinary({ subject: 'ä'.repeat(256) })).result.ok).toBe(true);
    expect(given(messageDecider).when(sendOrdinary({ subject: '😀'.repeat(256) })).result.ok).toBe(true);
  });

  it('refuses a blank subject and one of 257 characters', () => {
    expect(given(messageDecider).when(sendOrdinary({ subject: ' \t ' })).error).toMatchObject({ kind: 'invalid', code: 'subject-required' });
    expect(given(messageDecider).when(sendOrdinary({ subject: 'x'.repeat(257) })).error).toMatchObject({ kind: 'invalid', code: 'subject-too-long' });
  });

  it('accepts a body of 40,000 characters and refuses a blank one or one of 40,001', () => {
    expect(given(messageDecider).when(sendOrdinary({ body: 'x'.repeat(40_000) })).result.ok).toBe(true);
    expect(given(messageDecider).when(sendOrdinary({ body: '' })).error).toMatchObject({ kind: 'invalid', code: 'body-required' });
    expect(given(messageDecider).when(sendOrdinary({ body: 'x'.repeat(40_001) })).error).toMatchObject({ kind: 'invalid', code: 'body-too-long' });
  });

  it('accepts 50 attachments and refuses 51', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => attachment(i));
    expect(given(messageDecider).when(sendOrdinary({ attachments: many(50) })).result.ok).toBe(true);
    expect(given(messageDecider).when(sendOrdinary({ attachments: many(51) })).error).toMatchObject({ kind: 'invalid', code: 'too-many-attachments' });
  });

  it('refuses the same attachment listed twice', () => {
    expect(given(messageDecider).when(sendOrdinary({ attachments: [attachment(1), attachment(1)] })).error).toMatchObject({
      kind: 'invalid',
      code: 'duplicate-attachment',
    });
  });

  it('refuses a content hash that is not 64 lower-case hex digits', () => {
    for (const contentSha256 of ['', 'ab'.repeat(31), CONTENT_SHA.toUpperCase(), 'zz'.repeat(32)]) {
      expect(given(messageDecider).when(sendOrdinary({ contentSha256 })).error).toMatchObject({ kind: 'invalid', code: 'invalid-content-hash' });
    }
  });
});

describe('message: opening', () => {
  it('records the first opening of an electronic message as read', () => {
    const outcome = given(messageDecider, ordinarySent).when(openBy('m-ordinary', RECIPIENT, '2025-11-25T08:00:00.000Z'));
    expect(outcome.events).toEqual([readAt('m-ordinary', '2025-11-25T08:00:00.000Z')]);
    expect(existing(outcome.state).readAt).toBe('2025-11-25T08:00:00.000Z');
  });

  it('answers later openings with no new event', () => {
    const first = readAt('m-ordinary', '2025-11-25T08:00:00.000Z');
    expect(given(messageDecider, ordinarySent, first).when(openBy('m-ordinary', RECIPIENT, '2025-11-26T08:00:00.000Z')).events).toEqual([]);
  });

  it('answers anyone but the recipient exactly as for a message that does not exist', () => {
    const forSomeoneElse = given(messageDecider, ordinarySent).when(openBy('m-ordinary', SOMEONE_ELSE, '2025-11-25T08:00:00.000Z')).error;
    const forNobody = given(messageDecider).when(openBy('m-ordinary', SOMEONE_ELSE, '2025-11-25T08:00:00.000Z')).error;
    expect(forSomeoneElse).toEqual({ kind: 'not-found', code: 'message-not-found', detail: expect.any(String) });
    expect(forSomeoneElse).toEqual(forNobody);
  });

  it('records reading a registered message before acknowledgement, but keeps its content withheld', () => {
    const outcome = given(messageDecider, registeredSent).when(openBy('m-registered', RECIPIENT, after(REGISTERED_SENT_AT, HOUR_MS)));
    expect(outcome.events).toEqual([readAt('m-registered', after(REGISTERED_SENT_AT, HOUR_MS))]);
    expect(contentVisible(existing(outcome.state))).toBe(false);
  });

  it('records no reading of a message sent on paper', () => {
    const history = sentOnPaper(ordinarySent, 'no-consent');
    expect(given(messageDecider, ...history).when(openBy('m-ordinary', RECIPIENT, '2025-11-25T08:00:00.000Z')).events).toEqual([]);
  });

  it('records no reading after a registered message fell back to paper', () => {
    const history = [registeredSent, fellBackAt(ACKNOWLEDGE_BY)];
    expect(given(messageDecider, ...history).when(openBy('m-registered', RECIPIENT, after(ACKNOWLEDGE_BY, HOUR_MS))).events).toEqual([]);
  });
});

describe('message: acknowledging a registered delivery', () => {
  it('records the acknowledgement with the identification method and assurance, opening the content', () => {
    const at = after(REGISTERED_SENT_AT, DAY_MS);
    const outcome = given(messageDecider, registeredSent).when({ ...acknowledge(at), method: 'mobile', assurance: 'high' });
    expect(outcome.events).toEqual([
      { type: 'ReceiptAcknowledged', data: { messageId: 'm-registered', acknowledgedAt: at, method: 'mobile', assurance: 'high' } },
    ]);
    expect(contentVisible(existing(outcome.state))).toBe(true);
  });

  it('answers a repeated acknowledgement with no new event, keeping the first moment of service', () => {
    const first = acknowledgedAt(after(REGISTERED_SENT_AT, DAY_MS));
    const outcome = given(messageDecider, registeredSent, first).when(acknowledge(after(REGISTERED_SENT_AT, 2 * DAY_MS)));
    expect(outcome.events).toEqual([]);
    expect(existing(outcome.state).acknowledgement?.at).toBe(after(REGISTERED_SENT_AT, DAY_MS));
  });

  it('answers a repeated acknowledgement with no new event even after the deadline', () => {
    const first = acknowledgedAt(after(REGISTERED_SENT_AT, DAY_MS));
    expect(given(messageDecider, registeredSent, first).when(acknowledge(after(ACKNOWLEDGE_BY, DAY_MS))).events).toEqual([]);
  });

  it('refuses to acknowledge an ordinary message', () => {
    const command = { ...acknowledge(after(REGISTERED_SENT_AT, DAY_MS)), messageId: 'm-ordinary' };
    expect(given(messageDecider, ordinarySent).when(command).error).toMatchObject({ kind: 'conflict', code: 'not-registered' });
  });

  it('answers not-found to anyone but the recipient', () => {
    expect(given(messageDecider, registeredSent).when(acknowledge(after(REGISTERED_SENT_AT, DAY_MS), SOMEONE_ELSE)).error).toMatchObject({
      kind: 'not-found',
      code: 'message-not-found',
    });
  });

  it('refuses an acknowledgement after the fallback to paper', () => {
    const history = [registeredSent, fellBackAt(after(REGISTERED_SENT_AT, DAY_MS), 'account-closed')];
    expect(given(messageDecider, ...history).when(acknowledge(after(REGISTERED_SENT_AT, 2 * DAY_MS))).error).toMatchObject({
      kind: 'conflict',
      code: 'fell-back-to-paper',
    });
  });

  it('refuses an acknowledgement of a registered message that was sent on paper', () => {
    expect(given(messageDecider, ...sentOnPaper(registeredSent, 'no-consent')).when(acknowledge(after(REGISTERED_SENT_AT, DAY_MS))).error).toMatchObject({
      kind: 'conflict',
      code: 'routed-to-paper',
    });
  });

  it('lets an acknowledgement at 6 days 23 hours win over the fallback at 7 days', () => {
    const ackAt = after(REGISTERED_SENT_AT, 6 * DAY_MS + 23 * HOUR_MS);
    const acknowledged = given(messageDecider, registeredSent).when(acknowledge(ackAt));
    expect(acknowledged.events).toEqual([acknowledgedAt(ackAt)]);
    const fallback = given(messageDecider, registeredSent, ...acknowledged.events).when({
      type: 'FallBackToPaper',
      messageId: 'm-registered',
      reason: 'unacknowledged-7-days',
      at: ACKNOWLEDGE_BY,
    });
    expect(fallback.events).toEqual([]);
  });

  it('accepts an acknowledgement one millisecond before the 7 × 24 h deadline', () => {
    const at = after(ACKNOWLEDGE_BY, -1);
    expect(given(messageDecider, registeredSent).when(acknowledge(at)).events).toEqual([acknowledgedAt(at)]);
  });

  it('refuses an acknowledgement at the deadline, even before the fallback is recorded', () => {
    expect(given(messageDecider, registeredSent).when(acknowledge(ACKNOWLEDGE_BY)).error).toMatchObject({
      kind: 'conflict',
      code: 'acknowledgement-period-over',
    });
  });
});

describe('message: replies', () => {
  const replyBy = (messageId: string, citizenRef: string, overrides: Partial<SendReply> = {}): SendReply => ({
    type: 'SendReply',
    messageId,
    replyId: 'r-1',
    citizenRef,
    body: 'Kiitos päätöksestä.',
    attachments: [],
    at: '2025-11-25T09:00:00.000Z',
    ...overrides,
  });

  it('accepts a reply from the recipient to a message that allows replies', () => {
    expect(given(messageDecider, ordinarySent).when(replyBy('m-ordinary', RECIPIENT)).events).toEqual([
      { type: 'ReplySent', data: { messageId: 'm-ordinary', replyId: 'r-1', body: 'Kiitos päätöksestä.', attachments: [], sentAt: '2025-11-25T09:00:00.000Z' } },
    ]);
  });

  it('refuses a reply when the sender allows none', () => {
    const noReplies: MessageEvent = { ...ordinarySent, data: { ...ordinarySent.data, replyAllowed: false } };
    expect(given(messageDecider, noReplies).when(replyBy('m-ordinary', RECIPIENT)).error).toMatchObject({
      kind: 'conflict',
      code: 'replies-not-allowed',
    });
  });

  it('answers not-found to anyone but the recipient', () => {
    expect(given(messageDecider, ordinarySent).when(replyBy('m-ordinary', SOMEONE_ELSE)).error).toMatchObject({
      kind: 'not-found',
      code: 'message-not-found',
    });
  });

  it('refuses a reply to a registered message until it is acknowledged', () => {
    const command = replyBy('m-registered', RECIPIENT, { at: after(REGISTERED_SENT_AT, 2 * DAY_MS) });
    expect(given(messageDecider, registeredSent).when(command).error).toMatchObject({ kind: 'conflict', code: 'not-acknowledged' });
    expect(given(messageDecider, registeredSent, acknowledgedAt(after(REGISTERED_SENT_AT, DAY_MS))).when(command).events).toHaveLength(1);
  });

  it('refuses a reply to a message sent on paper or fallen back to paper', () => {
    expect(given(messageDecider, ...sentOnPaper(ordinarySent, 'no-account')).when(replyBy('m-ordinary', RECIPIENT)).error).toMatchObject({
      kind: 'conflict',
      code: 'not-electronic',
    });
    expect(given(messageDecider, registeredSent, fellBackAt(ACKNOWLEDGE_BY)).when(replyBy('m-registered', RECIPIENT)).error).toMatchObject({
      kind: 'conflict',
      code: 'not-electronic',
    });
  });

  it('answers a repeated reply id with no new event and takes further replies', () => {
    const first = given(messageDecider, ordinarySent).when(replyBy('m-ordinary', RECIPIENT)).events;
    expect(given(messageDecider, ordinarySent, ...first).when(replyBy('m-ordinary', RECIPIENT)).events).toEqual([]);
    const second = given(messageDecider, ordinarySent, ...first).when(replyBy('m-ordinary', RECIPIENT, { replyId: 'r-2' }));
    expect(existing(second.state).replyIds).toEqual(['r-1', 'r-2']);
  });

  it('holds a reply to the body and attachment limits', () => {
    const outcome = (overrides: Partial<SendReply>) => given(messageDecider, ordinarySent).when(replyBy('m-ordinary', RECIPIENT, overrides));
    expect(outcome({ body: '  ' }).error).toMatchObject({ kind: 'invalid', code: 'body-required' });
    expect(outcome({ body: 'x'.repeat(40_001) }).error).toMatchObject({ kind: 'invalid', code: 'body-too-long' });
    expect(outcome({ attachments: Array.from({ length: 51 }, (_, i) => attachment(i)) }).error).toMatchObject({
      kind: 'invalid',
      code: 'too-many-attachments',
    });
  });
});

describe('message: folding', () => {
  it('refuses to fold a message event that comes before its MessageSent', () => {
    expect(() => fold(messageDecider, [readAt('m-ordinary', '2025-11-25T08:00:00.000Z')])).toThrow(EventOutOfPlaceError);
  });

  it('refuses to fold a second MessageSent', () => {
    expect(() => fold(messageDecider, [ordinarySent, ordinarySent])).toThrow(EventOutOfPlaceError);
  });
});

describe('message: confidential', () => {
  it('records a message as for the person alone only when the agency says so', () => {
    expect(given(messageDecider).when(sendOrdinary({ confidential: true })).events[0]).toMatchObject({ data: { confidential: true } });
    expect(given(messageDecider).when(sendOrdinary({ confidential: false })).events[0]!.data).not.toHaveProperty('confidential');
    expect(given(messageDecider).when(sendOrdinary()).events[0]!.data).not.toHaveProperty('confidential');
  });
});
