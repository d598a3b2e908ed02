import { Logger } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTHeaderParameters, type JWTPayload, type FlattenedJWSInput, type KeyLike } from 'jose';
import { systemClock, type Clock } from '@asiointitili/core';
import type { OidcConfig } from '../config/app-config';
import { ProblemException, problem } from '../http/problem';
import type { CitizenRefs } from '../identity/citizen-ref';
import { AuthError } from './auth-error';
import { authErrorOf } from './jose-errors';
import type { CitizenPrincipal } from './principal';
import { citizenFromClaims } from './citizen-claims';

/** Moved to citizen-claims.ts: one mapping for every kind of token; re-exported for existing callers. */
export { ACR_VALUES, citizenFromClaims } from './citizen-claims';
import { MAX_TOKEN_LENGTH } from './token-service';
import type { TokenVerifier } from './token-verifier';

/**
 * Asymmetric algorithms only. `none` and the HMAC family are never on the list: with HS256 a
 * forger would key the MAC with the provider's *public* key (algorithm confusion).
 */
export const OIDC_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;


export interface OidcVerifierOptions {
  readonly clock?: Clock;
  /** After fetching the key set, an unknown `kid` waits this long before the next fetch (so forged kids cannot hammer the provider). */
  readonly cooldownMs?: number;
  /** A fetch of the key set that takes longer fails (503 to the caller). */
  readonly timeoutMs?: number;
  /** The key set is fetched again at the first token after this age, even without an unknown `kid`. */
  readonly cacheMaxAgeMs?: number;
  /** Clock skew allowed between the provider and this service for exp and nbf. */
  readonly clockToleranceSeconds?: number;
}

export const OIDC_DEFAULTS = { cooldownMs: 30_000, timeoutMs: 5_000, cacheMaxAgeMs: 10 * 60_000, clockToleranceSeconds: 30 } as const;

/** The key set could not be fetched or used: the provider's fault, not the token's, and not worth a 401. */
class KeySourceFailure extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'KeySourceFailure';
  }
}

/**
 * Verifies citizens' ID tokens from an external OpenID Connect provider (e.g. Suomi.fi
 * identification) against the provider's JWKS, fetched over HTTP, cached, and fetched again when
 * a token names a key it does not know (key rotation). Every valid token is a citizen: the
 * provider identifies people, so a `role` claim in its tokens is ignored and can grant nothing.
 */
export class OidcTokenVerifier implements TokenVerifier {
  private readonly logger = new Logger('OidcTokenVerifier');
  private readonly keySet: (header: JWTHeaderParameters, token: FlattenedJWSInput) => Promise<KeyLike>;
  private readonly clock: Clock;
  private readonly clockToleranceSeconds: number;

  constructor(
    private readonly config: OidcConfig,
    private readonly citizenRefs: CitizenRefs,
    options: OidcVerifierOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.clockToleranceSeconds = options.clockToleranceSeconds ?? OIDC_DEFAULTS.clockToleranceSeconds;
    const remote = createRemoteJWKSet(new URL(config.jwksUrl), {
      cooldownDuration: options.cooldownMs ?? OIDC_DEFAULTS.cooldownMs,
      timeoutDuration: options.timeoutMs ?? OIDC_DEFAULTS.timeoutMs,
      cacheMaxAge: options.cacheMaxAgeMs ?? OIDC_DEFAULTS.cacheMaxAgeMs,
    });
    this.keySet = async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey) throw new AuthError('unknown-key', 'the token was not signed by a key the identity provider publishes');
        if (error instanceof errors.JWKSMultipleMatchingKeys) throw new AuthError('unknown-key', 'the token names no key (kid) and the provider publishes several');
        throw new KeySourceFailure(error);
      }
    };
  }

  async verify(token: string | undefined): Promise<CitizenPrincipal> {
    if (token === undefined || token === '') throw new AuthError('missing', 'a bearer token is required');
    if (token.length > MAX_TOKEN_LENGTH) throw new AuthError('malformed', `the token is longer than ${MAX_TOKEN_LENGTH} characters`);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keySet, {
        algorithms: [...OIDC_ALGORITHMS],
        issuer: this.config.issuer,
        audience: this.config.audience,
        requiredClaims: ['exp'],
        currentDate: this.clock.now(),
        clockTolerance: this.clockToleranceSeconds,
      }));
    } catch (error) {
      if (error instanceof KeySourceFailure) {
        // The cause may name the provider's address; that is for the log, not for the client.
        this.logger.error(`identity provider key set unavailable: ${error.message}`);
        throw new ProblemException(problem(503, 'identity-provider-unavailable', 'The identity provider\'s keys cannot be fetched just now; retry shortly.'), { 'Retry-After': '5' });
      }
      throw authErrorOf(error, { issuer: this.config.issuer, audience: this.config.audience, algorithms: OIDC_ALGORITHMS });
    }
    return citizenFromClaims(payload, this.config.claims, this.citizenRefs);
  }
}
