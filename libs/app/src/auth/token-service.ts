import { Inject, Injectable, Optional } from '@nestjs/common';
import { CLOCK, systemClock, type Clock } from '@asiointitili/core';
import { assertNever } from '@asiointitili/domain/decider';
import { KEY_RING } from '../keys/key-ring.token';
import type { KeyRing } from '../keys/key-ring';
import { CITIZEN_REFS, type CitizenRefs } from '../identity/citizen-ref';
import { AuthError } from './auth-error';
import { signKeyRingJwt, verifyKeyRingJwt, type KeyRingJwt } from './key-ring-jwt';
import { VerifiedTokenCache } from './verified-token-cache';
import { isRole, ROLES, type Acr, type Amr, type Principal, type Role } from './principal';
import { DEV_TOKEN_ISSUER, principalFromClaims, TOKEN_AUDIENCE, type AsiointitiliClaims } from './token-claims';
import type { TokenVerifier } from './token-verifier';

export { MAX_TOKEN_LENGTH } from './key-ring-jwt';

export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 60 * 60;
/** Development tokens are for trying things out; a month is plenty, and a leaked one expires. */
export const MAX_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
/** A longer Authorization value is refused before any parsing (our tokens are well under 1 KiB). */
export const DEFAULT_ACR: Acr = 'high';
export const DEFAULT_AMR: Amr = 'bank';

export interface MintRequest {
  readonly role: Role;
  /** citizen only */
  readonly hetu?: string;
  /** citizen only; default `high` */
  readonly acr?: string;
  /** citizen only; default `bank` */
  readonly amr?: string;
  /** agency only: the agency id */
  readonly agency?: string;
  /** auditor/admin: the person's id (default `dev-<role>`); agency: defaults to the agency id. Not for citizens, whose sub is their citizenRef. */
  readonly sub?: string;
  readonly ttlSeconds?: number;
}

/** A mint request that cannot become a valid token. The message says what to change; it never repeats a hetu. */
export class TokenRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRequestError';
  }
}

/**
 * The development identity provider: mints tokens with the key ring's `token` key and verifies
 * them. Only EdDSA signatures by a `token` key of this ring are accepted, which rules out
 * `alg: none`, HMAC tokens keyed with the published public key, and tokens signed with an
 * evidence key.
 */
@Injectable()
export class TokenService implements TokenVerifier {
  constructor(
    @Inject(KEY_RING) private readonly keyRing: KeyRing,
    @Inject(CITIZEN_REFS) private readonly citizenRefs: CitizenRefs,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {}

  private readonly verified = new VerifiedTokenCache();

  private get jwt(): KeyRingJwt {
    return { issuer: DEV_TOKEN_ISSUER, keyRing: this.keyRing, clock: this.clock, cache: this.verified };
  }

  async mint(request: MintRequest): Promise<string> {
    const claims = this.claimsFor(request);
    const ttlSeconds = request.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
      throw new TokenRequestError(`ttl must be a whole number of seconds from 1 to ${MAX_TOKEN_TTL_SECONDS}`);
    }
    // Validate by the very rules verify applies, so a minted token is never one the server refuses.
    try {
      principalFromClaims(claims, this.citizenRefs);
    } catch (error) {
      if (error instanceof AuthError) throw new TokenRequestError(error.message);
      throw error;
    }
    return signKeyRingJwt(this.jwt, claims, { ttlSeconds, typ: 'JWT' });
  }

  async verify(token: string | undefined): Promise<Principal> {
    const payload = await verifyKeyRingJwt(this.jwt, token);
    return principalFromClaims(payload as AsiointitiliClaims, this.citizenRefs);
  }

  /** Claims for a request, refusing options that belong to another role rather than silently dropping them. */
  private claimsFor(request: MintRequest): AsiointitiliClaims {
    const { role } = request;
    if (!isRole(role)) throw new TokenRequestError(`role must be one of ${ROLES.join(', ')}`);
    const foreign = (['hetu', 'acr', 'amr', 'agency', 'sub'] as const).filter((option) => request[option] !== undefined && !appliesTo(option, role));
    if (foreign.length > 0) throw new TokenRequestError(`${foreign.join(', ')} ${foreign.length === 1 ? 'does' : 'do'} not apply to role ${role}`);
    switch (role) {
      case 'citizen': {
        if (request.hetu === undefined) throw new TokenRequestError('a citizen token needs a hetu');
        const hetu = request.hetu.trim().toUpperCase();
        let citizenRef: string;
        try {
          citizenRef = this.citizenRefs.refOf(hetu);
        } catch (error) {
          throw new TokenRequestError(error instanceof Error ? error.message : String(error));
        }
        return { role, hetu, acr: request.acr ?? DEFAULT_ACR, amr: request.amr ?? DEFAULT_AMR, sub: citizenRef };
      }
      case 'agency':
        if (request.agency === undefined) throw new TokenRequestError('an agency token needs an agency id');
        return { role, agency: request.agency, sub: request.sub ?? request.agency };
      case 'auditor':
      case 'admin':
        return { role, sub: request.sub ?? `dev-${role}` };
      default:
        return assertNever(role);
    }
  }
}

function appliesTo(option: 'hetu' | 'acr' | 'amr' | 'agency' | 'sub', role: Role): boolean {
  switch (option) {
    case 'hetu':
    case 'acr':
    case 'amr':
      return role === 'citizen';
    case 'agency':
      return role === 'agency';
    case 'sub':
      return role !== 'citizen';
    default:
      return assertNever(option);
  }
}
