import { AuthError } from './auth-error';
import type { AuthenticatedRequest } from './authenticated-request';
import type { Principal } from './principal';
import type { TokenVerifier } from './token-verifier';
import { verifiedPrincipalOf } from './verified-principal';

describe('verifiedPrincipalOf', () => {
  const admin: Principal = { role: 'admin', subject: 'x' };

  it('verifies a request’s token once, however many guards ask', async () => {
    let calls = 0;
    const verifier: TokenVerifier = { verify: () => (calls++, Promise.resolve(admin)) };
    const request: AuthenticatedRequest = { headers: { authorization: 'Bearer abc' } };
    await expect(verifiedPrincipalOf(request, verifier)).resolves.toBe(admin);
    await expect(verifiedPrincipalOf(request, verifier)).resolves.toBe(admin);
    expect(calls).toBe(1);
    await verifiedPrincipalOf({ headers: { authorization: 'Bearer abc' } }, verifier);
    expect(calls).toBe(2);
  });

  it('rejects every asker alike, including for a malformed header', async () => {
    const verifier: TokenVerifier = { verify: () => Promise.resolve(admin) };
    const request: AuthenticatedRequest = { headers: { authorization: 'Basic abc' } };
    await expect(verifiedPrincipalOf(request, verifier)).rejects.toMatchObject({ reason: 'malformed' });
    await expect(verifiedPrincipalOf(request, verifier)).rejects.toBeInstanceOf(AuthError);
  });
});
