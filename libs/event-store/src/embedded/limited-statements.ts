import type Database from 'better-sqlite3';

/** Distinct limits that get a statement of their own; reads with any other limit bind it. */
const CAPACITY = 32;

/**
 * Prepared statements of `<query> LIMIT n`, one per distinct n, with the limit written into the SQL.
 *
 * Why not `LIMIT ?`: SQLite (3.53, as better-sqlite3 bundles it) marks a statement expired
 * whenever a LIMIT parameter is bound, so every read re-parsed and re-planned its SQL: a stream
 * read cost 22–31 µs with `LIMIT ?` and 9–12 µs without (one statement, 2,000 stream reads, same
 * file), and re-preparing was 4 % of the API's CPU at maximum send throughput (perf). Reads use a
 * handful of limits (a subscription's batch, a page size, 1), so each gets its statement once;
 * past CAPACITY distinct limits (a caller with ever-changing limits) the statement binds the limit
 * as before instead of growing without bound.
 */
export class LimitedStatements<Row> {
  private readonly statements = new Map<string, Database.Statement<unknown[], Row>>();

  constructor(private readonly db: Database.Database) {}

  /** `sql` (a SELECT without LIMIT) limited to `limit` rows; `limit` is a validated non-negative integer. */
  get(sql: string, limit: number): { all(...params: unknown[]): Row[] } {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
    const key = `${sql} LIMIT ${limit}`;
    const cached = this.statements.get(key);
    if (cached) return cached;
    if (this.statements.size >= CAPACITY) {
      const bound = this.statement(`${sql} LIMIT ?`);
      return { all: (...params) => bound.all(...params, limit) };
    }
    const statement = this.db.prepare<unknown[], Row>(key);
    this.statements.set(key, statement);
    return statement;
  }

  private statement(sql: string): Database.Statement<unknown[], Row> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], Row>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
