import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { KEYS_DIRECTORY } from '../keys/key-ring';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../keys/private-files';
import type { WrappedKey } from './master-key';
import type { LivePersonKey, PersonKeyStore, StoredPersonKey } from './person-key-store';

export const PERSON_KEYS_FILE = 'person-keys.sqlite';
/** Another process (API, worker, CLI) may hold the write lock for a moment. */
const BUSY_TIMEOUT_MS = 5000;

interface Row {
  readonly citizen_ref: string;
  readonly generation: number;
  readonly kid: string;
  readonly created_at: string;
  readonly wrapped: string | null;
  readonly erased_at: string | null;
}

/**
 * The embedded key store: `<DATA_DIR>/keys/person-keys.sqlite`, owner-only (0600, in the 0700 keys
 * directory). Chosen over a file per person for transactions and one fsync per change, and because
 * `secure_delete` makes SQLite overwrite the erased key material in the file with zeros instead of
 * leaving it in a free page. A rollback journal (not WAL), so no old page lingers in a WAL after
 * the commit; `synchronous = FULL`, so a key is on disk before any event can refer to it.
 */
export class SqlitePersonKeyStore implements PersonKeyStore {
  private constructor(
    private readonly db: Database.Database,
    readonly description: string,
  ) {}

  static async open(dataDir: string): Promise<SqlitePersonKeyStore> {
    const directory = join(dataDir, KEYS_DIRECTORY);
    await ensurePrivateDir(directory);
    const file = join(directory, PERSON_KEYS_FILE);
    // Made owner-only before SQLite opens it: SQLite gives its journal the database file's mode.
    await (await fs.open(file, 'a', PRIVATE_FILE_MODE)).close();
    await fs.chmod(file, PRIVATE_FILE_MODE);
    const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    try {
      db.pragma('journal_mode = DELETE');
      db.pragma('synchronous = FULL');
      db.pragma('secure_delete = ON');
      db.exec(`CREATE TABLE IF NOT EXISTS person_keys (
        citizen_ref TEXT NOT NULL,
        generation INTEGER NOT NULL,
        kid TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        wrapped TEXT,
        erased_at TEXT,
        PRIMARY KEY (citizen_ref, generation)
      )`);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqlitePersonKeyStore(db, `embedded (${KEYS_DIRECTORY}/${PERSON_KEYS_FILE})`);
  }

  async keysOf(citizenRef: string): Promise<readonly StoredPersonKey[]> {
    const rows = this.db.prepare('SELECT * FROM person_keys WHERE citizen_ref = ?').all(citizenRef) as Row[];
    return rows.map(fromRow);
  }

  async insert(key: LivePersonKey): Promise<boolean> {
    const result = this.db
      .prepare('INSERT INTO person_keys (citizen_ref, generation, kid, created_at, wrapped) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(key.citizenRef, key.generation, key.kid, key.createdAt, JSON.stringify(key.wrapped));
    return result.changes === 1;
  }

  async destroyAll(citizenRef: string, erasedAt: string): Promise<number> {
    const result = this.db.prepare('UPDATE person_keys SET wrapped = NULL, erased_at = ? WHERE citizen_ref = ? AND erased_at IS NULL').run(erasedAt, citizenRef);
    return result.changes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function fromRow(row: Row): StoredPersonKey {
  return {
    citizenRef: row.citizen_ref,
    generation: row.generation,
    kid: row.kid,
    createdAt: row.created_at,
    ...(row.wrapped === null ? {} : { wrapped: JSON.parse(row.wrapped) as WrappedKey }),
    ...(row.erased_at === null ? {} : { erasedAt: row.erased_at }),
  };
}
