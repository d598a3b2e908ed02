import type { Collection, Db } from 'mongodb';
import { MongoServerError } from 'mongodb';
import { createMongoClient, parseMongoUrl } from '@asiointitili/read-store';
import type { WrappedKey } from './master-key';
import type { LivePersonKey, PersonKeyStore, StoredPersonKey } from './person-key-store';

export const PERSON_KEYS_COLLECTION = 'person_keys';
const DUPLICATE_KEY = 11000;
/** A key must survive a failover before an event refers to it. */
const DURABLE = { writeConcern: { w: 'majority' as const, j: true } };

interface PersonKeyDoc {
  /** `<citizenRef>/<generation>`: the unique `_id` makes concurrent creators agree (FerretDB has no partial unique index). */
  readonly _id: string;
  readonly citizenRef: string;
  readonly generation: number;
  readonly kid: string;
  readonly createdAt: string;
  readonly wrapped?: WrappedKey;
  readonly erasedAt?: string;
}

export interface MongoPersonKeyStoreOptions {
  readonly db: Db;
  /** Run by close(), e.g. to close the MongoClient the store owns. */
  readonly onClose?: () => Promise<void>;
}

/**
 * The production key store: a `person_keys` collection in the MONGODB_URL database, one document
 * per data key. Uses only what FerretDB v1 has (no transactions, no partial indexes). Erasure
 * `$unset`s the key material; MongoDB's own copies (oplog, backups) age out on their schedule.
 */
export class MongoPersonKeyStore implements PersonKeyStore {
  readonly description = `MongoDB (${PERSON_KEYS_COLLECTION})`;
  private readonly keys: Collection<PersonKeyDoc>;
  private readonly onClose: (() => Promise<void>) | undefined;
  private indexed: Promise<void> | undefined;

  constructor(options: MongoPersonKeyStoreOptions) {
    this.keys = options.db.collection<PersonKeyDoc>(PERSON_KEYS_COLLECTION);
    this.onClose = options.onClose;
  }

  /** A store on MONGODB_URL with a client of its own; a bad URL throws an Error naming the variable. */
  static forUrl(mongodbUrl: string): MongoPersonKeyStore {
    const target = parseMongoUrl(mongodbUrl);
    const client = createMongoClient(target);
    return new MongoPersonKeyStore({ db: client.db(target.databaseName), onClose: () => client.close() });
  }

  async keysOf(citizenRef: string): Promise<readonly StoredPersonKey[]> {
    await this.ensureIndexes();
    const docs = await this.keys.find({ citizenRef }).toArray();
    return docs.map(fromDoc);
  }

  async insert(key: LivePersonKey): Promise<boolean> {
    await this.ensureIndexes();
    try {
      await this.keys.insertOne({ _id: `${key.citizenRef}/${key.generation}`, ...key }, DURABLE);
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async destroyAll(citizenRef: string, erasedAt: string): Promise<number> {
    await this.ensureIndexes();
    const result = await this.keys.updateMany({ citizenRef, erasedAt: { $exists: false } }, { $set: { erasedAt }, $unset: { wrapped: '' } }, DURABLE);
    return result.modifiedCount;
  }

  async close(): Promise<void> {
    await this.onClose?.();
  }

  /**
   * Created on first use, not at start: the API must be able to start while MongoDB is still
   * coming up. One createIndex per index: FerretDB v1 drops the connection when a multi-index
   * createIndexes names indexes that already exist (every process but the first).
   */
  private ensureIndexes(): Promise<void> {
    this.indexed ??= (async () => {
      await this.keys.createIndex({ citizenRef: 1 }, { name: 'citizenRef' });
      await this.keys.createIndex({ kid: 1 }, { name: 'kid', unique: true });
    })().catch((error: unknown) => {
      this.indexed = undefined; // try again next time
      throw error;
    });
    return this.indexed;
  }
}

function fromDoc(doc: PersonKeyDoc): StoredPersonKey {
  return {
    citizenRef: doc.citizenRef,
    generation: doc.generation,
    kid: doc.kid,
    createdAt: doc.createdAt,
    ...(doc.wrapped === undefined || doc.wrapped === null ? {} : { wrapped: doc.wrapped }),
    ...(doc.erasedAt === undefined || doc.erasedAt === null ? {} : { erasedAt: doc.erasedAt }),
  };
}
