import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@asiointitili/core';
import { isClientIdOf } from '@asiointitili/domain';
import { AuthError } from '../auth/auth-error';
import { signKeyRingJwt, verifyKeyRingJwt, type KeyRingJwt } from '../auth/key-ring-jwt';
import { VerifiedTokenCache } from '../auth/verified-token-cache';
import type { AgencyPrincipal } from '../auth/principal';
import { CLIENT_TOKEN_ISSUER, isIdentifier, TOKEN_AUDIENCE } from '../auth/token-claims';
import type { TokenVerifier } from '../auth/token-verifier';
import { KEY_RING } from '../keys/key-ring.token';
import type { KeyRing } from '../keys/key-ring';
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

  private readonly verified = new VerifiedTokenCache();

  private get jwt(): KeyRingJwt {
    return { issuer: CLIENT_TOKEN_ISSUER, keyRing: this.keyRing, clock: this.clock, cache: this.verified };
  }

  async mint(agencyId: string, clientId: string): Promise<IssuedToken> {
    const accessToken = await signKeyRingJwt(this.jwt, { role: 'agency', agency: agencyId, client_id: clientId }, {
      ttlSeconds: CLIENT_TOKEN_TTL_SECONDS,
      typ: 'at+jwt',
      subject: clientId,
    });
    return { accessToken, expiresIn: CLIENT_TOKEN_TTL_SECONDS };
  }

  async verify(token: string | undefined): Promise<AgencyPrincipal> {
    const payload = await verifyKeyRingJwt(this.jwt, token);
    const { role, agency, client_id: clientId } = payload as { role?: unknown; agency?: unknown; client_id?: unknown };
    if (role !== 'agency') throw new AuthError('unknown-role', `${CLIENT_TOKEN_ISSUER} issues agency tokens only`);
    if (!isIdentifier(agency) || !isIdentifier(clientId) || !isClientIdOf(clientId, agency)) {
      throw new AuthError('invalid-claims', 'the token needs an agency claim and a client_id of that agency');
    }
    if (!(await this.credentials.isActive(agency, clientId))) throw new AuthError('revoked', 'the credential this token was issued for has been revoked');
    return { role: 'agency', agencyId: agency, clientId };
  }
}
