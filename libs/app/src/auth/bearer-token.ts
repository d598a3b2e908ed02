import { AuthError } from './auth-error';

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750; the scheme name is
 * case-insensitive). No header: undefined, which verifiers treat as a missing token. A header
 * with another scheme or no token is malformed.
 */
export function bearerTokenOf(authorization: string | readonly string[] | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  if (typeof authorization !== 'string') throw new AuthError('malformed', 'send exactly one Authorization header');
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization);
  if (!match) throw new AuthError('malformed', 'the Authorization header must be "Bearer <token>"');
  return match[1];
}
