import type { JWTPayload } from 'jose';
import { DEFAULT_OIDC_CLAIMS } from '../config/app-config';
import { assertNever } from '@asiointitili/domain/decider';
import type { CitizenRefs } from '../identity/citizen-ref';
import { AuthError } from './auth-error';
import { citizenFromClaims } from './citizen-claims';
import { isRole, ROLES, type Principal } from './principal';

/** The development identity provider's name in `iss`. */
export const DEV_TOKEN_ISSUER = 'asiointitili-dev';
/** The token endpoint's name in `iss`: agency tokens exchanged for client credentials (POST /v1/auth/token). */
export const CLIENT_TOKEN_ISSUER = 'asiointitili';
/** Every token this service accepts is addressed to it by `aud`. */
export const TOKEN_AUDIENCE = 'asiointitili';
/** Longest agency id or subject a token may carry. */
export const MAX_IDENTIFIER_CLAIM_LENGTH = 256;

/** The claims this service reads; anything else in a token is ignored. */
export interface AsiointitiliClaims extends JWTPayload {
  readonly role?: unknown;
  readonly hetu?: unknown;
  readonly acr?: unknown;
  readonly amr?: unknown;
  readonly agency?: unknown;
}

/**
 * Builds the Principal from verified claims (signature, issuer, audience and times already
 * checked). Shared by every TokenVerifier so that all identity providers map to the same rules.
 */
export function principalFromClaims(claims: AsiointitiliClaims, citizenRefs: CitizenRefs): Principal {
  const { role } = claims;
  if (!isRole(role)) throw new AuthError('unknown-role', `the role claim must be one of ${ROLES.join(', ')}`);
  switch (role) {
    case 'citizen':
      // The provider's mapping, under the default claim names: the same statuses (403 for a weak
      // or unknown acr) and the same accepted acr/amr values for every issuer.
      return citizenFromClaims(claims, DEFAULT_OIDC_CLAIMS, citizenRefs);
    case 'agency':
      return { role, agencyId: identifierClaim(claims.agency, 'agency', 'an agency token needs an agency claim (the agency id)') };
    case 'auditor':
    case 'admin':
      return { role, subject: identifierClaim(claims.sub, 'sub', `an ${role} token needs a sub claim`) };
    default:
      return assertNever(role);
  }
}

/** Ids go into event metadata and logs: refuse empty ones, over-long ones, padded ones and control characters. */
export function isIdentifier(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_IDENTIFIER_CLAIM_LENGTH &&
    value.trim() === value &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f]/.test(value)
  );
}

function identifierClaim(value: unknown, claim: string, whenMissing: string): string {
  if (value === undefined) throw new AuthError('invalid-claims', whenMissing);
  if (!isIdentifier(value)) {
    throw new AuthError('invalid-claims', `the ${claim} claim must be 1–${MAX_IDENTIFIER_CLAIM_LENGTH} characters without surrounding white space or control characters`);
  }
  return value;
}
