import type { Db } from 'mongodb';
import { uniqueSuffix } from './server-suites';

/**
 * Helpers for suites that run against MONGODB_URL, which in CI is a throwaway FerretDB v1
 * started by .ci/ferretdb.sh (MongoDB wire protocol over SQLite files) and elsewhere may be a
 * real MongoDB 6/7. Suites must pass on both, so they use only what both support.
 *
 * FerretDB v1.24 differences met so far (the adapters avoid all of them):
 * - no transactions, no change streams, no arrayFilters;
 * - keys must not start with `$` or contain `.` (MongoDB 5+ accepts dots; FerretDB refuses them);
 * - index options beyond `unique` and `name` (partialFilterExpression, collation) are not supported;
 * - database names: letters, digits, `_` and `-` only, at most 63 characters.
 */

/** FerretDB's stricter rule, which also satisfies MongoDB's. */
const MAX_DATABASE_NAME = 63;

/** A database name unique to this run, worker and call; drop the database when the test is done. */
export function testDatabaseName(prefix: string): string {
  const name = `${prefix}_${uniqueSuffix()}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return name.slice(0, MAX_DATABASE_NAME);
}

/** True when the server behind `db` is FerretDB (its buildInfo carries `ferretdbVersion`). */
export async function isFerretDb(db: Db): Promise<boolean> {
  const info = await db.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string';
}
