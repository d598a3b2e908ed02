import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { SecretHashParams } from '@asiointitili/domain';

/**
 * Client secrets: 256 random bits, shown once, stored only as an scrypt hash with a per-secret
 * salt and the parameters beside it (so the cost can be changed for new secrets without breaking
 * old ones).
 *
 * N = 2^14, r = 8, p = 1 (16 MiB, the scrypt paper's interactive setting and the decider's
 * minimum): still a memory-hard KDF, at half the CPU of 2^15. The cost protects a stolen log's
 * hashes, and a 256-bit random secret cannot be guessed offline at any cost; what an online
 * attacker can do with the cost is burn the server's CPU, so each check is cheap enough for a
 * 2-core machine to do a few dozen a second, and SecretCheckBudget bounds how many run at once.
 */
export const SCRYPT_PARAMS: SecretHashParams = { algorithm: 'scrypt', N: 2 ** 14, r: 8, p: 1, keyLength: 32 };
export const SALT_BYTES = 16;
export const SECRET_BYTES = 32;
/** Longest client_secret a token request may carry: ours are 43 characters. */
export const MAX_CLIENT_SECRET_LENGTH = 256;

export interface HashedSecret {
  readonly secretHash: string;
  readonly salt: string;
  readonly params: SecretHashParams;
}

export const newClientSecret = (): string => randomBytes(SECRET_BYTES).toString('base64url');

/** What a client id of any agency looks like (the agency decider holds each to its own agency). */
export const CLIENT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}\.[A-Za-z0-9_-]{16,64}$/;

/** `<agencyId>.<22 base64url characters>`: the agency part tells the token endpoint which stream to read. */
export const newClientId = (agencyId: string): string => `${agencyId}.${randomBytes(16).toString('base64url')}`;

export async function hashSecret(secret: string, params: SecretHashParams = SCRYPT_PARAMS): Promise<HashedSecret> {
  const salt = randomBytes(SALT_BYTES);
  const derived = await derive(secret, salt, params);
  return { secretHash: derived.toString('base64url'), salt: salt.toString('base64url'), params };
}

/** Whether `secret` is the one hashed in `stored`, compared in constant time. */
export async function secretMatches(secret: string, stored: HashedSecret): Promise<boolean> {
  if (secret.length === 0 || secret.length > MAX_CLIENT_SECRET_LENGTH) return false;
  const expected = Buffer.from(stored.secretHash, 'base64url');
  const actual = await derive(secret, Buffer.from(stored.salt, 'base64url'), stored.params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Spends the time a real check would, for a client id that does not exist or is revoked, so the
 * answer's timing does not tell which client ids are live.
 */
export async function spendComparableTime(secret: string): Promise<void> {
  await derive(secret.slice(0, MAX_CLIENT_SECRET_LENGTH), DECOY_SALT, SCRYPT_PARAMS);
}

const DECOY_SALT = randomBytes(SALT_BYTES);

function derive(secret: string, salt: Buffer, params: SecretHashParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r * params.p };
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, params.keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
