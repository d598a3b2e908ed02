import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@asiointitili/core';
import { SqliteEventStore } from '@asiointitili/event-store';
import { messageStream } from '@asiointitili/domain';
import { PROOF_FORMAT, proofPayloadOf } from './proof-payload';
import {
  ACKNOWLEDGE_BY,
  AGENCY,
  DAY_MS,
  HOUR_MS,
  ORDINARY_SENT_AT,
  ORDINARY_SERVED_AT,
  RECIPIENT,
  REGISTERED_SENT_AT,
  after,
  ordinaryDeemedServed,
  recordMessage,
  registeredAcknowledged,
  registeredFellBack,
  registeredPending,
  routedToPaper,
} from './testing/message-history';

const ISSUED = { iss: 'asiointitili', issuedAt: new Date('2026-03-01T12:00:00.500Z') };

describe('proofPayloadOf', () => {
  let dir: string;
  let events: EventStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'asiointitili-proof-'));
    events = SqliteEventStore.open(dir);
  });
  afterEach(async () => {
    await events.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('states an acknowledged registered message with the method and level of assurance, resting on the acknowledgement', async () => {
    const history = await recordMessage(events, 'm-ack', registeredAcknowledged('m-ack'));
    const payload = proofPayloadOf(messageStream('m-ack'), history, ISSUED)!;
    const acknowledgedAt = after(REGISTERED_SENT_AT, 2 * DAY_MS + HOUR_MS);
    expect(payload).toMatchObject({
      format: PROOF_FORMAT,
      iss: 'asiointitili',
      iat: Math.floor(ISSUED.issuedAt.getTime() / 1000),
      messageId: 'm-ack',
      agencyId: AGENCY,
      citizenRef: RECIPIENT,
      kind: 'decision',
      delivery: 'registered',
      route: 'electronic',
      sentAt: REGISTERED_SENT_AT,
      availableAt: REGISTERED_SENT_AT,
      servedAt: acknowledgedAt,
      service: { status: 'acknowledged', at: acknowledgedAt, method: 'mobile', assurance: 'high' },
      contentSha256: history[0]!.data.contentSha256,
      restsOn: { stream: 'message-m-ack', revision: '2', eventId: history[2]!.id, type: 'ReceiptAcknowledged', hash: history[2]!.metadata.hash },
      evidence: ['ContentHandover'],
    });
  });

  it('states the appeal period and its last day once served, and no appeal member when none was given', async () => {
    // Acknowledged on Wednesday 26 November 2025 (Helsinki): 30 days end on Friday 26 December,
    // St Stephen's Day, then a weekend: the period ends on Monday 29 December.
    const [send, ...rest] = registeredAcknowledged('m-appeal');
    const history = await recordMessage(events, 'm-appeal', [{ ...send!, appealPeriodDays: 30 } as typeof send, ...rest]);
    expect(proofPayloadOf(messageStream('m-appeal'), history, ISSUED)!.appeal).toEqual({ periodDays: 30, endsOn: '2025-12-29' });
    const pending = await recordMessage(events, 'm-appeal-pending', [{ ...registeredPending('m-appeal-pending')[0]!, appealPeriodDays: 30 } as typeof send]);
    expect(proofPayloadOf(messageStream('m-appeal-pending'), pending, ISSUED)!.appeal).toEqual({ periodDays: 30, endsOn: null });
    const none = await recordMessage(events, 'm-ack', registeredAcknowledged('m-ack'));
    expect(proofPayloadOf(messageStream('m-ack'), none, ISSUED)).not.toHaveProperty('appeal');
  });

  it('lists every event of the stream by revision, type, time, hash and ETSI names, without content', async () => {
    const history = await recordMessage(events, 'm-ack', registeredAcknowledged('m-ack'));
    const payload = proofPayloadOf(messageStream('m-ack'), history, ISSUED)!;
    expect(payload.trail).toEqual(
      history.map((event) => ({ revision: event.revision.toString(), type: event.type, at: event.metadata.occurredAt, hash: event.metadata.hash, evidence: expect.any(Array) })),
    );
    expect(payload.trail.map((step) => step.evidence)).toEqual([['SubmissionAcceptance', 'ContentConsignment'], ['NotificationForAcceptance'], ['ContentHandover']]);
    const text = JSON.stringify(payload);
    expect(text).not.toContain(String(history[0]!.data.body));
    expect(text).not.toContain(String(history[0]!.data.subject));
  });

  it('states deemed service with its day, served at the start of that day, resting on MessageDeemedServed', async () => {
    const history = await recordMessage(events, 'm-ord', ordinaryDeemedServed('m-ord'));
    const payload = proofPayloadOf(messageStream('m-ord'), history, ISSUED)!;
    expect(payload).toMatchObject({
      delivery: 'ordinary',
      externalId: 'ext-m-ord',
      sentAt: ORDINARY_SENT_AT,
      availableAt: ORDINARY_SENT_AT,
      servedAt: ORDINARY_SERVED_AT,
      service: { status: 'deemed', on: '2025-11-27', at: ORDINARY_SERVED_AT },
      restsOn: { revision: '1', type: 'MessageDeemedServed' },
      evidence: ['NationalDeemedService'],
    });
  });

  it('states a paper fallback with its print hand-off and no moment of electronic service', async () => {
    const history = await recordMessage(events, 'm-paper', registeredFellBack('m-paper'));
    const payload = proofPayloadOf(messageStream('m-paper'), history, ISSUED)!;
    expect(payload).toMatchObject({
      servedAt: null,
      availableAt: REGISTERED_SENT_AT,
      service: { status: 'paper', via: 'fallback', reason: 'unacknowledged-7-days', at: ACKNOWLEDGE_BY, printHandOff: { printJobId: 'print-m-paper', at: after(ACKNOWLEDGE_BY, HOUR_MS) } },
      restsOn: { revision: '2', type: 'MessageHandedToPrint' },
      evidence: ['RelayToNonERDS'],
    });
  });

  it('rests a paper proof on the fallback itself while the print hand-off is not yet recorded', async () => {
    const history = await recordMessage(events, 'm-paper', registeredFellBack('m-paper').slice(0, 2));
    const payload = proofPayloadOf(messageStream('m-paper'), history, ISSUED)!;
    expect(payload.service).toMatchObject({ status: 'paper', printHandOff: null });
    expect(payload.restsOn).toMatchObject({ revision: '1', type: 'PaperFallbackTriggered' });
    expect(payload.evidence).toEqual(['AcceptanceRejectionExpiry']);
  });

  it('states a message routed to paper at sending as never available electronically', async () => {
    const history = await recordMessage(events, 'm-routed', routedToPaper('m-routed'));
    const payload = proofPayloadOf(messageStream('m-routed'), history, ISSUED)!;
    expect(payload).toMatchObject({
      route: 'paper',
      availableAt: null,
      servedAt: null,
      service: { status: 'paper', via: 'routed-at-sending', reason: 'no-account', at: REGISTERED_SENT_AT, printHandOff: null },
      restsOn: { revision: '1', type: 'MessageRoutedToPaper' },
    });
  });

  it('issues a proof of submission with status pending before anything served the message', async () => {
    const history = await recordMessage(events, 'm-wait', registeredPending('m-wait'));
    const payload = proofPayloadOf(messageStream('m-wait'), history, ISSUED)!;
    expect(payload).toMatchObject({
      servedAt: null,
      availableAt: REGISTERED_SENT_AT,
      service: { status: 'pending', acknowledgeBy: ACKNOWLEDGE_BY },
      restsOn: { revision: '0', type: 'MessageSent', hash: history[0]!.metadata.hash },
      evidence: ['SubmissionAcceptance', 'ContentConsignment'],
    });
    expect(payload.trail).toHaveLength(2);
  });

  it('answers null for a stream without a message', () => {
    expect(proofPayloadOf('message-none', [], ISSUED)).toBeNull();
  });
});
