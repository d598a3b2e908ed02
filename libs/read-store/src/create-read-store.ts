import type { ReadStore } from '@asiointitili/core';
import { SqliteReadStore } from './embedded/sqlite-read-store';
import { MongoReadStore } from './mongo/mongo-read-store';
import { createMongoClient, parseMongoUrl } from './mongo/mongo-url';

export interface ReadStoreConfig {
  /** DATA_DIR, used by the embedded store. */
  readonly dataDir: string;
  /** MONGODB_URL; when set (non-blank) read models go to MongoDB. */
  readonly mongodbUrl?: string;
}

/** The read-model store the configuration asks for; a bad MONGODB_URL throws an Error naming it. */
export function createReadStore(config: ReadStoreConfig): ReadStore {
  const mongodbUrl = config.mongodbUrl?.trim();
  if (!mongodbUrl) return new SqliteReadStore({ dataDir: config.dataDir });
  const target = parseMongoUrl(mongodbUrl);
  const client = createMongoClient(target);
  return new MongoReadStore({ db: client.db(target.databaseName), onClose: () => client.close() });
}
