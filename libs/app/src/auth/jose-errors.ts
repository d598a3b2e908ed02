import { errors } from 'jose';
import { AuthError } from './auth-error';

/** What a verifier expected, so the reason a client is told can name it. */
export interface VerificationExpectations {
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms: readonly string[];
}

/**
 * Maps jose's errors to the reasons a client is told. An AuthError passes through; anything that
 * is not about the token (a bug, an unreachable key source) stays as it is, so that the guard does
 * not disguise an internal failure as a 401.
 */
export function authErrorOf(error: unknown, expected: VerificationExpectations): unknown {
  if (error instanceof AuthError) return error;
  if (error instanceof errors.JWTExpired) return new AuthError('expired', 'the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' && error.reason === 'check_failed') return new AuthError('not-yet-valid', 'the token is not valid yet (nbf)');
    if (error.claim === 'iss') return new AuthError('wrong-issuer', `the token was not issued by ${expected.issuer}`);
    if (error.claim === 'aud') return new AuthError('wrong-audience', `the token is not addressed to ${expected.audience}`);
    return new AuthError('invalid-claims', `the token's ${error.claim} claim is ${error.reason === 'missing' ? 'missing' : 'invalid'}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new AuthError('bad-signature', 'the token signature does not verify');
  if (error instanceof errors.JOSEAlgNotAllowed) return new AuthError('bad-signature', `only ${expected.algorithms.join(', ')} signatures are accepted`);
  if (error instanceof errors.JOSEError) return new AuthError('malformed', 'the token is not a well-formed signed JWT');
  return error;
}
