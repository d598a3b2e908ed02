import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { jwtVerify, SignJWT, type JWTHeaderParameters, type JWTPayload, type KeyLike } from 'jose';
import { CLOCK, type Clock } from '@asiointitili/core';
import { isClientIdOf } from '@asiointitili/domain';
import { AuthError } from '../auth/auth-error';
import { authErrorOf } from '../auth/jose-errors';
import type { AgencyPrincipal } from '../auth/principal';
import { CLIENT_TOKEN_ISSUER, isIdentifier, TOKEN_AUDIENCE } from '../auth/token-claims';
import { MAX_TOKEN_LENGTH } from '../auth/token-service';
import type { TokenVerifier } from '../auth/token-verifier';
import { KEY_RING } from '../keys/key-ring.token';
import { SIGNING_ALGORITHM, type KeyRing } from '../keys/key-ring';
import { AgencyCredentials } from './agency-credentials';

/** Agency tokens from the token endpoint live a quarter of an hour: a stolen one is soon useless. */
export const CLIENT_TOKEN_TTL_SECONDS = 15 * 60;

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
}

/**
 * Mints and verifies the agency tokens of POST /v1/auth/token: signed with the key ring's `token`
 * key like development tokens, but under their own issuer, and naming the credential they were
 * exchanged for, so that revoking the credential ends its tokens too (within the credentials cache
 * time) and every event an agency causes records that it came through client credentials.
 */
@Injectable()
export class ClientTokenService implements TokenVerifier {
  constructor(
    @Inject(KEY_RING) private readonly keyRing: KeyRing,
    private readonly credentials: AgencyCredentials,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async mint(agencyId: string, clientId: string): Promise<IssuedToken> {
    const signing = await this.keyRing.signingKey('token');
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const accessToken = await new SignJWT({ role: 'agency', agency: agencyId, client_id: clientId })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: signing.kid, typ: 'at+jwt' })
      .setIssuer(CLIENT_TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(clientId)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + CLIENT_TOKEN_TTL_SECONDS)
      .setJti(randomUUID())
      .sign(signing.key);
    return { accessToken, expiresIn: CLIENT_TOKEN_TTL_SECONDS };
  }

  async verify(token: string | undefined): Promise<AgencyPrincipal> {
    if (token === undefined || token === '') throw new AuthError('missing', 'a bearer token is required');
    if (token.length > MAX_TOKEN_LENGTH) throw new AuthError('malformed', `the token is longer than ${MAX_TOKEN_LENGTH} characters`);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.verificationKeyFor(header), {
        algorithms: [SIGNING_ALGORITHM],
        issuer: CLIENT_TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['exp'],
        currentDate: this.clock.now(),
      }));
    } catch (error) {
      throw authErrorOf(error, { issuer: CLIENT_TOKEN_ISSUER, audience: TOKEN_AUDIENCE, algorithms: [SIGNING_ALGORITHM] });
    }
    const { role, agency, client_id: clientId } = payload as { role?: unknown; agency?: unknown; client_id?: unknown };
    if (role !== 'agency') throw new AuthError('unknown-role', `${CLIENT_TOKEN_ISSUER} issues agency tokens only`);
    if (!isIdentifier(agency) || !isIdentifier(clientId) || !isClientIdOf(clientId, agency)) {
      throw new AuthError('invalid-claims', 'the token needs an agency claim and a client_id of that agency');
    }
    if (!(await this.credentials.isActive(agency, clientId))) throw new AuthError('revoked', 'the credential this token was issued for has been revoked');
    return { role: 'agency', agencyId: agency, clientId };
  }

  private async verificationKeyFor(header: JWTHeaderParameters): Promise<KeyLike> {
    if (typeof header.kid !== 'string') throw new AuthError('bad-signature', 'the token names no signing key (kid)');
    const key = await this.keyRing.verificationKey(header.kid, 'token');
    if (!key) throw new AuthError('bad-signature', 'the token was not signed by a key of this service');
    return key;
  }
}
