import { MIN_SCRYPT, secretHashProblem } from '@asiointitili/domain';
import { CLIENT_ID_PATTERN, hashSecret, MAX_CLIENT_SECRET_LENGTH, newClientId, newClientSecret, SCRYPT_PARAMS, secretMatches, spendComparableTime } from './client-secret';

describe('client secrets', () => {
  it('are 256 random bits in base64url, different every time', () => {
    const secrets = new Set(Array.from({ length: 20 }, newClientSecret));
    expect(secrets.size).toBe(20);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('get client ids that name their agency and match the pattern the token endpoint accepts', () => {
    const clientId = newClientId('kela');
    expect(clientId).toMatch(/^kela\.[A-Za-z0-9_-]{22}$/);
    expect(CLIENT_ID_PATTERN.test(clientId)).toBe(true);
    expect(newClientId('kela')).not.toBe(clientId);
  });

  it('are hashed with scrypt at no less than the domain’s minimum cost, and the domain accepts the record', async () => {
    expect(SCRYPT_PARAMS.N).toBeGreaterThanOrEqual(MIN_SCRYPT.N);
    const hashed = await hashSecret(newClientSecret());
    expect(hashed.params).toEqual({ algorithm: 'scrypt', N: 16384, r: 8, p: 1, keyLength: 32 });
    expect(secretHashProblem(hashed)).toBeUndefined();
  });

  it('get a fresh salt each time, so one secret hashed twice gives two hashes', async () => {
    const secret = newClientSecret();
    const [a, b] = await Promise.all([hashSecret(secret), hashSecret(secret)]);
    expect(a.salt).not.toBe(b.salt);
    expect(a.secretHash).not.toBe(b.secretHash);
  });

  it('match their own hash only', async () => {
    const secret = newClientSecret();
    const hashed = await hashSecret(secret);
    expect(await secretMatches(secret, hashed)).toBe(true);
    expect(await secretMatches(`${secret}x`, hashed)).toBe(false);
    expect(await secretMatches(secret.slice(1), hashed)).toBe(false);
    expect(await secretMatches(newClientSecret(), hashed)).toBe(false);
  });

  it('verify with the parameters recorded beside the hash, not today’s defaults', async () => {
    const secret = newClientSecret();
    const older = await hashSecret(secret, { ...SCRYPT_PARAMS, N: 2 ** 14 });
    expect(await secretMatches(secret, older)).toBe(true);
  });

  it(`refuse an empty secret and one over ${MAX_CLIENT_SECRET_LENGTH} characters without hashing`, async () => {
    const hashed = await hashSecret('');
    expect(await secretMatches('', hashed)).toBe(false);
    expect(await secretMatches('x'.repeat(MAX_CLIENT_SECRET_LENGTH + 1), hashed)).toBe(false);
  });

  it('spend a real check’s time on a decoy for a client that does not exist', async () => {
    const secret = newClientSecret();
    const hashed = await hashSecret(secret);
    const time = async (work: () => Promise<unknown>) => {
      const start = process.hrtime.bigint();
      await work();
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const real = await time(() => secretMatches(`${secret}x`, hashed));
    const decoy = await time(() => spendComparableTime(secret));
    // Same cost parameters: within a factor of four of each other on any machine.
    expect(decoy).toBeGreaterThan(real / 4);
    expect(decoy).toBeLessThan(real * 4);
  });
});
