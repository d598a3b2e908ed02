import { MongoClient } from 'mongodb';

export const DEFAULT_MONGODB_DATABASE = 'asiointitili';

export interface MongoTarget {
  readonly url: string;
  readonly databaseName: string;
}

/**
 * FerretDB v1's rule for database names (letters, digits, _ and -, at most 63), which is stricter
 * than MongoDB's: a name valid on both fails here, at start-up, rather than at the first write.
 */
const DATABASE_NAME = /^[A-Za-z0-9_-]{1,63}$/;

/**
 * Reads MONGODB_URL: `mongodb://` or `mongodb+srv://`, hosts, and optionally `/<database>`
 * (default `asiointitili`). Errors name the variable and never echo the URL, which may hold a password.
 */
export function parseMongoUrl(url: string): MongoTarget {
  const trimmed = url.trim();
  const scheme = ['mongodb://', 'mongodb+srv://'].find((prefix) => trimmed.startsWith(prefix));
  if (!scheme) throw new Error('MONGODB_URL must start with mongodb:// or mongodb+srv://');
  const afterScheme = trimmed.slice(scheme.length).split('?')[0];
  // The connection-string spec makes user info percent-encode "/", so the first "/" ends the hosts.
  const slash = afterScheme.indexOf('/');
  const hosts = slash < 0 ? afterScheme : afterScheme.slice(0, slash);
  if (hosts.length === 0 || hosts.endsWith('@')) throw new Error('MONGODB_URL names no host');
  let databaseName = DEFAULT_MONGODB_DATABASE;
  if (slash >= 0 && slash < afterScheme.length - 1) {
    try {
      databaseName = decodeURIComponent(afterScheme.slice(slash + 1));
    } catch {
      throw new Error('MONGODB_URL has a badly encoded database name');
    }
    if (!DATABASE_NAME.test(databaseName)) throw new Error('MONGODB_URL has an invalid database name');
  }
  return { url: trimmed, databaseName };
}

/**
 * Bounded waits and a bounded pool. Bounded waits, so an operation on a read store that is down, frozen or restarted fails within
 * seconds instead of hanging: the supervised followers then retry with back-off and readiness
 * says 503, and the process recovers by itself when the store is back. The driver's own defaults
 * wait for ever on a socket (socketTimeoutMS 0) and for a pool connection (waitQueueTimeoutMS 0),
 * and 30 s for a server. A value given in MONGODB_URL wins over these.
 */
export const MONGO_CLIENT_DEFAULTS = {
  /** How long to look for a usable server before an operation fails. */
  serverSelectionTimeoutMS: 5_000,
  /** How long a TCP connection attempt may take. */
  connectTimeoutMS: 5_000,
  /** How long an operation may wait on its socket for an answer (no read-model query takes near this). */
  socketTimeoutMS: 30_000,
  /** How long an operation may wait for a free connection in the pool. */
  waitQueueTimeoutMS: 10_000,
  /** How often the driver checks the server, so a restarted one is seen again soon. */
  heartbeatFrequencyMS: 2_000,
  /**
   * At most this many operations of one client at a time (the driver's default is 100). FerretDB v1
   * on PostgreSQL holds up to a few of its PostgreSQL connections per command (write-chunks.ts), and
   * stops answering anyone when its pool (`pool_max_conns`) runs out that way; a bounded pool per
   * client lets an operator size FerretDB's pool for the fleet (docs/deployment.md). The service's
   * operations are short and a follower runs a few at a time, so 10 is plenty.
   */
  maxPoolSize: 10,
} as const;

function defaultsNotInUrl(url: string): Partial<typeof MONGO_CLIENT_DEFAULTS> {
  const query = url.split('?')[1] ?? '';
  const given = new Set(
    query
      .split('&')
      .map((pair) => pair.split('=')[0]!.toLowerCase())
      .filter((key) => key.length > 0),
  );
  return Object.fromEntries(Object.entries(MONGO_CLIENT_DEFAULTS).filter(([key]) => !given.has(key.toLowerCase())));
}

/**
 * A client for MONGODB_URL, with bounded timeouts and pool (MONGO_CLIENT_DEFAULTS). The driver connects on
 * first use; a connection string it cannot parse fails here, at start-up, with an error that
 * names the variable.
 */
export function createMongoClient(target: MongoTarget): MongoClient {
  try {
    return new MongoClient(target.url, { appName: 'asiointitili', ignoreUndefined: true, ...defaultsNotInUrl(target.url) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`MONGODB_URL is not a valid MongoDB connection string: ${reason}`, { cause: error });
  }
}
