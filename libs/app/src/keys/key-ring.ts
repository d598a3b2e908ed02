import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type KeyLike } from 'jose';
import { systemClock, type Clock } from '@asiointitili/core';
import { createExclusive, ensurePrivateDir, replaceAtomically } from './private-files';

/**
 * What a key signs. Keys are never shared between purposes: a leaked development token key must
 * not be able to forge a proof of service, and the reverse.
 */
export type KeyPurpose = 'token' | 'evidence';
export const KEY_PURPOSES: readonly KeyPurpose[] = ['token', 'evidence'];

export type KeyStatus = 'active' | 'retired';

export const SIGNING_ALGORITHM = 'EdDSA';

export interface KeyInfo {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key. */
  readonly kid: string;
  readonly purpose: KeyPurpose;
  readonly createdAt: string;
  readonly status: KeyStatus;
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

export const KEYS_DIRECTORY = 'keys';

/** What one key file holds. The private member `d` is removed once the key is retired. */
interface StoredKey {
  readonly format: 1;
  readonly purpose: KeyPurpose;
  readonly generation: number;
  readonly kid: string;
  readonly createdAt: string;
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
 * Ed25519 signing keys kept in `<DATA_DIR>/keys/`, one file per key named
 * `<purpose>-<generation>.jwk.json`. The key with the highest generation of a purpose is the
 * active one; every lower generation is retired and keeps only its public half, so what it signed
 * still verifies.
 *
 * Server and CLI may open the same directory at the same time. Every file is created exclusively
 * (see createExclusive), so when both want the first key, or both rotate, each generation is
 * written exactly once and both processes end up agreeing on the same keys.
 */
export class KeyRing {
  private readonly keys = new Map<string, LoadedKey>();
  private lastLoadedAt = Number.NEGATIVE_INFINITY;
  private readonly clock: Clock;
  private readonly refreshIntervalMs: number;

  private constructor(
    readonly directory: string,
    options: KeyRingOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.refreshIntervalMs = options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
  }

  /** Opens (creating on first use) the key ring of a data directory and makes sure every purpose has an active key. */
  static async open(dataDir: string, options: KeyRingOptions = {}): Promise<KeyRing> {
    const ring = new KeyRing(join(dataDir, KEYS_DIRECTORY), options);
    await ensurePrivateDir(ring.directory);
    for (const purpose of KEY_PURPOSES) await ring.ensureActive(purpose);
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
  async rotate(purpose: KeyPurpose): Promise<KeyInfo> {
    for (let attempt = 0; attempt < MAX_ROTATION_ATTEMPTS; attempt++) {
      await this.reload();
      const generation = (this.activeOf(purpose)?.stored.generation ?? 0) + 1;
      const created = await this.createKey(purpose, generation);
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

  private async ensureActive(purpose: KeyPurpose): Promise<void> {
    await this.reload();
    if (this.activeOf(purpose)) return;
    // Losing the race to another process is fine: its key is the one both then use.
    await this.createKey(purpose, 1);
    await this.reload();
  }

  /** Reads key files this process has not seen yet. Files are immutable apart from losing `d`, so known ones are not read again. */
  private async reload(): Promise<void> {
    const names = await fs.readdir(this.directory);
    for (const name of names) {
      if (!KEY_FILE.test(name) || this.keys.has(name)) continue;
      const stored = await readStoredKey(join(this.directory, name), name);
      this.keys.set(name, { stored });
    }
    this.lastLoadedAt = this.clock.now().getTime();
  }

  /** Writes a fresh key as the given generation; undefined when that generation already exists. */
  private async createKey(purpose: KeyPurpose, generation: number): Promise<LoadedKey | undefined> {
    const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
    const jwk = await exportJWK(privateKey);
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x || !jwk.d) throw new KeyRingError('generated key is not an Ed25519 private key');
    const stored: StoredKey = {
      format: 1,
      purpose,
      generation,
      kid: await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }),
      createdAt: this.clock.now().toISOString(),
      jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d },
    };
    const name = fileNameOf(purpose, generation);
    const created = await createExclusive(join(this.directory, name), serialise(stored));
    if (!created) return undefined;
    const loaded: LoadedKey = { stored, privateKey };
    this.keys.set(name, loaded);
    return loaded;
  }

  /** A retired key never signs again, so its private half has no reason to stay on disk. */
  private async dropRetiredPrivateHalves(purpose: KeyPurpose): Promise<void> {
    const active = this.activeOf(purpose);
    for (const [name, key] of this.keys) {
      if (key.stored.purpose !== purpose || key === active || key.stored.jwk.d === undefined) continue;
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

  private activeOf(purpose: KeyPurpose): LoadedKey | undefined {
    return this.sortedKeysOf([purpose])[0];
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
    const successor = this.sortedKeysOf([key.stored.purpose])
      .filter((other) => other.stored.generation > key.stored.generation)
      .at(-1);
    const base = { kid: key.stored.kid, purpose: key.stored.purpose, createdAt: key.stored.createdAt };
    return successor ? { ...base, status: 'retired', retiredAt: successor.stored.createdAt } : { ...base, status: 'active' };
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

/** A key file that does not parse or whose kid does not match its key stops the process: guessing would sign with the wrong key. */
async function readStoredKey(path: string, name: string): Promise<StoredKey> {
  const [, purpose, generation] = KEY_FILE.exec(name) ?? [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(path, 'utf8'));
  } catch (error) {
    throw new KeyRingError(`key file ${path} is not readable JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const stored = parsed as Partial<StoredKey> | null;
  const jwk = stored?.jwk;
  if (
    stored?.format !== 1 ||
    stored.purpose !== purpose ||
    stored.generation !== Number(generation) ||
    typeof stored.kid !== 'string' ||
    typeof stored.createdAt !== 'string' ||
    jwk?.kty !== 'OKP' ||
    jwk.crv !== 'Ed25519' ||
    typeof jwk.x !== 'string' ||
    (jwk.d !== undefined && typeof jwk.d !== 'string')
  ) {
    throw new KeyRingError(`key file ${path} does not hold an Ed25519 key of the expected shape`);
  }
  const thumbprint = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x });
  if (thumbprint !== stored.kid) throw new KeyRingError(`key file ${path}: kid does not match the key's thumbprint`);
  return stored as StoredKey;
}
