import { Logger } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTHeaderParameters, type JWTPayload, type FlattenedJWSInput, type KeyLike } from 'jose';
import { systemClock, type Clock } from '@asiointitili/core';
import { parseHetu } from '@asiointitili/domain/identity/hetu';
import type { OidcConfig } from '../config/app-config';
import { ProblemException, problem } from '../http/problem';
import type { CitizenRefs } from '../identity/citizen-ref';
import { AuthError } from './auth-error';
import { authErrorOf } from './jose-errors';
import { AMRS, isAmr, type Acr, type Amr, type CitizenPrincipal } from './principal';
import { MAX_TOKEN_LENGTH } from './token-service';
import type { TokenVerifier } from './token-verifier';

/**
 * Asymmetric algorithms only. `none` and the HMAC family are never on the list: with HS256 a
 * forger would key the MAC with the provider's *public* key (algorithm confusion).
 */
export const OIDC_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

/**
 * The provider's values for the levels of assurance this service accepts: our own words, the
 * eIDAS URIs, and the Finnish trust network's (FTN) levels 2 and 3 as Suomi.fi sends them.
 * Anything else, `low` included, is too weak for a citizen call.
 */
export const ACR_VALUES: Readonly<Record<string, Acr>> = {
  substantial: 'substantial',
  high: 'high',
  'http://eidas.europa.eu/LoA/substantial': 'substantial',
  'http://eidas.europa.eu/LoA/high': 'high',
  'http://ftn.ficora.fi/2017/loa2': 'substantial',
  'http://ftn.ficora.fi/2017/loa3': 'high',
};

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

/**
 * A citizen from a provider's verified claims, by the configured claim names. Order matters: who
 * it is (401 without a valid henkilötunnus), then how strongly they signed in (403 below
 * substantial), then how (401 without a method this service records).
 */
export function citizenFromClaims(payload: JWTPayload, names: OidcConfig['claims'], citizenRefs: CitizenRefs): CitizenPrincipal {
  const hetuClaim = payload[names.hetu];
  if (typeof hetuClaim !== 'string') throw new AuthError('invalid-claims', `a citizen token needs the ${names.hetu} claim (henkilötunnus)`);
  const parsed = parseHetu(hetuClaim);
  // The reason only: the parser's detail may repeat parts of the code.
  if (!parsed.ok) throw new AuthError('invalid-claims', `the ${names.hetu} claim is not a valid henkilötunnus (${parsed.reason})`);
  const acrClaim = payload[names.acr];
  const acr = typeof acrClaim === 'string' && Object.hasOwn(ACR_VALUES, acrClaim) ? ACR_VALUES[acrClaim] : undefined;
  if (acr === undefined) throw new AuthError('insufficient-assurance', 'citizen calls need identification at level of assurance substantial or high');
  const amr = firstKnownAmr(payload[names.amr]);
  if (amr === undefined) throw new AuthError('invalid-claims', `the ${names.amr} claim names no identification method of ${AMRS.join(', ')}`);
  const hetu = parsed.hetu.normalised;
  return { role: 'citizen', hetu, citizenRef: citizenRefs.refOf(hetu), acr, amr };
}

/** RFC 8176 allows a list of methods; the first this service knows is the one recorded. */
function firstKnownAmr(claim: unknown): Amr | undefined {
  const values: readonly unknown[] = Array.isArray(claim) ? claim : [claim];
  return values.find(isAmr);
}
