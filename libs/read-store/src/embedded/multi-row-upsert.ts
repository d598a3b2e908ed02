/**
 * Most rows per INSERT of a run of puts. One statement of many rows costs one bind and one step
 * from JavaScript instead of one per document; 64 rows keep the bound parameters (128) far below
 * SQLite's limit.
 */
export const UPSERT_ROWS = 64;

/**
 * Rows of the next statement for `remaining` puts: UPSERT_ROWS, or else the largest power of two
 * that fits, so that a table needs at most seven statements (64, 32, …, 1) in the bounded
 * statement cache, whatever the lengths of the runs.
 */
export function upsertRows(remaining: number): number {
  if (!Number.isSafeInteger(remaining) || remaining < 1) throw new RangeError(`no rows left to write, got ${remaining}`);
  if (remaining >= UPSERT_ROWS) return UPSERT_ROWS;
  let rows = 1;
  while (rows * 2 <= remaining) rows *= 2;
  return rows;
}

/**
 * An upsert of `rows` documents into `table` (already quoted). SQLite applies the rows in order,
 * so an id repeated within one statement updates the row its earlier occurrence inserted, the
 * same outcome as one statement per document. Not INSERT OR REPLACE: that would silently delete
 * the other row on a unique-index clash.
 */
export function upsertSql(table: string, rows: number): string {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new RangeError(`an upsert needs at least one row, got ${rows}`);
  const values = new Array<string>(rows).fill('(?, ?)').join(', ');
  return `INSERT INTO ${table} (id, doc) VALUES ${values} ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`;
}
