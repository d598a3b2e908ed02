import { decodeJwt } from 'jose';
import { AuthError } from './auth-error';
import type { Principal, Role } from './principal';
import { MAX_TOKEN_LENGTH } from './token-service';
import type { TokenVerifier } from './token-verifier';

/** One identity provider this service accepts tokens from: its `iss`, its verifier and the roles its tokens may carry. */
export interface TrustedIssuer {
  readonly issuer: string;
  readonly verifier: TokenVerifier;
  readonly roles: readonly Role[];
  /** Said to the client when a token of this issuer carries another role, e.g. where citizen tokens come from instead. */
  readonly elsewhere?: string;
}

/**
 * Hands each token to the verifier of the issuer it names, then holds that issuer to the roles it
 * may grant. Reading `iss` before the signature is checked is safe because it only picks the
 * verifier, and every verifier checks the signature and `iss` again; a token naming no trusted
 * issuer is refused without touching any key.
 */
export class IssuerRoutingVerifier implements TokenVerifier {
  private readonly byIssuer: ReadonlyMap<string, TrustedIssuer>;

  constructor(issuers: readonly TrustedIssuer[]) {
    this.byIssuer = new Map(issuers.map((trusted) => [trusted.issuer, trusted]));
    if (this.byIssuer.size !== issuers.length) throw new Error('two trusted issuers share a name');
  }

  async verify(token: string | undefined): Promise<Principal> {
    if (token === undefined || token === '') throw new AuthError('missing', 'a bearer token is required');
    if (token.length > MAX_TOKEN_LENGTH) throw new AuthError('malformed', `the token is longer than ${MAX_TOKEN_LENGTH} characters`);
    const trusted = this.byIssuer.get(issuerOf(token));
    if (!trusted) throw new AuthError('wrong-issuer', 'the token was not issued by an identity provider this service trusts');
    const principal = await trusted.verifier.verify(token);
    if (!trusted.roles.includes(principal.role)) {
      throw new AuthError('wrong-issuer', `${principal.role} tokens are not accepted from ${trusted.issuer}${trusted.elsewhere ? `; ${trusted.elsewhere}` : ''}`);
    }
    return principal;
  }
}

function issuerOf(token: string): string {
  let iss: unknown;
  try {
    ({ iss } = decodeJwt(token));
  } catch {
    throw new AuthError('malformed', 'the token is not a well-formed signed JWT');
  }
  return typeof iss === 'string' ? iss : '';
}
