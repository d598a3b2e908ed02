import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, EVENT_STORE, verifyChain, type Clock, type EventStore } from '@asiointitili/core';
import { messageStream } from '@asiointitili/domain';
import { KEY_RING } from '../keys';
import { signEvidence, type EvidenceKeys } from './evidence-signer';
import { PROOF_ISSUER, PROOF_TYPE, proofPayloadOf, type ProofPayload } from './proof-payload';

export interface IssuedProof {
  /** Compact JWS; verify it with GET /v1/keys. */
  readonly proof: string;
  readonly kid: string;
  readonly payload: ProofPayload;
}

/** The message's hash chain does not verify: no proof is signed over a trail that may have been altered. */
export class BrokenTrailError extends Error {
  constructor(
    readonly stream: string,
    readonly detail: string,
  ) {
    super(`the trail of ${stream} fails its hash-chain check: ${detail}`);
    this.name = 'BrokenTrailError';
  }
}

/**
 * Issues signed proofs of service from the message's own stream. Only the sending agency gets one;
 * to anyone else the message does not exist (null, answered as 404).
 */
@Injectable()
export class ProofOfServiceIssuer {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(KEY_RING) private readonly keys: EvidenceKeys,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issue(agencyId: string, messageId: string): Promise<IssuedProof | null> {
    const stream = messageStream(messageId);
    const events = await this.events.readStream(stream);
    const payload = proofPayloadOf(stream, events, { iss: PROOF_ISSUER, issuedAt: this.clock.now() });
    if (!payload || payload.agencyId !== agencyId) return null;
    // Checked only for the owner, so a broken stream of another agency's message stays a plain 404.
    const broken = verifyChain(events);
    if (broken) throw new BrokenTrailError(stream, `revision ${broken.revision}: ${broken.detail}`);
    const { jws, kid } = await signEvidence(this.keys, PROOF_TYPE, payload);
    return { proof: jws, kid, payload };
  }
}
