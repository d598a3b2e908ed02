import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '@asiointitili/core';
import { CIPHER, DATA_KEY_BYTES, decodeEnvelope, envelopeAssociatedData, ENVELOPE_VERSION, IV_BYTES, TAG_BYTES, toBase64Url, type SealedEnvelope } from './envelope';
import { EnvelopeAuthenticationError, PersonalDataError, PersonKeyNotFoundError } from './errors';
import type { MasterKey } from './master-key';
import type { PersonKeyStore, StoredPersonKey } from './person-key-store';

/** Random key ids: 128 bits, so a kid says nothing about its owner and never collides. */
const KID_BYTES = 16;
/** Creating a key loses a race only to another creator; after this many lost races something is wrong. */
const MAX_CREATE_ATTEMPTS = 5;

export interface Erasure {
  readonly erasedAt: string;
  /** Live keys destroyed by this call (0 when there were none left: a repeat, or no contact details ever sealed). */
  readonly destroyedKeys: number;
}

/**
 * Personal data sealed with a key of its own per person (crypto-shredding). Events carry only the
 * envelope; destroying the person's keys makes every envelope of theirs unreadable without
 * touching an event, so the hash chain and replays stay exactly as they were.
 *
 * No key is cached: an erasure by one process takes effect at once in every other (the worker
 * opens envelopes to notify; the API erases).
 */
export class PersonalDataVault {
  constructor(
    private readonly store: PersonKeyStore,
    private readonly master: MasterKey,
    private readonly clock: Clock = systemClock,
  ) {}

  /** For the start-up log line: where the keys are and where the master key came from (never the key). */
  get description(): string {
    return `${this.store.description}, master key ${this.master.id} from ${this.master.source === 'environment' ? 'PERSONAL_DATA_MASTER_KEY' : 'DATA_DIR/keys'}`;
  }

  /** Encrypts with the person's current key, creating one on first use (or after an erasure). */
  async seal(citizenRef: string, plaintext: string): Promise<SealedEnvelope> {
    const { kid, key } = await this.currentKey(citizenRef);
    try {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(envelopeAssociatedData(citizenRef, kid));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { v: ENVELOPE_VERSION, kid, iv: toBase64Url(iv), ct: toBase64Url(ct), tag: toBase64Url(cipher.getAuthTag()) };
    } finally {
      key.fill(0);
    }
  }

  /**
   * The plaintext, or null when the key that sealed it was erased. Anything else that stops it
   * from opening is an error (PersonalDataError), never null: a tampered envelope or a lost key
   * store must not pass for an erasure.
   */
  async open(citizenRef: string, envelope: SealedEnvelope): Promise<string | null> {
    const parts = decodeEnvelope(envelope);
    const stored = (await this.store.keysOf(citizenRef)).find((key) => key.kid === parts.kid);
    if (stored === undefined) throw new PersonKeyNotFoundError(`no key ${parts.kid} for this person: the envelope is someone else's, or the key store is not the one it was sealed with`);
    if (stored.erasedAt !== undefined || stored.wrapped === undefined) return null;
    const key = this.master.unwrap(stored.wrapped, citizenRef, stored.kid);
    try {
      const decipher = createDecipheriv(CIPHER, key, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(envelopeAssociatedData(citizenRef, parts.kid));
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ct), decipher.final()]).toString('utf8');
    } catch {
      throw new EnvelopeAuthenticationError(`the envelope sealed with key ${parts.kid} does not authenticate: altered, or sealed for someone else`);
    } finally {
      key.fill(0);
    }
  }

  /** Destroys every key of the person. Idempotent: a repeat destroys nothing and still answers. */
  async erase(citizenRef: string, at: string = this.clock.now().toISOString()): Promise<Erasure> {
    return { erasedAt: at, destroyedKeys: await this.store.destroyAll(citizenRef, at) };
  }

  /** When the person's keys were last erased, if ever (the store keeps tombstones). */
  async erasedAt(citizenRef: string): Promise<string | undefined> {
    const times = (await this.store.keysOf(citizenRef)).flatMap((key) => (key.erasedAt === undefined ? [] : [key.erasedAt]));
    return times.sort().at(-1);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private async currentKey(citizenRef: string): Promise<{ readonly kid: string; readonly key: Buffer }> {
    for (let attempt = 1; attempt <= MAX_CREATE_ATTEMPTS; attempt++) {
      const keys = await this.store.keysOf(citizenRef);
      const latest = newest(keys);
      if (latest?.wrapped !== undefined && latest.erasedAt === undefined) return { kid: latest.kid, key: this.master.unwrap(latest.wrapped, citizenRef, latest.kid) };
      const key = randomBytes(DATA_KEY_BYTES);
      const kid = toBase64Url(randomBytes(KID_BYTES));
      const created = await this.store.insert({
        citizenRef,
        generation: (latest?.generation ?? 0) + 1,
        kid,
        createdAt: this.clock.now().toISOString(),
        wrapped: this.master.wrap(key, citizenRef, kid),
      });
      if (created) return { kid, key };
      key.fill(0); // another process created this generation first: use theirs
    }
    throw new PersonalDataError(`could not create a data key in ${MAX_CREATE_ATTEMPTS} attempts`);
  }
}

function newest(keys: readonly StoredPersonKey[]): StoredPersonKey | undefined {
  return keys.reduce<StoredPersonKey | undefined>((found, key) => (found === undefined || key.generation > found.generation ? key : found), undefined);
}

/** Nest injection token for the process's vault (Runtime.personalData). */
export const PERSONAL_DATA_VAULT = Symbol('PERSONAL_DATA_VAULT');
