import type { BlobStore } from '@asiointitili/core';
import { createMongoClient, parseMongoUrl } from '@asiointitili/read-store';
import { FileBlobStore } from './embedded/file-blob-store';
import { GridFsBlobStore } from './mongo/gridfs-blob-store';

export interface BlobStoreConfig {
  /** DATA_DIR, used by the embedded store. */
  readonly dataDir: string;
  /** MONGODB_URL; when set (non-blank) attachments go to GridFS in that database. */
  readonly mongodbUrl?: string;
}

/** The attachment store the configuration asks for; a bad MONGODB_URL throws an Error naming it. */
export function createBlobStore(config: BlobStoreConfig): BlobStore {
  const mongodbUrl = config.mongodbUrl?.trim();
  if (!mongodbUrl) return new FileBlobStore({ dataDir: config.dataDir });
  const target = parseMongoUrl(mongodbUrl);
  const client = createMongoClient(target);
  return new GridFsBlobStore({ db: client.db(target.databaseName), onClose: () => client.close() });
}
