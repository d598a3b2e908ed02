import { MongoClient } from 'mongodb';
import { uniqueSuffix } from './server-suites';

/**
 * Helpers for suites that run against MONGODB_URL, which in CI is a throwaway FerretDB v1
 * started by .ci/ferretdb.sh (MongoDB wire protocol over SQLite files) and elsewhere may be a
 * real MongoDB 6/7. Suites must pass on both, so they use only what both support.
 *
 * FerretDB v1.24 differences seen while writing the read-model and blob adapters (they avoid all):
 * - no transactions (`insert: unknown field "autocommit"`), no change streams, no arrayFilters;
 * - keys must not start with `$` or contain `.` (MongoDB 5+ stores dotted keys; FerretDB refuses);
 * - index options `partialFilterExpression` and `collation` are not implemented (code 238), nor is
 *   `collation` on find; `unique`, `sparse` and `name` work;
 * - building a unique index over duplicates fails with InternalError (code 1, "UNIQUE constraint
 *   failed") instead of DuplicateKey (11000);
 * - a unique index lets several documents lack the field (as SQLite does); MongoDB counts a
 *   missing field as null and refuses the second one;
 * - database names: letters, digits, `_` and `-` only, at most 63 characters (code 73 otherwise);
 * - sorting and `$gt`/`$lt` agree with MongoDB on what the adapters use: null/missing lowest,
 *   strings by UTF-8 bytes, numbers by value.
 */

/** FerretDB's stricter rule, which also satisfies MongoDB's. */
const MAX_DATABASE_NAME = 63;

/** A database name unique to this run, worker and call; drop the database when the test is done. */
export function testDatabaseName(prefix: string): string {
  const name = `${prefix}_${uniqueSuffix()}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return name.slice(0, MAX_DATABASE_NAME);
}


/**
 * One MongoClient for a suite: connected before its tests, closed after them. Returns a getter,
 * since the client exists only once beforeAll has run.
 */
export function mongoClientForSuite(url: string): () => MongoClient {
  let client: MongoClient | undefined;
  beforeAll(async () => {
    client = await MongoClient.connect(url);
  });
  afterAll(async () => {
    await client?.close();
  });
  return () => {
    if (!client) throw new Error('the suite MongoClient is used before beforeAll connected it');
    return client;
  };
}
