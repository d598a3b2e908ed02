import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, errors } from 'jose';
import { ManualClock, type EventStore } from '@asiointitili/core';
import { SqliteEventStore } from '@asiointitili/event-store';
import { KeyRing } from '../keys';
import { BrokenTrailError, ProofOfServiceIssuer } from './proof-of-service';
import { PROOF_TYPE, type ProofPayload } from './proof-payload';
import { AGENCY, OTHER_AGENCY, recordMessage, registeredAcknowledged } from './testing/message-history';

describe('ProofOfServiceIssuer', () => {
  let dir: string;
  let events: EventStore;
  let keys: KeyRing;
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'asiointitili-issuer-'));
    events = SqliteEventStore.open(dir);
    keys = await KeyRing.open(dir, { clock });
    await recordMessage(events, 'm-1', registeredAcknowledged('m-1'));
  });
  afterEach(async () => {
    await events.close();
    await rm(dir, { recursive: true, force: true });
  });

  const verify = async (proof: string, purpose: 'evidence' | 'token' = 'evidence'): Promise<ProofPayload> => {
    const { payload } = await compactVerify(proof, createLocalJWKSet(await keys.publicJwks([purpose])), { algorithms: ['EdDSA'] });
    return JSON.parse(new TextDecoder().decode(payload)) as ProofPayload;
  };

  it('signs the proof with the active evidence key, naming its kid and the proof type in the header', async () => {
    const issued = (await new ProofOfServiceIssuer(events, keys, clock).issue(AGENCY, 'm-1'))!;
    const active = await keys.signingKey('evidence');
    expect(issued.kid).toBe(active.kid);
    expect(decodeProtectedHeader(issued.proof)).toEqual({ alg: 'EdDSA', kid: active.kid, typ: PROOF_TYPE });
    await expect(verify(issued.proof)).resolves.toEqual(issued.payload);
    expect(issued.payload.iat).toBe(Date.parse('2026-03-01T12:00:00.000Z') / 1000);
  });

  it('never signs with the token key: a proof does not verify against the token keys', async () => {
    const issued = (await new ProofOfServiceIssuer(events, keys, clock).issue(AGENCY, 'm-1'))!;
    await expect(verify(issued.proof, 'token')).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  it('answers null to another agency and for a message that does not exist', async () => {
    const issuer = new ProofOfServiceIssuer(events, keys, clock);
    await expect(issuer.issue(OTHER_AGENCY, 'm-1')).resolves.toBeNull();
    await expect(issuer.issue(AGENCY, 'm-missing')).resolves.toBeNull();
  });

  it('refuses to sign over a trail whose hash chain is broken', async () => {
    const tampered: EventStore = Object.assign(Object.create(events) as EventStore, {
      readStream: async (stream: string) =>
        (await events.readStream(stream)).map((event) => (event.revision === 1n ? { ...event, data: { ...event.data, readAt: '2020-01-01T00:00:00.000Z' } } : event)),
    });
    await expect(new ProofOfServiceIssuer(tampered, keys, clock).issue(AGENCY, 'm-1')).rejects.toThrow(BrokenTrailError);
  });

  it('signs with the new key after a rotation, while proofs signed before still verify against the published keys', async () => {
    const issuer = new ProofOfServiceIssuer(events, keys, clock);
    const before = (await issuer.issue(AGENCY, 'm-1'))!;
    await keys.rotate('evidence');
    const afterRotation = (await issuer.issue(AGENCY, 'm-1'))!;
    expect(afterRotation.kid).not.toBe(before.kid);
    await expect(verify(before.proof)).resolves.toMatchObject({ messageId: 'm-1' });
    await expect(verify(afterRotation.proof)).resolves.toMatchObject({ messageId: 'm-1' });
  });
});
