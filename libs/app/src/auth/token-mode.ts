import { ConfigError, type AuthConfig, type OidcConfig } from '../config/app-config';
import { ROLES, type Role } from './principal';

/**
 * Which tokens the API accepts, decided once at start from the configuration:
 *
 * - no provider (AUTH_JWKS_URL unset): the development key ring signs every role. Outside
 *   production that is the embedded default; with NODE_ENV=production the API refuses to start
 *   unless ALLOW_DEV_TOKENS=true, because anyone who can read DATA_DIR can mint any citizen.
 * - a provider: citizens come from it; the key ring still signs admin and auditor tokens (minted
 *   by operators on the server with the command line), and agencies exchange client credentials
 *   at POST /v1/auth/token. ALLOW_DEV_TOKENS=true lets the key ring sign citizens and agencies too.
 */
export interface TokenMode {
  readonly oidc?: OidcConfig;
  /** Roles a token signed by the development key ring may carry. */
  readonly devRoles: readonly Role[];
  /** What to say in the log at start; `warn` when the configuration is weaker than production needs. */
  readonly notice: { readonly level: 'log' | 'warn'; readonly text: string };
}

/** Operators and auditors are not in the citizens' provider; their tokens stay with the key ring (docs/security.md). */
export const OPERATOR_ROLES: readonly Role[] = ['admin', 'auditor'];

export function tokenModeOf(auth: AuthConfig): TokenMode {
  if (!auth.oidc) {
    if (auth.production && !auth.allowDevTokens) {
      throw new ConfigError(
        'AUTH_JWKS_URL',
        'NODE_ENV=production and no identity provider: refusing to start on the development key, with which anyone who can read DATA_DIR mints tokens for any citizen. Set AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE, or set ALLOW_DEV_TOKENS=true to run on the development key anyway.',
      );
    }
    return {
      devRoles: ROLES,
      notice: auth.production
        ? { level: 'warn', text: 'ALLOW_DEV_TOKENS=true: running in production on the development key alone; every citizen token is minted locally, not by an identity provider.' }
        : { level: 'log', text: 'tokens: the development key signs every role (AUTH_JWKS_URL unset); not for production.' },
    };
  }
  if (auth.allowDevTokens) {
    return {
      oidc: auth.oidc,
      devRoles: ROLES,
      notice: { level: 'warn', text: `ALLOW_DEV_TOKENS=true: citizen and agency tokens signed by the development key are accepted beside ${auth.oidc.issuer}; never in production.` },
    };
  }
  return {
    oidc: auth.oidc,
    devRoles: OPERATOR_ROLES,
    notice: { level: 'log', text: `tokens: citizens from ${auth.oidc.issuer}; agencies by client credentials; the development key signs admin and auditor tokens only.` },
  };
}
