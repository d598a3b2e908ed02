import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ScopedReadStore } from '../shared/scoped-read-store';
import { SqliteBackend } from './sqlite-backend';

export const READ_MODELS_FILE = 'read-models.sqlite';

export interface SqliteReadStoreOptions {
  /** DATA_DIR: the store keeps `<dataDir>/read-models.sqlite` (plus its WAL files). */
  readonly dataDir: string;
}

/**
 * The embedded read-model store: one SQLite file, one table per collection and generation
 * (`g<N>_<collection>`, documents as JSON text), expression indexes on `json_extract`.
 * Several processes may open the same file; each read follows the generation active at that moment.
 */
export class SqliteReadStore extends ScopedReadStore {
  constructor(options: SqliteReadStoreOptions) {
    super(openBackend(options.dataDir));
  }
}

function openBackend(dataDir: string): SqliteBackend {
  mkdirSync(dataDir, { recursive: true });
  return new SqliteBackend(join(dataDir, READ_MODELS_FILE));
}
