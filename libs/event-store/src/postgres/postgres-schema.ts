import type { PoolClient } from 'pg';

/** The log: one row per event; `position` is the global order, `(stream, revision)` the stream order. */
export const EVENTS_TABLE = 'event_log';
/**
 * One row holding the last position handed out. Every append transaction locks it first (the
 * serialisation point that keeps the global order free of gaps, see PostgresEventStore) and raises it.
 */
export const HEAD_TABLE = 'event_log_head';
/** NOTIFY channel: the payload is the new last position; delivered to listeners only on commit. */
export const NOTIFY_CHANNEL = 'asiointitili_event_log';

/** Taken while creating the schema so that processes starting together do not race on CREATE TABLE. */
const SCHEMA_LOCK_KEY = 0x61736974_696c69n; // "asitili"

/**
 * Creates the tables when missing (idempotent, safe from several processes at once).
 *
 * - `data` and `metadata` are `json`, not `jsonb`: json keeps the text exactly as written, so what
 *   is read back is what was hashed (jsonb would reorder keys and normalise numbers).
 * - `store_id` identifies this log: a read store records it beside its checkpoints and refuses a
 *   checkpoint written against another log.
 */
export async function createSchema(client: PoolClient): Promise<void> {
  // Tables already there: nothing to create, so a role without CREATE on the schema can run the app.
  const existing = await client.query<{ ready: boolean }>('SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AS ready', [
    EVENTS_TABLE,
    HEAD_TABLE,
  ]);
  if (existing.rows[0]?.ready) return;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY.toString()]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${EVENTS_TABLE} (
        position    bigint      PRIMARY KEY,
        stream      text        NOT NULL,
        revision    bigint      NOT NULL,
        id          text        NOT NULL UNIQUE,
        type        text        NOT NULL,
        data        json        NOT NULL,
        metadata    json        NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (stream, revision)
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${HEAD_TABLE} (
        singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        last_position bigint  NOT NULL,
        store_id      uuid    NOT NULL DEFAULT gen_random_uuid()
      )`);
    await client.query(`INSERT INTO ${HEAD_TABLE} (last_position) VALUES (0) ON CONFLICT DO NOTHING`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
