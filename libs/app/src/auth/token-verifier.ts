import type { Principal } from './principal';

/**
 * Turns a bearer token into a Principal. The development identity provider (TokenService) is one
 * implementation; an OpenID Connect verifier that checks tokens against a provider's JWKS is to
 * sit beside it, selected by configuration.
 *
 * Implementations reject with AuthError for every token problem (so the guard answers 401) and
 * with anything else only for an internal failure.
 */
export interface TokenVerifier {
  /** `undefined` or an empty string is a missing token. */
  verify(token: string | undefined): Promise<Principal>;
}

/** Nest injection token for the TokenVerifier the AuthGuard uses. */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
