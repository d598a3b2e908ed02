import type { AuthenticatedRequest } from './authenticated-request';
import { bearerTokenOf } from './bearer-token';
import type { Principal } from './principal';
import type { TokenVerifier } from './token-verifier';

const verifications = new WeakMap<object, Promise<Principal>>();

/**
 * The request's bearer token verified once, however many guards ask: the rate limiter asks first
 * (to count the request against the principal, or against the address when the token is bad),
 * then the AuthGuard (to answer 401 or set the principal). Rejects as the verifier does.
 */
export function verifiedPrincipalOf(request: AuthenticatedRequest, verifier: TokenVerifier): Promise<Principal> {
  let verification = verifications.get(request);
  if (!verification) {
    verification = (async () => verifier.verify(bearerTokenOf(request.headers.authorization)))();
    // Whoever asks later handles the rejection; this copy must not count as unhandled.
    verification.catch(() => undefined);
    verifications.set(request, verification);
  }
  return verification;
}
