import { SignJWT, UnsecuredJWT } from 'jose';
import { AuthError, type AuthErrorReason } from './auth-error';
import { IssuerRoutingVerifier } from './issuer-routing-verifier';
import type { Principal } from './principal';
import { MAX_TOKEN_LENGTH } from './token-service';
import type { TokenVerifier } from './token-verifier';

/** A verifier that answers a fixed principal and remembers what it was asked. */
function stub(principal: Principal): TokenVerifier & { seen: string[] } {
  const seen: string[] = [];
  return { seen, verify: (token) => (seen.push(token ?? ''), Promise.resolve(principal)) };
}

const tokenFrom = (iss: string | undefined): string => new UnsecuredJWT(iss === undefined ? {} : { iss }).encode();

describe('IssuerRoutingVerifier', () => {
  const citizen: Principal = { role: 'citizen', hetu: '131052-308T', citizenRef: 'c_x', acr: 'high', amr: 'bank' };
  const admin: Principal = { role: 'admin', subject: 'dev-admin' };

  const reasonOf = (verifier: TokenVerifier, token: string | undefined): Promise<AuthErrorReason | 'accepted'> =>
    verifier.verify(token).then(
      () => 'accepted',
      (error: unknown) => {
        if (error instanceof AuthError) return error.reason;
        throw error;
      },
    );

  it('hands a token to the verifier of the issuer it names, and to no other', async () => {
    const provider = stub(citizen);
    const dev = stub(admin);
    const routing = new IssuerRoutingVerifier([
      { issuer: 'https://idp.example', verifier: provider, roles: ['citizen'] },
      { issuer: 'asiointitili-dev', verifier: dev, roles: ['admin', 'auditor'] },
    ]);
    await expect(routing.verify(tokenFrom('https://idp.example'))).resolves.toBe(citizen);
    await expect(routing.verify(tokenFrom('asiointitili-dev'))).resolves.toBe(admin);
    expect(provider.seen).toHaveLength(1);
    expect(dev.seen).toHaveLength(1);
  });

  it('refuses a role the issuer may not grant, saying where such tokens come from', async () => {
    const routing = new IssuerRoutingVerifier([{ issuer: 'asiointitili-dev', verifier: stub(citizen), roles: ['admin', 'auditor'], elsewhere: 'citizens sign in through https://idp.example' }]);
    const error = await routing.verify(tokenFrom('asiointitili-dev')).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'wrong-issuer', message: expect.stringMatching(/citizen tokens are not accepted from asiointitili-dev; citizens sign in through https:\/\/idp\.example/) });
  });

  it('refuses a token from an issuer it does not trust, or naming none, without asking any verifier', async () => {
    const dev = stub(admin);
    const routing = new IssuerRoutingVerifier([{ issuer: 'asiointitili-dev', verifier: dev, roles: ['admin'] }]);
    expect(await reasonOf(routing, tokenFrom('https://evil.example'))).toBe('wrong-issuer');
    expect(await reasonOf(routing, tokenFrom(undefined))).toBe('wrong-issuer');
    expect(dev.seen).toEqual([]);
  });

  it('refuses a missing token, a token that is not a JWT, and an over-long one', async () => {
    const routing = new IssuerRoutingVerifier([{ issuer: 'asiointitili-dev', verifier: stub(admin), roles: ['admin'] }]);
    expect(await reasonOf(routing, undefined)).toBe('missing');
    expect(await reasonOf(routing, '')).toBe('missing');
    expect(await reasonOf(routing, 'not.a.jwt')).toBe('malformed');
    expect(await reasonOf(routing, 'a'.repeat(MAX_TOKEN_LENGTH + 1))).toBe('malformed');
  });

  it('passes on what the chosen verifier refuses', async () => {
    const refusing: TokenVerifier = { verify: () => Promise.reject(new AuthError('bad-signature', 'no')) };
    const routing = new IssuerRoutingVerifier([{ issuer: 'asiointitili-dev', verifier: refusing, roles: ['admin'] }]);
    const signed = await new SignJWT({ iss: 'asiointitili-dev' }).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32));
    expect(await reasonOf(routing, signed)).toBe('bad-signature');
  });

  it('refuses to trust two issuers of one name', () => {
    expect(() => new IssuerRoutingVerifier([
      { issuer: 'x', verifier: stub(admin), roles: ['admin'] },
      { issuer: 'x', verifier: stub(citizen), roles: ['citizen'] },
    ])).toThrow(/share a name/);
  });
});
