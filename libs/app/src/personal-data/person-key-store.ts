import type { WrappedKey } from './master-key';

/**
 * One data key of one person. A person gets generation 1 on first use; after an erasure the next
 * seal creates the next generation. Erased entries stay as tombstones (kid and times, no key
 * material), so the vault can tell "erased" from "never existed" and say when.
 */
export interface StoredPersonKey {
  readonly citizenRef: string;
  readonly generation: number;
  readonly kid: string;
  readonly createdAt: string;
  /** The key material; absent once erased. */
  readonly wrapped?: WrappedKey;
  readonly erasedAt?: string;
}

export type LivePersonKey = StoredPersonKey & { readonly wrapped: WrappedKey };

/** Where the wrapped data keys live: SQLite in DATA_DIR, or a MongoDB collection. */
export interface PersonKeyStore {
  /** Says where, for the start-up log line. */
  readonly description: string;
  /** Every key the person ever had, erased ones included, in any order. */
  keysOf(citizenRef: string): Promise<readonly StoredPersonKey[]>;
  /**
   * Adds a key durably (it must outlive any event that refers to it). False when the person
   * already has that generation: another process created it first.
   */
  insert(key: LivePersonKey): Promise<boolean>;
  /** Removes the key material of every live key of the person and stamps `erasedAt`; answers how many. */
  destroyAll(citizenRef: string, erasedAt: string): Promise<number>;
  close(): Promise<void>;
}
