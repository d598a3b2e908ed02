import { ScopedReadStore } from '../shared/scoped-read-store';
import { MongoBackend, type MongoBackendOptions } from './mongo-backend';

export type MongoReadStoreOptions = MongoBackendOptions;

/**
 * The production read-model store: one MongoDB collection per read model and generation
 * (`g<N>_<collection>`, document id in `_id`), checkpoints in `g<N>__checkpoints`, the active
 * generation in `meta`. Runs unchanged on MongoDB 6/7 and FerretDB v1.
 */
export class MongoReadStore extends ScopedReadStore {
  constructor(options: MongoReadStoreOptions) {
    super(new MongoBackend(options));
  }
}
