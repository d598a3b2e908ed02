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
 * A client for MONGODB_URL. The driver connects on first use; a connection string it cannot
 * parse fails here, at start-up, with an error that names the variable.
 */
export function createMongoClient(target: MongoTarget): MongoClient {
  try {
    return new MongoClient(target.url, { appName: 'asiointitili', ignoreUndefined: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`MONGODB_URL is not a valid MongoDB connection string: ${reason}`, { cause: error });
  }
}
