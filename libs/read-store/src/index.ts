export * from './errors';
export { createReadStore, type ReadStoreConfig } from './create-read-store';
export { SqliteReadStore, READ_MODELS_FILE, type SqliteReadStoreOptions } from './embedded/sqlite-read-store';
export { MongoReadStore, type MongoReadStoreOptions } from './mongo/mongo-read-store';
export { parseMongoUrl, createMongoClient, DEFAULT_MONGODB_DATABASE, type MongoTarget } from './mongo/mongo-url';
