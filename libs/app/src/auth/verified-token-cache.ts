import { createHash } from 'node:crypto';
import type { JWTPayload } from 'jose';

/** Tokens remembered per verifier: a few minutes of every active agency and citizen at peak. */
export const VERIFIED_TOKEN_CACHE_ENTRIES = 10_000;

interface Entry {
  readonly payload: JWTPayload;
  /** The token is good from this instant (its `nbf`, if any) … */
  readonly validFromMs: number;
  /** … until this one (its `exp`): jose refuses a token once `exp` ≤ now in whole seconds. */
  readonly expiresAtMs: number;
}

/**
 * Remembers the claims of tokens whose signature, issuer, audience and expiry were already
 * checked, so a client presenting the same bearer token on every request pays for the EdDSA
 * verification once. Keyed by the SHA-256 digest of the token (the token itself is never kept).
 *
 * Only the signature check is remembered: a hit is still refused once the token's `exp` has
 * passed (or before its `nbf`), and whatever a verifier checks after the signature — a revoked
 * client credential, a citizen's level of assurance, the role — is checked on every request as
 * before. Bounded: the least recently used entry leaves when the cache is full.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity: number = VERIFIED_TOKEN_CACHE_ENTRIES) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`cache capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  static digestOf(token: string): string {
    return createHash('sha256').update(token).digest('base64');
  }

  /** The claims of a token verified before and still within its validity at `nowMs`, else undefined. */
  get(digest: string, nowMs: number): JWTPayload | undefined {
    const entry = this.entries.get(digest);
    if (!entry) return undefined;
    if (nowMs >= entry.expiresAtMs || nowMs < entry.validFromMs) {
      this.entries.delete(digest);
      return undefined;
    }
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(digest);
    this.entries.set(digest, entry);
    return entry.payload;
  }

  /** Remembers a verified token's claims; a token without a numeric `exp` is never remembered. */
  remember(digest: string, payload: JWTPayload): void {
    if (typeof payload.exp !== 'number') return;
    this.entries.delete(digest);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(digest, {
      payload,
      validFromMs: typeof payload.nbf === 'number' ? payload.nbf * 1000 : Number.NEGATIVE_INFINITY,
      expiresAtMs: payload.exp * 1000,
    });
  }
}
