import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTHeaderParameters, type JWTPayload, type KeyLike } from 'jose';
import type { Clock } from '@asiointitili/core';
import { SIGNING_ALGORITHM, type KeyRing } from '../keys/key-ring';
import { AuthError } from './auth-error';
import { authErrorOf } from './jose-errors';
import { TOKEN_AUDIENCE } from './token-claims';
import { VerifiedTokenCache } from './verified-token-cache';

/** Longer than any token this service issues; a longer one is refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8192;

export interface KeyRingJwt {
  readonly issuer: string;
  readonly keyRing: KeyRing;
  readonly clock: Clock;
  /** Remembers tokens already verified (by digest, until their expiry), so a repeated token skips the signature check. */
  readonly cache?: VerifiedTokenCache;
}

/**
 * Signs a JWT with the key ring's active `token` key (EdDSA, kid in the header): the one way this
 * service issues tokens, whether development tokens or client-credential access tokens.
 */
export async function signKeyRingJwt(
  { issuer, keyRing, clock }: KeyRingJwt,
  claims: JWTPayload,
  options: { readonly ttlSeconds: number; readonly typ: string; readonly subject?: string },
): Promise<string> {
  const signing = await keyRing.signingKey('token');
  const nowSeconds = Math.floor(clock.now().getTime() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: signing.kid, typ: options.typ })
    .setIssuer(issuer)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + options.ttlSeconds)
    .setJti(randomUUID());
  return (options.subject === undefined ? jwt : jwt.setSubject(options.subject)).sign(signing.key);
}

/**
 * Verifies a token this service issued under `issuer`: size first, then EdDSA only, a kid that
 * names one of the key ring's token keys (never an evidence key), issuer, audience and expiry.
 * Every failure is an AuthError with its reason. With a cache, a token verified before and not yet
 * expired is answered from it (failures are never remembered).
 */
export async function verifyKeyRingJwt({ issuer, keyRing, clock, cache }: KeyRingJwt, token: string | undefined): Promise<JWTPayload> {
  if (token === undefined || token === '') throw new AuthError('missing', 'a bearer token is required');
  if (token.length > MAX_TOKEN_LENGTH) throw new AuthError('malformed', `the token is longer than ${MAX_TOKEN_LENGTH} characters`);
  const digest = cache ? VerifiedTokenCache.digestOf(token) : '';
  const remembered = cache?.get(digest, clock.now().getTime());
  if (remembered) return remembered;
  try {
    const { payload } = await jwtVerify(token, (header) => tokenKeyFor(keyRing, header), {
      algorithms: [SIGNING_ALGORITHM],
      issuer,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ['exp'],
      currentDate: clock.now(),
    });
    cache?.remember(digest, payload);
    return payload;
  } catch (error) {
    throw authErrorOf(error, { issuer, audience: TOKEN_AUDIENCE, algorithms: [SIGNING_ALGORITHM] });
  }
}

async function tokenKeyFor(keyRing: KeyRing, header: JWTHeaderParameters): Promise<KeyLike> {
  if (typeof header.kid !== 'string') throw new AuthError('bad-signature', 'the token names no signing key (kid)');
  const key = await keyRing.verificationKey(header.kid, 'token');
  if (!key) throw new AuthError('bad-signature', 'the token was not signed by a key of this service');
  return key;
}
