import type { Db } from 'mongodb';

/**
 * FerretDB v1 on PostgreSQL answers each statement of an update command with a query whose
 * PostgreSQL connection it keeps until the whole command is done, and takes one more connection
 * for the statement's own transaction. A command of as many statements as its pool has
 * connections (`pool_max_conns`, 50 by default) therefore waits for ever for a free one, and from
 * then on FerretDB answers nobody: one bulkWrite of 60 replaceOne upserts stops a fresh FerretDB
 * v1.24.2 for good (found by the fleet suite after a read-store outage, when the catch-up wrote
 * large batches; a FerretDB rebuild hung the same way). So on FerretDB a collection's bulk write
 * is sent in commands of at most this many statements, one after another: a command then holds
 * at most this many connections, and docs/deployment.md says how large FerretDB's pool must be.
 */
export const FERRETDB_STATEMENTS_PER_COMMAND = 4;

/**
 * How many statements one bulk write command may carry on this server: unlimited (the driver
 * splits by the server's own limits) on MongoDB, FERRETDB_STATEMENTS_PER_COMMAND on FerretDB,
 * which says so in `buildInfo` (`ferretdbVersion`).
 */
export async function statementsPerCommand(db: Db): Promise<number> {
  const info = await db.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string' ? FERRETDB_STATEMENTS_PER_COMMAND : Number.POSITIVE_INFINITY;
}

/** The operations in runs of at most `size`, in their order (one run when size is unlimited, none when there are none). */
export function inRuns<T>(operations: readonly T[], size: number): T[][] {
  if (operations.length === 0) return [];
  if (!Number.isFinite(size) || operations.length <= size) return [[...operations]];
  const runs: T[][] = [];
  for (let start = 0; start < operations.length; start += size) runs.push(operations.slice(start, start + size));
  return runs;
}
