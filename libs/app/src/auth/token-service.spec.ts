import { ACR_VALUES } from './citizen-claims';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, CompactSign, decodeJwt, decodeProtectedHeader, exportSPKI, generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type JWTPayload, type KeyLike } from 'jose';
import { ManualClock } from '@asiointitili/core';
import { KeyRing } from '../keys/key-ring';
import { CitizenRefs } from '../identity/citizen-ref';
import { AUTH_ERROR_REASONS, AuthError, type AuthErrorReason } from './auth-error';
import { DEV_TOKEN_ISSUER, MAX_IDENTIFIER_CLAIM_LENGTH, TOKEN_AUDIENCE } from './token-claims';
import { DEFAULT_TOKEN_TTL_SECONDS, MAX_TOKEN_LENGTH, MAX_TOKEN_TTL_SECONDS, TokenRequestError, TokenService, type MintRequest } from './token-service';

const HETU = '131052-308T';
const START = '2025-03-01T08:00:00.000Z';
const HOUR_MS = 60 * 60 * 1000;

describe('TokenService', () => {
  let dataDir: string;
  let ring: KeyRing;
  let refs: CitizenRefs;
  let clock: ManualClock;
  let service: TokenService;

  beforeEach(async () => {
    dataDir = await fs.mkdtemp(join(tmpdir(), 'asiointitili-tokens-'));
    ring = await KeyRing.open(dataDir);
    refs = CitizenRefs.fromSecret(randomBytes(32));
    clock = new ManualClock(START);
    service = new TokenService(ring, refs, clock);
  });
  afterEach(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const nowSeconds = (): number => Math.floor(clock.now().getTime() / 1000);

  /** Valid citizen claims, to be overridden (or removed with undefined) one at a time; overrides may break the claim types on purpose. */
  const validClaims = (overrides: Readonly<Record<string, unknown>> = {}): JWTPayload => ({
    role: 'citizen',
    hetu: HETU,
    acr: 'high',
    amr: 'bank',
    iss: DEV_TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    iat: nowSeconds(),
    exp: nowSeconds() + 3600,
    ...overrides,
  });

  /** Signs arbitrary claims with the ring's real token key (or another key), for tokens mint would never make. */
  const craft = async (claims: JWTPayload, signer?: { key: KeyLike; kid: string }): Promise<string> => {
    const { key, kid } = signer ?? (await ring.signingKey('token'));
    const withoutUndefined = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
    return new SignJWT(withoutUndefined).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key);
  };

  const reasonOf = async (token: string | undefined): Promise<AuthErrorReason> => {
    try {
      await service.verify(token);
    } catch (error) {
      if (error instanceof AuthError) return error.reason;
      throw error;
    }
    throw new Error('the token was accepted');
  };

  describe('mint and verify', () => {
    it('turns a citizen token into a principal with the normalised hetu, its citizenRef and the defaults acr high, amr bank', async () => {
      const token = await service.mint({ role: 'citizen', hetu: ' 131052-308t ' });
      await expect(service.verify(token)).resolves.toEqual({ role: 'citizen', hetu: HETU, citizenRef: refs.refOf(HETU), acr: 'high', amr: 'bank' });
    });

    it('carries the given level of assurance and method', async () => {
      const token = await service.mint({ role: 'citizen', hetu: HETU, acr: 'substantial', amr: 'mobile' });
      await expect(service.verify(token)).resolves.toMatchObject({ acr: 'substantial', amr: 'mobile' });
    });

    it('turns an agency token into a principal with the agency id', async () => {
      const token = await service.mint({ role: 'agency', agency: 'kela' });
      await expect(service.verify(token)).resolves.toEqual({ role: 'agency', agencyId: 'kela' });
    });

    it.each(['auditor', 'admin'] as const)('gives a %s token the subject dev-<role> unless one is given', async (role) => {
      await expect(service.verify(await service.mint({ role }))).resolves.toEqual({ role, subject: `dev-${role}` });
      await expect(service.verify(await service.mint({ role, sub: 'maija' }))).resolves.toEqual({ role, subject: 'maija' });
    });

    it('signs with EdDSA, names the active token key and addresses the token from asiointitili-dev to asiointitili', async () => {
      const token = await service.mint({ role: 'agency', agency: 'kela' });
      expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: (await ring.signingKey('token')).kid, typ: 'JWT' });
      expect(decodeJwt(token)).toMatchObject({ iss: DEV_TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: nowSeconds() });
    });

    it('keeps the pseudonym, not the hetu, in sub of a citizen token', async () => {
      const claims = decodeJwt(await service.mint({ role: 'citizen', hetu: HETU }));
      expect(claims.sub).toBe(refs.refOf(HETU));
    });

    it('expires a token after 12 hours by default', async () => {
      const token = await service.mint({ role: 'auditor' });
      expect(decodeJwt(token).exp).toBe(nowSeconds() + DEFAULT_TOKEN_TTL_SECONDS);
      clock.advance(12 * HOUR_MS - 1000);
      await expect(service.verify(token)).resolves.toMatchObject({ role: 'auditor' });
      clock.advance(1000);
      expect(await reasonOf(token)).toBe('expired');
    });

    it('checks the signature of a repeated token once, and still refuses it from its expiry on', async () => {
      const token = await service.mint({ role: 'agency', agency: 'vero', ttlSeconds: 60 });
      const keyLookups = jest.spyOn(ring, 'verificationKey');
      for (let i = 0; i < 3; i++) await expect(service.verify(token)).resolves.toEqual({ role: 'agency', agencyId: 'vero' });
      expect(keyLookups).toHaveBeenCalledTimes(1);
      clock.advance(60_000);
      expect(await reasonOf(token)).toBe('expired');
    });

    it('never remembers a refused token: a forged copy of a verified one is refused every time', async () => {
      const token = await service.mint({ role: 'admin' });
      await service.verify(token);
      const [header, payload, signature] = token.split('.');
      const forged = `${header}.${payload}.${signature!.slice(0, -4)}AAAA`;
      expect(await reasonOf(forged)).toBe('bad-signature');
      expect(await reasonOf(forged)).toBe('bad-signature');
    });

    it('honours a ttl from 1 second up to the 30-day maximum', async () => {
      expect(decodeJwt(await service.mint({ role: 'admin', ttlSeconds: 1 })).exp).toBe(nowSeconds() + 1);
      expect(decodeJwt(await service.mint({ role: 'admin', ttlSeconds: MAX_TOKEN_TTL_SECONDS })).exp).toBe(nowSeconds() + MAX_TOKEN_TTL_SECONDS);
    });

    it('still accepts a token signed before the key was rotated', async () => {
      const token = await service.mint({ role: 'admin' });
      await ring.rotate('token');
      await expect(service.verify(token)).resolves.toEqual({ role: 'admin', subject: 'dev-admin' });
      expect(decodeProtectedHeader(await service.mint({ role: 'admin' })).kid).not.toBe(decodeProtectedHeader(token).kid);
    });

    it('accepts a token minted by another process over the same data directory (the CLI)', async () => {
      const cli = new TokenService(await KeyRing.open(dataDir), refs, clock);
      await expect(service.verify(await cli.mint({ role: 'agency', agency: 'vero' }))).resolves.toEqual({ role: 'agency', agencyId: 'vero' });
    });
  });

  describe('mint refuses a request that cannot become a valid token', () => {
    const refused: ReadonlyArray<readonly [string, MintRequest, RegExp]> = [
      ['an unknown role', { role: 'superuser' as MintRequest['role'] }, /role must be one of citizen, agency, auditor, admin/],
      ['a citizen without hetu', { role: 'citizen' }, /needs a hetu/],
      ['a hetu with a wrong check character', { role: 'citizen', hetu: '131052-308A' }, /bad-checksum/],
      ['a hetu of a date that does not exist', { role: 'citizen', hetu: '310252-308T' }, /no-such-date/],
      ['an acr outside the accepted levels', { role: 'citizen', hetu: HETU, acr: 'low' }, /level of assurance substantial or high/],
      ['an amr outside bank/mobile/idcard', { role: 'citizen', hetu: HETU, amr: 'password' }, /amr claim names no identification method of bank, mobile, idcard/],
      ['a sub for a citizen (their sub is the citizenRef)', { role: 'citizen', hetu: HETU, sub: 'x' }, /sub does not apply to role citizen/],
      ['an agency without agency id', { role: 'agency' }, /needs an agency id/],
      ['an agency id with surrounding white space', { role: 'agency', agency: ' kela' }, /agency claim must be/],
      ['an agency id longer than the limit', { role: 'agency', agency: 'a'.repeat(MAX_IDENTIFIER_CLAIM_LENGTH + 1) }, /1–256 characters/],
      ['an empty agency id', { role: 'agency', agency: '' }, /agency claim must be/],
      ['citizen options for an agency', { role: 'agency', agency: 'kela', hetu: HETU, amr: 'bank' }, /hetu, amr do not apply to role agency/],
      ['an agency id for an auditor', { role: 'auditor', agency: 'kela' }, /agency does not apply to role auditor/],
      ['an empty subject', { role: 'admin', sub: '' }, /sub claim must be/],
      ['a subject with a control character', { role: 'admin', sub: 'a\nb' }, /sub claim must be/],
      ['a ttl of zero', { role: 'admin', ttlSeconds: 0 }, /ttl must be a whole number of seconds from 1 to 2592000/],
      ['a negative ttl', { role: 'admin', ttlSeconds: -5 }, /ttl must be/],
      ['a fractional ttl', { role: 'admin', ttlSeconds: 1.5 }, /ttl must be/],
      ['a ttl over 30 days', { role: 'admin', ttlSeconds: MAX_TOKEN_TTL_SECONDS + 1 }, /ttl must be/],
    ];

    it.each(refused)('refuses %s', async (_name, request, message) => {
      const attempt = service.mint(request);
      await expect(attempt).rejects.toThrow(TokenRequestError);
      await expect(attempt).rejects.toThrow(message);
    });

    it('never repeats the hetu in its message', async () => {
      await expect(service.mint({ role: 'citizen', hetu: '131052-308A' })).rejects.toThrow(expect.objectContaining({ message: expect.not.stringContaining('131052') }));
    });
  });

  describe('verify refuses with a typed reason', () => {
    it('names a reason from the documented list only', async () => {
      expect(AUTH_ERROR_REASONS).toEqual([
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
      ]);
    });

    it('missing: no token at all, or an empty one', async () => {
      expect(await reasonOf(undefined)).toBe('missing');
      expect(await reasonOf('')).toBe('missing');
    });

    it.each([
      ['not a JWT', 'hello'],
      ['three parts of garbage', 'a.b.c'],
      ['a header that is not JSON', `${base64url.encode('not json')}.${base64url.encode('{}')}.${base64url.encode('sig')}`],
    ])('malformed: %s', async (_name, token) => {
      expect(await reasonOf(token)).toBe('malformed');
    });

    it('malformed: a correctly signed payload that is not a JSON claims set', async () => {
      const { key, kid } = await ring.signingKey('token');
      const token = await new CompactSign(new TextEncoder().encode('not json')).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key);
      expect(await reasonOf(token)).toBe('malformed');
    });

    it(`malformed: a token longer than ${MAX_TOKEN_LENGTH} characters, refused before parsing`, async () => {
      expect(await reasonOf('a'.repeat(MAX_TOKEN_LENGTH + 1))).toBe('malformed');
    });

    it('bad-signature: a token signed by a key of another installation', async () => {
      const otherDir = await fs.mkdtemp(join(tmpdir(), 'asiointitili-other-'));
      try {
        const other = new TokenService(await KeyRing.open(otherDir), refs, clock);
        expect(await reasonOf(await other.mint({ role: 'admin' }))).toBe('bad-signature');
      } finally {
        await fs.rm(otherDir, { recursive: true, force: true });
      }
    });

    it('bad-signature: a token signed by another key that claims the kid of ours', async () => {
      const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
      const kid = (await ring.signingKey('token')).kid;
      expect(await reasonOf(await craft(validClaims(), { key: privateKey, kid }))).toBe('bad-signature');
    });

    it('bad-signature: a genuine token whose claims were altered', async () => {
      const [header, , signature] = (await service.mint({ role: 'auditor' })).split('.');
      const altered = base64url.encode(JSON.stringify(validClaims({ role: 'admin', sub: 'mallory' })));
      expect(await reasonOf(`${header}.${altered}.${signature}`)).toBe('bad-signature');
    });

    it('bad-signature: an unsigned token (alg none)', async () => {
      const unsigned = new UnsecuredJWT(validClaims()).encode();
      expect(await reasonOf(unsigned)).toBe('bad-signature');
    });

    it('bad-signature: an HS256 token keyed with our published public key', async () => {
      const { keys } = await ring.publicJwks(['token']);
      const [published] = keys;
      const pem = await exportSPKI((await importJWK(published, 'EdDSA')) as KeyLike);
      for (const secret of [new TextEncoder().encode(pem), base64url.decode(published.x)]) {
        const forged = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'HS256', kid: published.kid }).sign(secret);
        expect(await reasonOf(forged)).toBe('bad-signature');
      }
    });

    it('bad-signature: a token signed with this service\'s evidence key', async () => {
      expect(await reasonOf(await craft(validClaims(), await ring.signingKey('evidence')))).toBe('bad-signature');
    });

    it('bad-signature: a token that names no key', async () => {
      const { key } = await ring.signingKey('token');
      const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'EdDSA' }).sign(key);
      expect(await reasonOf(token)).toBe('bad-signature');
    });

    it('expired: at the second of exp and after', async () => {
      expect(await reasonOf(await craft(validClaims({ exp: nowSeconds() })))).toBe('expired');
      expect(await reasonOf(await craft(validClaims({ exp: nowSeconds() - 60 })))).toBe('expired');
    });

    it('not-yet-valid: nbf in the future', async () => {
      const token = await craft(validClaims({ nbf: nowSeconds() + 60 }));
      expect(await reasonOf(token)).toBe('not-yet-valid');
      clock.advance(60_000);
      await expect(service.verify(token)).resolves.toMatchObject({ role: 'citizen' });
    });

    it('wrong-issuer: another or no iss', async () => {
      expect(await reasonOf(await craft(validClaims({ iss: 'https://evil.example' })))).toBe('wrong-issuer');
      expect(await reasonOf(await craft(validClaims({ iss: undefined })))).toBe('wrong-issuer');
    });

    it('wrong-audience: another or no aud', async () => {
      expect(await reasonOf(await craft(validClaims({ aud: 'another-service' })))).toBe('wrong-audience');
      expect(await reasonOf(await craft(validClaims({ aud: undefined })))).toBe('wrong-audience');
    });

    it('unknown-role: a role outside citizen, agency, auditor, admin, or none', async () => {
      expect(await reasonOf(await craft(validClaims({ role: 'superuser' })))).toBe('unknown-role');
      expect(await reasonOf(await craft(validClaims({ role: undefined })))).toBe('unknown-role');
      expect(await reasonOf(await craft(validClaims({ role: ['admin'] })))).toBe('unknown-role');
    });

    it.each<readonly [string, Readonly<Record<string, unknown>>]>([
      ['a citizen hetu with a wrong check character', { hetu: '131052-308A' }],
      ['a citizen without hetu', { hetu: undefined }],
      ['a citizen hetu that is not a string', { hetu: 131052308 }],
      ['a citizen amr outside bank/mobile/idcard', { amr: 'pwd' }],
      ['a citizen amr list with no known method', { amr: ['pwd', 'otp'] }],
      ['an agency without agency', { role: 'agency', hetu: undefined }],
      ['an agency id that is not a string', { role: 'agency', agency: 42 }],
      ['an auditor without sub', { role: 'auditor' }],
      ['an admin with an empty sub', { role: 'admin', sub: '' }],
      ['no exp', { exp: undefined }],
      ['an exp that is not a number', { exp: 'tomorrow' }],
      ['an nbf that is not a number', { nbf: 'now' }],
    ])('invalid-claims: %s', async (_name, overrides) => {
      expect(await reasonOf(await craft(validClaims(overrides)))).toBe('invalid-claims');
    });

    it.each<readonly [string, Readonly<Record<string, unknown>>]>([
      ['an acr below substantial', { acr: 'low' }],
      ['no acr', { acr: undefined }],
      ['the eIDAS low URI', { acr: 'http://eidas.europa.eu/LoA/low' }],
      ['the FTN level 1 URI', { acr: 'http://ftn.ficora.fi/2017/loa1' }],
    ])('insufficient-assurance (403, as for provider tokens): %s', async (_name, overrides) => {
      expect(await reasonOf(await craft(validClaims(overrides)))).toBe('insufficient-assurance');
    });

    it.each(Object.entries(ACR_VALUES))('accepts the acr %s as %s, as the provider mapping does', async (value, acr) => {
      await expect(service.verify(await craft(validClaims({ acr: value })))).resolves.toMatchObject({ role: 'citizen', acr });
    });

    it('accepts an amr list (RFC 8176) and records its first known method, as the provider mapping does', async () => {
      await expect(service.verify(await craft(validClaims({ amr: ['pwd', 'mobile', 'bank'] })))).resolves.toMatchObject({ amr: 'mobile' });
    });

    it('never repeats the hetu in the message of a refused citizen token', async () => {
      const error = await service.verify(await craft(validClaims({ hetu: '131052-308A' }))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as Error).message).not.toContain('131052');
    });
  });
});
