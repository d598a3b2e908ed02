import { randomBytes } from 'node:crypto';
import { base64url, exportSPKI, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { ManualClock } from '@asiointitili/core';
import type { OidcConfig } from '../config/app-config';
import { ProblemException } from '../http/problem';
import { CitizenRefs } from '../identity/citizen-ref';
import { AuthError, type AuthErrorReason } from './auth-error';
import { ACR_VALUES, OIDC_DEFAULTS, OidcTokenVerifier, type OidcVerifierOptions } from './oidc-token-verifier';
import { MAX_TOKEN_LENGTH } from './token-service';
import { JwksServer } from './testing/jwks-server';

const HETU = '131052-308T';
const ISSUER = 'https://tunnistus.example.fi';
const AUDIENCE = 'asiointitili-client';
const NOW = new Date('2025-11-24T10:00:00.000Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

describe('OidcTokenVerifier', () => {
  let provider: JwksServer;
  let rsa: string;
  let config: OidcConfig;
  const refs = CitizenRefs.fromSecret(randomBytes(32));
  const clock = new ManualClock(NOW);

  const claims = (overrides: Record<string, unknown> = {}): JWTPayload =>
    Object.fromEntries(
      Object.entries({ iss: ISSUER, aud: AUDIENCE, sub: 'provider-subject', hetu: HETU, acr: 'http://eidas.europa.eu/LoA/substantial', amr: ['bank'], iat: nowSeconds, exp: nowSeconds + 300, ...overrides }).filter(
        ([, value]) => value !== undefined,
      ),
    );
  const verifier = (options: OidcVerifierOptions = {}) => new OidcTokenVerifier(config, refs, { clock, ...options });
  const reasonOf = async (token: string, v = verifier()): Promise<AuthErrorReason | 'accepted'> => {
    try {
      await v.verify(token);
      return 'accepted';
    } catch (error) {
      if (error instanceof AuthError) return error.reason;
      throw error;
    }
  };

  beforeAll(async () => {
    provider = await JwksServer.start();
    rsa = await provider.addKey('RS256');
    config = { jwksUrl: provider.url, issuer: ISSUER, audience: AUDIENCE, claims: { hetu: 'hetu', acr: 'acr', amr: 'amr' } };
  });
  afterAll(() => provider.close());
  beforeEach(() => clock.set(NOW));

  describe('accepts', () => {
    it.each(['RS256', 'PS256', 'ES256', 'EdDSA'] as const)('a citizen token signed with %s by a key the provider publishes', async (alg) => {
      const kid = await provider.addKey(alg, `accept-${alg}`);
      const principal = await verifier().verify(await provider.sign(kid, claims()));
      expect(principal).toEqual({ role: 'citizen', hetu: HETU, citizenRef: refs.refOf(HETU), acr: 'substantial', amr: 'bank' });
    });

    it.each(Object.entries(ACR_VALUES))('level of assurance %s as %s', async (value, acr) => {
      await expect(verifier().verify(await provider.sign(rsa, claims({ acr: value })))).resolves.toMatchObject({ acr });
    });

    it('takes the first method it knows from an amr list (RFC 8176), and a single amr string', async () => {
      await expect(verifier().verify(await provider.sign(rsa, claims({ amr: ['pwd', 'mobile', 'bank'] })))).resolves.toMatchObject({ amr: 'mobile' });
      await expect(verifier().verify(await provider.sign(rsa, claims({ amr: 'idcard' })))).resolves.toMatchObject({ amr: 'idcard' });
    });

    it('reads the claims by their configured names', async () => {
      const named = new OidcTokenVerifier({ ...config, claims: { hetu: 'urn:oid:1.2.246.21', acr: 'loa', amr: 'method' } }, refs, { clock });
      const token = await provider.sign(rsa, claims({ hetu: undefined, acr: undefined, amr: undefined, 'urn:oid:1.2.246.21': HETU, loa: 'high', method: ['bank'] }));
      await expect(named.verify(token)).resolves.toMatchObject({ role: 'citizen', hetu: HETU, acr: 'high', amr: 'bank' });
    });

    it('makes every valid token a citizen, whatever role claim the provider put in it', async () => {
      await expect(verifier().verify(await provider.sign(rsa, claims({ role: 'admin' })))).resolves.toMatchObject({ role: 'citizen' });
    });

    it(`accepts a token up to ${OIDC_DEFAULTS.clockToleranceSeconds} s past exp (clock skew), and refuses it after`, async () => {
      const token = await provider.sign(rsa, claims({ exp: nowSeconds }));
      clock.set(new Date(NOW.getTime() + OIDC_DEFAULTS.clockToleranceSeconds * 1000 - 1000));
      expect(await reasonOf(token)).toBe('accepted');
      clock.set(new Date(NOW.getTime() + OIDC_DEFAULTS.clockToleranceSeconds * 1000 + 1000));
      expect(await reasonOf(token)).toBe('expired');
    });
  });

  describe('refuses', () => {
    it('missing: no token, or an empty one', async () => {
      expect(await reasonOf(undefined as unknown as string)).toBe('missing');
      expect(await reasonOf('')).toBe('missing');
    });

    it(`malformed: a token over ${MAX_TOKEN_LENGTH} characters, refused before parsing`, async () => {
      const fetchesBefore = provider.fetches;
      expect(await reasonOf('a'.repeat(MAX_TOKEN_LENGTH + 1))).toBe('malformed');
      expect(provider.fetches).toBe(fetchesBefore);
    });

    it('expired: an exp minutes in the past', async () => {
      expect(await reasonOf(await provider.sign(rsa, claims({ exp: nowSeconds - 600 })))).toBe('expired');
    });

    it('not-yet-valid: an nbf minutes in the future', async () => {
      expect(await reasonOf(await provider.sign(rsa, claims({ nbf: nowSeconds + 600 })))).toBe('not-yet-valid');
    });

    it('invalid-claims: no exp at all', async () => {
      expect(await reasonOf(await provider.sign(rsa, claims({ exp: undefined })))).toBe('invalid-claims');
    });

    it('wrong-issuer: another provider, or none', async () => {
      expect(await reasonOf(await provider.sign(rsa, claims({ iss: 'https://evil.example' })))).toBe('wrong-issuer');
      expect(await reasonOf(await provider.sign(rsa, claims({ iss: undefined })))).toBe('wrong-issuer');
    });

    it('wrong-audience: a token for another service, or for none', async () => {
      expect(await reasonOf(await provider.sign(rsa, claims({ aud: 'another-client' })))).toBe('wrong-audience');
      expect(await reasonOf(await provider.sign(rsa, claims({ aud: undefined })))).toBe('wrong-audience');
    });

    it('bad-signature: an unsigned token (alg none)', async () => {
      expect(await reasonOf(new UnsecuredJWT(claims()).encode())).toBe('bad-signature');
    });

    it('bad-signature: algorithm confusion, an HS256 token keyed with the provider’s public RSA key', async () => {
      const { publicKey, jwk } = provider.key(rsa);
      const secrets = [new TextEncoder().encode(await exportSPKI(publicKey)), base64url.decode(jwk.n ?? '')];
      for (const secret of secrets) {
        const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: rsa }).sign(secret);
        expect(await reasonOf(forged)).toBe('bad-signature');
      }
    });

    it('bad-signature: an RS384 token, outside RS256, PS256, ES256 and EdDSA', async () => {
      const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS384', kid: rsa }).sign(provider.key(rsa).privateKey);
      expect(await reasonOf(forged)).toBe('bad-signature');
    });

    it('bad-signature: claims altered after signing', async () => {
      const [header, , signature] = (await provider.sign(rsa, claims())).split('.');
      const altered = base64url.encode(JSON.stringify(claims({ hetu: '010101-123N' })));
      expect(await reasonOf(`${header}.${altered}.${signature}`)).toBe('bad-signature');
    });

    it('unknown-key: a kid the provider does not publish, fetching the key set again at most once per cooldown', async () => {
      const v = verifier({ cooldownMs: 60_000 });
      expect(await reasonOf(await provider.sign(rsa, claims()), v)).toBe('accepted');
      const rogue = await JwksServer.start();
      try {
        const kid = await rogue.addKey('RS256', 'not-published');
        const fetchesBefore = provider.fetches;
        for (let i = 0; i < 5; i++) expect(await reasonOf(await rogue.sign(kid, claims()), v)).toBe('unknown-key');
        expect(provider.fetches - fetchesBefore).toBeLessThanOrEqual(1);
      } finally {
        await rogue.close();
      }
    });

    it('bad-signature: a foreign key that claims a published kid', async () => {
      const rogue = await JwksServer.start();
      try {
        await rogue.addKey('RS256', rsa); // same kid, another key
        expect(await reasonOf(await rogue.sign(rsa, claims()))).toBe('bad-signature');
      } finally {
        await rogue.close();
      }
    });

    it('insufficient-assurance: a low, unknown or missing level of assurance', async () => {
      for (const acr of ['low', 'http://eidas.europa.eu/LoA/low', 'http://ftn.ficora.fi/2017/loa1', 'HIGH', 42, undefined]) {
        expect(await reasonOf(await provider.sign(rsa, claims({ acr })))).toBe('insufficient-assurance');
      }
    });

    it.each<readonly [string, Record<string, unknown>]>([
      ['a hetu with a wrong check character', { hetu: '131052-308A' }],
      ['no hetu', { hetu: undefined }],
      ['a hetu that is not a string', { hetu: 131052308 }],
      ['an amr naming no known method', { amr: ['pwd', 'otp'] }],
      ['no amr', { amr: undefined }],
    ])('invalid-claims: %s', async (_name, overrides) => {
      expect(await reasonOf(await provider.sign(rsa, claims(overrides)))).toBe('invalid-claims');
    });

    it('never repeats the hetu in the message of a refused token', async () => {
      const error = await verifier().verify(await provider.sign(rsa, claims({ hetu: '131052-308A' }))).catch((e: unknown) => e);
      expect((error as Error).message).not.toContain('131052');
    });
  });

  describe('key rotation and outages', () => {
    it('fetches the key set again when a token names a new kid, and accepts it', async () => {
      const v = verifier({ cooldownMs: 0 });
      expect(await reasonOf(await provider.sign(rsa, claims()), v)).toBe('accepted');
      const fetchesBefore = provider.fetches;
      const rotated = await provider.addKey('ES256', 'rotated-in');
      expect(await reasonOf(await provider.sign(rotated, claims()), v)).toBe('accepted');
      expect(provider.fetches).toBe(fetchesBefore + 1);
      // Cached now: the next token of either key needs no fetch.
      expect(await reasonOf(await provider.sign(rotated, claims()), v)).toBe('accepted');
      expect(await reasonOf(await provider.sign(rsa, claims()), v)).toBe('accepted');
      expect(provider.fetches).toBe(fetchesBefore + 1);
    });

    it('stops accepting a retired key once the key set is fetched again', async () => {
      const retiring = await provider.addKey('EdDSA', 'retiring');
      const v = verifier({ cacheMaxAgeMs: 0 });
      const token = await provider.sign(retiring, claims());
      expect(await reasonOf(token, v)).toBe('accepted');
      provider.removeKey(retiring);
      expect(await reasonOf(token, v)).toBe('unknown-key');
    });

    it('answers 503 (not 401) while the provider’s key set cannot be fetched', async () => {
      const v = verifier();
      provider.failWith = 500;
      try {
        const error = await v.verify(await provider.sign(rsa, claims())).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ProblemException);
        expect((error as ProblemException).problem).toMatchObject({ status: 503, type: 'urn:asiointitili:problem:identity-provider-unavailable' });
        expect((error as ProblemException).headers['Retry-After']).toBe('5');
      } finally {
        provider.failWith = null;
      }
      expect(await reasonOf(await provider.sign(rsa, claims()), v)).toBe('accepted');
    });
  });
});
