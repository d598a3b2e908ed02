import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const EVENTS_FILE_NAME = 'events.sqlite';

/** Layout version kept in `PRAGMA user_version`; a file written by a newer layout is refused. */
const SCHEMA_VERSION = 1n;

/** The events file cannot be trusted; the process must not start on it (restore it from a backup). */
export class EventStoreFileDamagedError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `event store file ${file} is damaged (${problems.join('; ')}); refusing to start. ` +
        'Restore the file from a backup, or move it away to start with an empty log.',
    );
    this.name = 'EventStoreFileDamagedError';
  }
}

/** SQLite result codes (primary, before the extended suffix) that mean the file itself is bad. */
const DAMAGE_CODES = ['SQLITE_CORRUPT', 'SQLITE_NOTADB'];

function isDamage(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DAMAGE_CODES.some((damage) => code.startsWith(damage));
}

/**
 * Opens (creating if need be) `<dataDir>/events.sqlite`, checks it and prepares the schema.
 *
 * Crash safety, in the order SQLite provides it:
 * - WAL journal: a commit appends frames to `events.sqlite-wal` and ends with a commit frame.
 *   After a crash or power loss, the next open replays the WAL up to the last valid commit frame
 *   (frames carry checksums and a salt); a torn tail, i.e. the frames of a transaction that never
 *   finished, is discarded. So every transaction is either wholly in the log or not at all.
 * - `synchronous = FULL`: in WAL mode this fsyncs the WAL on every commit, so a transaction is on
 *   stable storage before `append` resolves and the command answers 2xx. `NORMAL` would sync
 *   only at checkpoints: still consistent after a power loss, but the newest acknowledged commits
 *   could vanish, which breaks "nothing acknowledged is lost". Group commit (see the store) pays
 *   for this fsync once per batch instead of once per command.
 * - `quick_check` before anything else: a damaged file (bad sectors, an editor, a half-copied
 *   backup) is refused with EventStoreFileDamagedError instead of serving a partial log.
 *   quick_check verifies every b-tree page and record but skips the index-versus-table
 *   comparison of integrity_check; it reads the whole file once, which at startup is affordable.
 */
export function openEventsFile(dataDir: string, timeoutMs: number): { readonly db: Database.Database; readonly file: string } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, EVENTS_FILE_NAME);
  const db = new Database(file, { timeout: timeoutMs });
  try {
    db.defaultSafeIntegers(true);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const problems = (db.pragma('quick_check') as ReadonlyArray<{ quick_check: string }>).map((row) => row.quick_check);
    if (problems.length !== 1 || problems[0] !== 'ok') throw new EventStoreFileDamagedError(file, problems);
    migrate(db, file);
    ensureIdentity(db);
    return { db, file };
  } catch (error) {
    db.close();
    if (isDamage(error)) throw new EventStoreFileDamagedError(file, [`${error.code}: ${error.message}`]);
    throw error;
  }
}

function migrate(db: Database.Database, file: string): void {
  const version = BigInt(db.pragma('user_version', { simple: true }) as number | bigint);
  if (version > SCHEMA_VERSION) {
    throw new Error(`event store file ${file} has layout version ${version}; this build understands up to ${SCHEMA_VERSION}`);
  }
  if (version === SCHEMA_VERSION) return;
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      position INTEGER PRIMARY KEY AUTOINCREMENT,
      stream   TEXT    NOT NULL,
      revision INTEGER NOT NULL,
      id       TEXT    NOT NULL UNIQUE,
      type     TEXT    NOT NULL,
      data     TEXT    NOT NULL,
      metadata TEXT    NOT NULL,
      UNIQUE (stream, revision)
    );
    PRAGMA user_version = ${SCHEMA_VERSION};
  `);
}

/**
 * The log's identity (EventStore.identity): a UUID created with the file, or on the first open of
 * a file written before identities existed. A copy of the file (a backup) keeps it.
 */
function ensureIdentity(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS log_identity (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), id TEXT NOT NULL)');
  db.prepare('INSERT OR IGNORE INTO log_identity (singleton, id) VALUES (1, ?)').run(randomUUID());
}
