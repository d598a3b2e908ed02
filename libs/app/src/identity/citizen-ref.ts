import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseHetu, type HetuRejectionReason } from '@asiointitili/domain/identity/hetu';
import { ConfigError } from '../config/app-config';
import { KEYS_DIR_VARIABLE, keyDirectoryOf } from '../keys/key-location';
import { createExclusive, ensurePrivateDir, readIfExists } from '../keys/private-files';

export const CITIZEN_REF_PREFIX = 'c_';
/** 32 base64url characters carry 192 bits of the HMAC: no collisions among any realistic population. */
export const CITIZEN_REF_HASH_LENGTH = 32;
export const CITIZEN_REF_SECRET_BYTES = 32;
export const CITIZEN_REF_SECRET_FILE = 'citizen-ref.secret';
export const CITIZEN_REF_SECRET_VARIABLE = 'CITIZEN_REF_SECRET';

/** Thrown for an input that is not a henkilötunnus. Carries the reason only: never the code itself. */
export class InvalidHetuError extends Error {
  constructor(readonly reason: HetuRejectionReason) {
    super(`not a valid henkilötunnus (${reason})`);
    this.name = 'InvalidHetuError';
  }
}

/** A configuration problem that must stop the process; the message names the variable or file. */
export class CitizenRefSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CitizenRefSecretError';
  }
}

export interface CitizenRefSource {
  /** DATA_DIR: the secret lives in `<dataDir>/keys/citizen-ref.secret` unless KEYS_DIR or the environment provides it. */
  readonly dataDir: string;
  /** KEYS_DIR: the secret must be there as `citizen-ref.secret` (unless CITIZEN_REF_SECRET is set); never created. */
  readonly keysDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Pseudonyms for citizens: `c_` + base64url(HMAC-SHA256(secret, normalised hetu)), truncated.
 *
 * Stream names, event metadata and read-model keys use the citizenRef, so the log never holds the
 * henkilötunnus. A keyed HMAC (not a plain hash) matters: there are only a few hundred million
 * valid codes, so an unkeyed hash could be reversed by trying them all.
 */
export class CitizenRefs {
  private constructor(private readonly secret: Buffer) {}

  /**
   * Every process of a fleet must derive the same refs, so production reads the secret from
   * CITIZEN_REF_SECRET (base64, at least 32 bytes) or from `citizen-ref.secret` in KEYS_DIR (a
   * mounted secret; missing or short: the start stops naming KEYS_DIR); the embedded default keeps
   * one in DATA_DIR, created once by whichever process comes first.
   */
  static async open(source: CitizenRefSource): Promise<CitizenRefs> {
    const fromEnv = source.env?.[CITIZEN_REF_SECRET_VARIABLE];
    if (fromEnv !== undefined) return CitizenRefs.fromSecret(decodeSecret(fromEnv));
    const directory = keyDirectoryOf(source);
    if (directory.provisioned) return CitizenRefs.fromSecret(await readProvisionedSecret(directory.path));
    return CitizenRefs.fromSecret(await loadOrCreateSecretFile(directory.path));
  }

  /** Writes a fresh secret into a directory the operator provisions (`cli keys init`); keeps one that is there. */
  static async provision(directory: string): Promise<void> {
    await loadOrCreateSecretFile(directory);
  }

  static fromSecret(secret: Uint8Array): CitizenRefs {
    if (secret.length < CITIZEN_REF_SECRET_BYTES) {
      throw new CitizenRefSecretError(`the citizenRef secret must be at least ${CITIZEN_REF_SECRET_BYTES} bytes, it has ${secret.length}`);
    }
    return new CitizenRefs(Buffer.from(secret));
  }

  /**
   * The citizenRef of a henkilötunnus. Case and surrounding white space do not matter; anything
   * that is not a valid code throws InvalidHetuError (two spellings of one invalid string must
   * never become two people).
   */
  refOf(hetu: string): string {
    const parsed = parseHetu(hetu);
    if (!parsed.ok) throw new InvalidHetuError(parsed.reason);
    const mac = createHmac('sha256', this.secret).update(parsed.hetu.normalised, 'utf8').digest('base64url');
    return CITIZEN_REF_PREFIX + mac.slice(0, CITIZEN_REF_HASH_LENGTH);
  }

  /**
   * A key for another purpose derived from this secret (HKDF-SHA256 with the purpose as its info),
   * so that every process of a cluster that shares the secret derives it too, and no derived key
   * can be turned back into the secret or into a citizenRef.
   */
  derivedKey(purpose: string): Buffer {
    if (purpose === '') throw new Error('a derived key needs a purpose');
    return Buffer.from(hkdfSync('sha256', this.secret, Buffer.alloc(0), `asiointitili ${purpose}`, 32));
  }
}

/** Nest injection token for the process's CitizenRefs. */
export const CITIZEN_REFS = Symbol('CITIZEN_REFS');

function decodeSecret(value: string): Buffer {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new CitizenRefSecretError(`${CITIZEN_REF_SECRET_VARIABLE} must be base64`);
  }
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length < CITIZEN_REF_SECRET_BYTES) {
    throw new CitizenRefSecretError(`${CITIZEN_REF_SECRET_VARIABLE} must decode to at least ${CITIZEN_REF_SECRET_BYTES} bytes, it has ${bytes.length}`);
  }
  return bytes;
}

async function readProvisionedSecret(directory: string): Promise<Buffer> {
  const path = join(directory, CITIZEN_REF_SECRET_FILE);
  const content = await readIfExists(path);
  if (content === undefined) {
    throw new ConfigError(KEYS_DIR_VARIABLE, `${path} is missing (provision it with \`cli keys init\`, or set ${CITIZEN_REF_SECRET_VARIABLE})`);
  }
  const bytes = Buffer.from(content.trim(), 'base64');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(content.trim()) || bytes.length < CITIZEN_REF_SECRET_BYTES) {
    throw new ConfigError(KEYS_DIR_VARIABLE, `${path} must hold at least ${CITIZEN_REF_SECRET_BYTES} base64-encoded bytes`);
  }
  return bytes;
}

async function loadOrCreateSecretFile(directory: string): Promise<Buffer> {
  const path = join(directory, CITIZEN_REF_SECRET_FILE);
  await ensurePrivateDir(directory);
  const existing = await readIfExists(path);
  if (existing !== undefined) return decodeSecretFile(existing, path);
  // Whoever loses a race with another process reads the winner's secret: both must derive the same refs.
  await createExclusive(path, `${randomBytes(CITIZEN_REF_SECRET_BYTES).toString('base64')}\n`);
  const created = await readIfExists(path);
  if (created === undefined) throw new CitizenRefSecretError(`${path} vanished right after it was created`);
  return decodeSecretFile(created, path);
}

function decodeSecretFile(content: string, path: string): Buffer {
  const bytes = Buffer.from(content.trim(), 'base64');
  if (bytes.length < CITIZEN_REF_SECRET_BYTES) {
    throw new CitizenRefSecretError(`${path} must hold at least ${CITIZEN_REF_SECRET_BYTES} base64-encoded bytes`);
  }
  return bytes;
}
