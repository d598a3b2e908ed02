import { CompactSign } from 'jose';
import { canonicalJson } from '@asiointitili/core';
import type { KeyRing, PublicJwk, SigningKey } from '../keys';

/** What a signer needs of the key ring: the active evidence key, and its public half to ship beside a seal. */
export type EvidenceKeys = Pick<KeyRing, 'signingKey' | 'publicJwks'>;

export interface SignedEvidence {
  /** Compact JWS (RFC 7515 §7.1) over the canonical JSON of the payload. */
  readonly jws: string;
  readonly kid: string;
}

/**
 * Signs a statement with the key ring's active `evidence` key (Ed25519, never the token key).
 * The payload is serialised as canonical JSON, so the same statement always gives the same bytes.
 */
export async function signEvidence(keys: EvidenceKeys, typ: string, payload: unknown): Promise<SignedEvidence> {
  const key: SigningKey = await keys.signingKey('evidence');
  const jws = await new CompactSign(new TextEncoder().encode(canonicalJson(payload)))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ })
    .sign(key.key);
  return { jws, kid: key.kid };
}

/** The published public half of an evidence key, exactly as GET /v1/keys lists it. */
export async function publicEvidenceJwk(keys: EvidenceKeys, kid: string): Promise<PublicJwk> {
  const found = (await keys.publicJwks(['evidence'])).keys.find((jwk) => jwk.kid === kid);
  if (!found) throw new Error(`evidence key ${kid} is not in the key ring`);
  return found;
}
