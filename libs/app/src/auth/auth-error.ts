/**
 * Why a bearer token was refused. Every reason answers 401 except `insufficient-assurance`, which
 * answers 403: the person is known, but signed in too weakly for this service. The reason goes
 * into the problem's detail.
 */
export const AUTH_ERROR_REASONS = [
  'missing',
  'malformed',
  'bad-signature',
  'unknown-key',
  'expired',
  'not-yet-valid',
  'wrong-issuer',
  'wrong-audience',
  'unknown-role',
  'invalid-claims',
  'revoked',
  'insufficient-assurance',
] as const;
export type AuthErrorReason = (typeof AUTH_ERROR_REASONS)[number];

/** A refused token. The message describes the problem and never repeats the token or a claim's personal data. */
export class AuthError extends Error {
  constructor(
    readonly reason: AuthErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
