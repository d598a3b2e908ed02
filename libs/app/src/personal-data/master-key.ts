import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from '../config/app-config';
import { KEYS_DIR_VARIABLE, keyDirectoryOf } from '../keys/key-location';
import { createExclusive, ensurePrivateDir, readIfExists } from '../keys/private-files';
import { CIPHER, IV_BYTES, TAG_BYTES, toBase64Url } from './envelope';
import { MasterKeyConfigurationError, MasterKeyMismatchError, PersonKeyIntegrityError } from './errors';

export const PERSONAL_DATA_MASTER_KEY_VARIABLE = 'PERSONAL_DATA_MASTER_KEY';
export const MASTER_KEY_FILE = 'personal-data-master.key';
export const MASTER_KEY_BYTES = 32;

/** A data key as the key store holds it: encrypted under the master key, bound to its owner and kid. */
export interface WrappedKey {
  /** Which master key wrapped it (see MasterKey.id): a mismatch is named, not mistaken for tampering. */
  readonly mkid: string;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

export type MasterKeySource = 'environment' | 'file';

export interface MasterKeyLocation {
  /** DATA_DIR: the file lives in `<dataDir>/keys/personal-data-master.key` unless KEYS_DIR or the environment provides the key. */
  readonly dataDir: string;
  /** KEYS_DIR: the key must be there as `personal-data-master.key` (unless PERSONAL_DATA_MASTER_KEY is set); never created. */
  readonly keysDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The key that wraps every person's data key (AES-256-GCM). A copy of the key store (a backup, a
 * leaked MongoDB collection) is useless without it; in production it comes from
 * PERSONAL_DATA_MASTER_KEY, so it is not on the disk that holds the key store at all.
 */
export class MasterKey {
  /** Not secret: HMAC of a fixed label, so two processes can tell whether they hold the same key. */
  readonly id: string;

  private constructor(
    private readonly key: Buffer,
    readonly source: MasterKeySource,
  ) {
    this.id = createHmac('sha256', key).update('asiointitili personal-data master key id').digest('base64url').slice(0, 16);
  }

  static fromBytes(bytes: Uint8Array, source: MasterKeySource = 'environment'): MasterKey {
    if (bytes.length !== MASTER_KEY_BYTES) throw new MasterKeyConfigurationError(`the personal-data master key must be ${MASTER_KEY_BYTES} bytes, it has ${bytes.length}`);
    return new MasterKey(Buffer.from(bytes), source);
  }

  wrap(dataKey: Buffer, citizenRef: string, kid: string): WrappedKey {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(wrapAssociatedData(citizenRef, kid));
    const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return { mkid: this.id, iv: toBase64Url(iv), ct: toBase64Url(ct), tag: toBase64Url(cipher.getAuthTag()) };
  }

  unwrap(wrapped: WrappedKey, citizenRef: string, kid: string): Buffer {
    if (wrapped.mkid !== this.id) {
      throw new MasterKeyMismatchError(
        `person key ${kid} was wrapped with master key ${wrapped.mkid}, this process has ${this.id}: every process must share ${PERSONAL_DATA_MASTER_KEY_VARIABLE}`,
      );
    }
    try {
      const decipher = createDecipheriv(CIPHER, this.key, Buffer.from(wrapped.iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(wrapAssociatedData(citizenRef, kid));
      decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(wrapped.ct, 'base64url')), decipher.final()]);
    } catch (error) {
      // A wrapped key moved to another person or kid, or altered in the store.
      throw new PersonKeyIntegrityError(`person key ${kid} does not unwrap: the key store entry was altered or moved (${error instanceof Error ? error.message : 'unknown'})`);
    }
  }
}

/**
 * The environment's key when set (base64 or base64url of exactly 32 bytes), else the file in
 * KEYS_DIR (which must exist: the start stops naming KEYS_DIR), else the DATA_DIR file, created once.
 */
export async function loadMasterKey(location: MasterKeyLocation): Promise<MasterKey> {
  const fromEnv = location.env?.[PERSONAL_DATA_MASTER_KEY_VARIABLE];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return MasterKey.fromBytes(decodeVariable(fromEnv), 'environment');
  const directory = keyDirectoryOf(location);
  if (directory.provisioned) return MasterKey.fromBytes(await readProvisionedFile(directory.path), 'file');
  return MasterKey.fromBytes(await loadOrCreateFile(directory.path), 'file');
}

/** Writes a fresh master key into a directory the operator provisions (`cli keys init`); keeps one that is there. */
export async function provisionMasterKey(directory: string): Promise<void> {
  await loadOrCreateFile(directory);
}

async function readProvisionedFile(directory: string): Promise<Buffer> {
  const path = join(directory, MASTER_KEY_FILE);
  const content = await readIfExists(path);
  if (content === undefined) {
    throw new ConfigError(KEYS_DIR_VARIABLE, `${path} is missing (provision it with \`cli keys init\`, or set ${PERSONAL_DATA_MASTER_KEY_VARIABLE})`);
  }
  const bytes = Buffer.from(content.trim(), 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(content.trim()) || bytes.length !== MASTER_KEY_BYTES) {
    throw new ConfigError(KEYS_DIR_VARIABLE, `${path} must hold exactly ${MASTER_KEY_BYTES} base64-encoded bytes`);
  }
  return bytes;
}

function wrapAssociatedData(citizenRef: string, kid: string): Buffer {
  return Buffer.from(`asiointitili/person-key/v1\u0000${citizenRef}\u0000${kid}`, 'utf8');
}

function decodeVariable(value: string): Buffer {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new MasterKeyConfigurationError(`${PERSONAL_DATA_MASTER_KEY_VARIABLE} must be base64`);
  const bytes = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
  if (bytes.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyConfigurationError(`${PERSONAL_DATA_MASTER_KEY_VARIABLE} must decode to exactly ${MASTER_KEY_BYTES} bytes, it has ${bytes.length}`);
  }
  return bytes;
}

async function loadOrCreateFile(directory: string): Promise<Buffer> {
  const path = join(directory, MASTER_KEY_FILE);
  await ensurePrivateDir(directory);
  // Whoever loses a creation race reads the winner's key: every process must wrap with the same one.
  if ((await readIfExists(path)) === undefined) await createExclusive(path, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`);
  const content = await readIfExists(path);
  if (content === undefined) throw new MasterKeyConfigurationError(`${path} vanished right after it was created`);
  const bytes = Buffer.from(content.trim(), 'base64');
  if (bytes.length !== MASTER_KEY_BYTES) throw new MasterKeyConfigurationError(`${path} must hold exactly ${MASTER_KEY_BYTES} base64-encoded bytes`);
  return bytes;
}
