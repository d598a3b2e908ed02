/**
 * What the agency decider requires of a credential's hash and of an allowlist entry. The domain
 * has no crypto and no network code: it checks the recorded shape and the minimum cost, so that a
 * bug or a shortcut in the application layer cannot record a weak hash or a nonsense network.
 */
import type { IssueAgencyCredential } from '../commands';
import { domainError, type DomainError } from '../errors';

/** scrypt's cost may not fall below these (N = 2^14, r = 8 is the scrypt paper's interactive-login setting). */
export const MIN_SCRYPT = { N: 2 ** 14, r: 8, p: 1, keyLength: 32 } as const;
/** And may not exceed these: a recorded cost is also a cost every token request pays. */
export const MAX_SCRYPT = { N: 2 ** 20, r: 32, p: 16, keyLength: 64 } as const;
export const MIN_SALT_BYTES = 16;
export const MAX_SALT_BYTES = 64;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Characters of unpadded base64url for `bytes` bytes. */
const base64urlLength = (bytes: number): number => Math.ceil((bytes * 4) / 3);

export function secretHashProblem(command: Pick<IssueAgencyCredential, 'secretHash' | 'salt' | 'params'>): DomainError | undefined {
  const { params, secretHash, salt } = command;
  const weak = (detail: string) => domainError('invalid', 'weak-secret-hash', detail);
  if (params.algorithm !== 'scrypt') return weak('secrets are hashed with scrypt');
  const within = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;
  if (!within(params.N, MIN_SCRYPT.N, MAX_SCRYPT.N) || (params.N & (params.N - 1)) !== 0) {
    return weak(`scrypt N must be a power of two from ${MIN_SCRYPT.N} to ${MAX_SCRYPT.N}`);
  }
  if (!within(params.r, MIN_SCRYPT.r, MAX_SCRYPT.r)) return weak(`scrypt r must be from ${MIN_SCRYPT.r} to ${MAX_SCRYPT.r}`);
  if (!within(params.p, MIN_SCRYPT.p, MAX_SCRYPT.p)) return weak(`scrypt p must be from ${MIN_SCRYPT.p} to ${MAX_SCRYPT.p}`);
  if (!within(params.keyLength, MIN_SCRYPT.keyLength, MAX_SCRYPT.keyLength)) {
    return weak(`the derived key must be ${MIN_SCRYPT.keyLength} to ${MAX_SCRYPT.keyLength} bytes`);
  }
  if (!BASE64URL.test(secretHash) || secretHash.length !== base64urlLength(params.keyLength)) {
    return weak(`the hash must be ${params.keyLength} bytes in unpadded base64url`);
  }
  if (!BASE64URL.test(salt) || salt.length < base64urlLength(MIN_SALT_BYTES) || salt.length > base64urlLength(MAX_SALT_BYTES)) {
    return weak(`the salt must be ${MIN_SALT_BYTES} to ${MAX_SALT_BYTES} random bytes in unpadded base64url`);
  }
  return undefined;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV6_CIDR = /^([0-9a-f:]{2,39})\/(\d{1,3})$/;

/**
 * A network in the application layer's normal form: `a.b.c.d/n` (decimal octets without leading
 * zeros) or a lower-case, compressed IPv6 address with `/n`.
 */
export function cidrProblem(cidr: string): DomainError | undefined {
  const invalid = domainError('invalid', 'invalid-cidr', `"${cidr.slice(0, 64)}" is not a network in CIDR notation (a.b.c.d/n or an IPv6 address/n)`);
  const v4 = IPV4_CIDR.exec(cidr);
  if (v4) {
    const octets = v4.slice(1, 5);
    const ok = octets.every((o) => String(Number(o)) === o && Number(o) <= 255) && String(Number(v4[5])) === v4[5] && Number(v4[5]) <= 32;
    return ok ? undefined : invalid;
  }
  const v6 = IPV6_CIDR.exec(cidr);
  if (!v6) return invalid;
  const [, address = '', prefix = ''] = v6;
  if (String(Number(prefix)) !== prefix || Number(prefix) > 128) return invalid;
  const halves = address.split('::');
  if (halves.length > 2) return invalid;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return invalid;
  const fits = halves.length === 2 ? groups.length <= 7 : groups.length === 8;
  return fits ? undefined : invalid;
}
