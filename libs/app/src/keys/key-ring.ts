import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type KeyLike } from 'jose';
import { systemClock, type Clock } from '@asiointitili/core';
import { ConfigError } from '../config/app-config';
import { describeKeyDirectory, KEYS_DIR_VARIABLE, KEYS_DIRECTORY, keyDirectoryOf, type KeyDirectory, type KeyLocation } from './key-location';
import { codeOf, createExclusive, ensurePrivateDir, replaceAtomically } from './private-files';

/**
 * What a key signs. Keys are never shared between purposes: a leaked development token key must
 * not be able to forge a proof of service, and the reverse.
 */
export type KeyPurpose = 'token' | 'evidence';
export const KEY_PURPOSES: readonly KeyPurpose[] = ['token', 'evidence'];

/** `pending`: published and trusted for verification, signing only from its `activeFrom`. */
export type KeyStatus = 'pending' | 'active' | 'retired';

export const SIGNING_ALGORITHM = 'EdDSA';

export interface KeyInfo {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key. */
  readonly kid: string;
  readonly purpose: KeyPurpose;
  readonly createdAt: string;
  readonly status: KeyStatus;
  /** When a key made with a delay starts signing. */
  readonly activeFrom?: string;
  /** When the next key of the same purpose took over. */
  readonly retiredAt?: string;
}

/** The public half of a key, exactly as published in a JWKS. Never carries `d`. */
export interface PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly alg: typeof SIGNING_ALGORITHM;
  readonly use: 'sig';
}

export interface PublicJwks {
  readonly keys: PublicJwk[];
}

export interface SigningKey {
  readonly kid: string;
  readonly alg: typeof SIGNING_ALGORITHM;
  readonly purpose: KeyPurpose;
  readonly key: KeyLike;
}

export interface KeyRingOptions {
  readonly clock?: Clock;
  /**
   * How long `signingKey` trusts its cached view before looking at the directory again, so a
   * rotation made by another process (the CLI) is picked up. Signing proofs of service is hot;
   * reading the directory on every signature is not worth it.
   */
  readonly refreshIntervalMs?: number;
}

export const DEFAULT_REFRESH_INTERVAL_MS = 1000;
/** Rotations racing with other processes retry on the next generation at most this often. */
export const MAX_ROTATION_ATTEMPTS = 20;

export { KEYS_DIRECTORY };

export interface RotateOptions {
  /**
   * Publish the new key now but sign with it only this many milliseconds later. With several
   * processes reading a shared KEYS_DIR, every replica must know a key before any replica signs
   * with it; a delay longer than the secret's propagation makes the hand-over seamless.
   */
  readonly activateAfterMs?: number;
}

/** What one key file holds. The private member `d` is removed once the key is retired. */
interface StoredKey {
  readonly format: 1;
  readonly purpose: KeyPurpose;
  readonly generation: number;
  readonly kid: string;
  readonly createdAt: string;
  /** Signs from this instant on (ISO 8601); absent: from its creation. */
  readonly activeFrom?: string;
  readonly jwk: { readonly kty: 'OKP'; readonly crv: 'Ed25519'; readonly x: string; readonly d?: string };
}

interface LoadedKey {
  readonly stored: StoredKey;
  publicKey?: KeyLike;
  privateKey?: KeyLike;
}

const KEY_FILE = /^(token|evidence)-(\d{6,})\.jwk\.json$/;

export class KeyRingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRingError';
  }
}

/**
 * Ed25519 signing keys kept in a key directory (`<DATA_DIR>/keys/`, or KEYS_DIR, see
 * key-location.ts), one file per key named `<purpose>-<generation>.jwk.json`. The key with the
 * highest generation of a purpose whose `activeFrom` has come is the active one; higher
 * generations are pending (published, verifying, not yet signing), lower ones are retired and keep
 * only their public half once the next key is active, so what they signed still verifies.
 *
 * Server and CLI may open the same directory at the same time. Every file is created exclusively
 * (see createExclusive), so when both want the first key, or both rotate, each generation is
 * written exactly once and both processes end up agreeing on the same keys.
 *
 * A provisioned directory (KEYS_DIR) is only read: the processes of a fleet all see the same
 * files, so they sign with the same active key and publish the same JWKS; a key rotated there by
 * the operator is picked up within `refreshIntervalMs`, and an unknown kid triggers a re-read.
 */
export class KeyRing {
  private readonly keys = new Map<string, LoadedKey>();
  private lastLoadedAt = Number.NEGATIVE_INFINITY;
  private readonly clock: Clock;
  private readonly refreshIntervalMs: number;

  readonly directory: string;

  private constructor(
    private readonly location: KeyDirectory,
    options: KeyRingOptions,
  ) {
    this.directory = location.path;
    this.clock = options.clock ?? systemClock;
    this.refreshIntervalMs = options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
  }

  /**
   * Opens the key ring and makes sure every purpose has an active key. A data directory (a string,
   * or a location without keysDir) gets its keys created on first use; KEYS_DIR must already hold
   * them (`cli keys init`), else this throws a ConfigError naming KEYS_DIR.
   */
  static async open(location: string | KeyLocation, options: KeyRingOptions = {}): Promise<KeyRing> {
    const directory = keyDirectoryOf(typeof location === 'string' ? { dataDir: location } : location);
    return directory.provisioned ? KeyRing.openProvisioned(directory.path, options) : KeyRing.openWritable(directory.path, options);
  }

  /** A directory this process may write: created owner-only, missing keys generated (the embedded default, and `cli keys init`). */
  static async openWritable(path: string, options: KeyRingOptions = {}): Promise<KeyRing> {
    const ring = new KeyRing({ path, provisioned: false }, options);
    await ensurePrivateDir(ring.directory);
    for (const purpose of KEY_PURPOSES) await ring.ensureActive(purpose);
    return ring;
  }

  /** KEYS_DIR: read only; every purpose must have a key that signs now. */
  static async openProvisioned(path: string, options: KeyRingOptions = {}): Promise<KeyRing> {
    const ring = new KeyRing({ path, provisioned: true }, options);
    try {
      if (!(await fs.stat(path)).isDirectory()) throw new ConfigError(KEYS_DIR_VARIABLE, `${path} is not a directory`);
    } catch (error) {
      if (codeOf(error) === 'ENOENT') throw new ConfigError(KEYS_DIR_VARIABLE, `${path} does not exist (provision it with \`cli keys init\`, docs/deployment.md)`);
      throw error;
    }
    for (const purpose of KEY_PURPOSES) {
      await ring.ensureActive(purpose);
      if (ring.activeOf(purpose)?.stored.jwk.d === undefined) {
        throw new ConfigError(KEYS_DIR_VARIABLE, `the active ${purpose} key in ${path} has no private half (d): copy the key file made by \`cli keys\`, not the published JWKS`);
      }
    }
    return ring;
  }

  /** The active private key of a purpose. */
  async signingKey(purpose: KeyPurpose): Promise<SigningKey> {
    if (this.clock.now().getTime() - this.lastLoadedAt >= this.refreshIntervalMs || !this.activeOf(purpose)) {
      await this.ensureActive(purpose);
    }
    const active = this.activeOf(purpose);
    if (!active) throw new KeyRingError(`no active ${purpose} key in ${this.directory}`);
    return { kid: active.stored.kid, alg: SIGNING_ALGORITHM, purpose, key: await this.privateKeyOf(active) };
  }

  /**
   * Makes a new active key for the purpose and retires the previous one, dropping its private half.
   * When another process rotates at the same moment, this call takes the next free generation, so
   * every call yields a key of its own.
   */
  async rotate(purpose: KeyPurpose, options: RotateOptions = {}): Promise<KeyInfo> {
    this.refuseWritesToProvisioned('rotate a key');
    const delay = options.activateAfterMs ?? 0;
    if (!Number.isSafeInteger(delay) || delay < 0) throw new KeyRingError(`activateAfterMs must be a whole number of milliseconds ≥ 0, got ${delay}`);
    const activeFrom = delay > 0 ? new Date(this.clock.now().getTime() + delay).toISOString() : undefined;
    for (let attempt = 0; attempt < MAX_ROTATION_ATTEMPTS; attempt++) {
      await this.reload();
      const generation = (this.sortedKeysOf([purpose])[0]?.stored.generation ?? 0) + 1;
      const created = await this.createKey(purpose, generation, activeFrom);
      if (!created) continue;
      await this.reload();
      await this.dropRetiredPrivateHalves(purpose);
      return this.infoOf(created);
    }
    throw new KeyRingError(`could not rotate the ${purpose} key: ${MAX_ROTATION_ATTEMPTS} generations were taken by other processes`);
  }

  /** Every key (active and retired) of the given purposes, newest first within a purpose. */
  async list(purposes: readonly KeyPurpose[] = KEY_PURPOSES): Promise<KeyInfo[]> {
    await this.reload();
    return this.sortedKeysOf(purposes).map((key) => this.infoOf(key));
  }

  /** The public keys of the given purposes (all by default), active and retired, ready to publish. */
  async publicJwks(purposes: readonly KeyPurpose[] = KEY_PURPOSES): Promise<PublicJwks> {
    await this.reload();
    return { keys: this.sortedKeysOf(purposes).map((key) => publicJwkOf(key.stored)) };
  }

  /**
   * The public key with this kid, only when it belongs to `purpose`; undefined when there is none.
   * An unknown kid makes the ring look at the directory again: another process may just have rotated.
   */
  async verificationKey(kid: string, purpose: KeyPurpose): Promise<KeyLike | undefined> {
    let key = this.byKid(kid);
    if (!key) {
      await this.reload();
      key = this.byKid(kid);
    }
    if (!key || key.stored.purpose !== purpose) return undefined;
    key.publicKey ??= (await importJWK(publicJwkOf(key.stored), SIGNING_ALGORITHM)) as KeyLike;
    return key.publicKey;
  }

  /**
   * Drops the private half of every key older than the active one of the purpose. `rotate` does it
   * at once when the new key signs immediately; after a delayed rotation, run it (`cli keys prune`)
   * once the new key has become active.
   */
  async prune(purpose: KeyPurpose): Promise<void> {
    this.refuseWritesToProvisioned('prune keys');
    await this.reload();
    await this.dropRetiredPrivateHalves(purpose);
  }

  private refuseWritesToProvisioned(what: string): void {
    if (this.location.provisioned) {
      throw new KeyRingError(`cannot ${what} in ${describeKeyDirectory(this.location)} from a server: it is read-only here; use \`cli keys\` on the secret's source`);
    }
  }

  private async ensureActive(purpose: KeyPurpose): Promise<void> {
    await this.reload();
    if (this.activeOf(purpose)) return;
    if (this.location.provisioned) {
      const pending = this.sortedKeysOf([purpose]).length > 0;
      throw new ConfigError(
        KEYS_DIR_VARIABLE,
        pending
          ? `${this.directory} has no ${purpose} key that signs yet (only keys whose activeFrom is still to come)`
          : `${this.directory} has no ${purpose} key (${purpose}-NNNNNN.jwk.json); provision the directory with \`cli keys init\` (docs/deployment.md)`,
      );
    }
    // Losing the race to another process is fine: its key is the one both then use.
    await this.createKey(purpose, 1);
    await this.reload();
  }

  /** Reads key files this process has not seen yet. Files are immutable apart from losing `d`, so known ones are not read again. */
  private async reload(): Promise<void> {
    const names = await fs.readdir(this.directory);
    for (const name of names) {
      if (!KEY_FILE.test(name) || this.keys.has(name)) continue;
      const stored = await readStoredKey(join(this.directory, name), name, this.location);
      this.keys.set(name, { stored });
    }
    this.lastLoadedAt = this.clock.now().getTime();
  }

  /** Writes a fresh key as the given generation; undefined when that generation already exists. */
  private async createKey(purpose: KeyPurpose, generation: number, activeFrom?: string): Promise<LoadedKey | undefined> {
    const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
    const jwk = await exportJWK(privateKey);
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x || !jwk.d) throw new KeyRingError('generated key is not an Ed25519 private key');
    const stored: StoredKey = {
      format: 1,
      purpose,
      generation,
      kid: await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }),
      createdAt: this.clock.now().toISOString(),
      ...(activeFrom === undefined ? {} : { activeFrom }),
      jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d },
    };
    const name = fileNameOf(purpose, generation);
    const created = await createExclusive(join(this.directory, name), serialise(stored));
    if (!created) return undefined;
    const loaded: LoadedKey = { stored, privateKey };
    this.keys.set(name, loaded);
    return loaded;
  }

  /** A retired key never signs again, so its private half has no reason to stay on disk. Pending keys and the active one keep theirs. */
  private async dropRetiredPrivateHalves(purpose: KeyPurpose): Promise<void> {
    const active = this.activeOf(purpose);
    if (!active) return;
    for (const [name, key] of this.keys) {
      if (key.stored.purpose !== purpose || key.stored.generation >= active.stored.generation || key.stored.jwk.d === undefined) continue;
      const { d: _dropped, ...publicHalf } = key.stored.jwk;
      const stored: StoredKey = { ...key.stored, jwk: publicHalf };
      await replaceAtomically(join(this.directory, name), serialise(stored));
      this.keys.set(name, { stored, publicKey: key.publicKey });
    }
  }

  private async privateKeyOf(key: LoadedKey): Promise<KeyLike> {
    if (key.privateKey) return key.privateKey;
    if (key.stored.jwk.d === undefined) throw new KeyRingError(`${key.stored.purpose} key ${key.stored.kid} has no private half`);
    key.privateKey = (await importJWK({ ...key.stored.jwk, alg: SIGNING_ALGORITHM }, SIGNING_ALGORITHM)) as KeyLike;
    return key.privateKey;
  }

  /** The newest key of the purpose whose activeFrom has come. */
  private activeOf(purpose: KeyPurpose): LoadedKey | undefined {
    const now = this.clock.now().getTime();
    return this.sortedKeysOf([purpose]).find((key) => key.stored.activeFrom === undefined || Date.parse(key.stored.activeFrom) <= now);
  }

  private byKid(kid: string): LoadedKey | undefined {
    for (const key of this.keys.values()) if (key.stored.kid === kid) return key;
    return undefined;
  }

  private sortedKeysOf(purposes: readonly KeyPurpose[]): LoadedKey[] {
    return [...this.keys.values()]
      .filter((key) => purposes.includes(key.stored.purpose))
      .sort((a, b) => KEY_PURPOSES.indexOf(a.stored.purpose) - KEY_PURPOSES.indexOf(b.stored.purpose) || b.stored.generation - a.stored.generation);
  }

  private infoOf(key: LoadedKey): KeyInfo {
    const active = this.activeOf(key.stored.purpose);
    const base = {
      kid: key.stored.kid,
      purpose: key.stored.purpose,
      createdAt: key.stored.createdAt,
      ...(key.stored.activeFrom === undefined ? {} : { activeFrom: key.stored.activeFrom }),
    };
    if (key === active) return { ...base, status: 'active' };
    if (!active || key.stored.generation > active.stored.generation) return { ...base, status: 'pending' };
    const successor = this.sortedKeysOf([key.stored.purpose])
      .filter((other) => other.stored.generation > key.stored.generation)
      .at(-1)!;
    return { ...base, status: 'retired', retiredAt: successor.stored.activeFrom ?? successor.stored.createdAt };
  }
}

function fileNameOf(purpose: KeyPurpose, generation: number): string {
  return `${purpose}-${String(generation).padStart(6, '0')}.jwk.json`;
}

function serialise(stored: StoredKey): string {
  return `${JSON.stringify(stored, null, 2)}\n`;
}

/** Builds the published form member by member, so nothing private can ride along. */
function publicJwkOf(stored: StoredKey): PublicJwk {
  return { kty: 'OKP', crv: 'Ed25519', x: stored.jwk.x, kid: stored.kid, alg: SIGNING_ALGORITHM, use: 'sig' };
}

/**
 * A key file that does not parse or whose kid does not match its key stops the process: guessing
 * would sign with the wrong key. In KEYS_DIR the error names the variable (a configuration error).
 */
async function readStoredKey(path: string, name: string, location: KeyDirectory): Promise<StoredKey> {
  const fail = (message: string): Error => (location.provisioned ? new ConfigError(KEYS_DIR_VARIABLE, message) : new KeyRingError(message));
  const [, purpose, generation] = KEY_FILE.exec(name) ?? [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(path, 'utf8'));
  } catch (error) {
    throw fail(`key file ${path} is not readable JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const stored = parsed as Partial<StoredKey> | null;
  const jwk = stored?.jwk;
  if (
    stored?.format !== 1 ||
    stored.purpose !== purpose ||
    stored.generation !== Number(generation) ||
    typeof stored.kid !== 'string' ||
    typeof stored.createdAt !== 'string' ||
    (stored.activeFrom !== undefined && (typeof stored.activeFrom !== 'string' || Number.isNaN(Date.parse(stored.activeFrom)))) ||
    jwk?.kty !== 'OKP' ||
    jwk.crv !== 'Ed25519' ||
    typeof jwk.x !== 'string' ||
    (jwk.d !== undefined && typeof jwk.d !== 'string')
  ) {
    throw fail(`key file ${path} does not hold an Ed25519 key of the expected shape`);
  }
  const thumbprint = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x });
  if (thumbprint !== stored.kid) throw fail(`key file ${path}: kid does not match the key's thumbprint`);
  return stored as StoredKey;
}
