import { Pool, type PoolClient } from 'pg';
import {
  ConcurrencyError,
  type AppendResult,
  type BatchHandler,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '@asiointitili/core';
import { assertAppendable } from '../append-validation';
import type { RetryPolicy } from '../esdb/reconnecting-subscription';
import { idempotentResult, revisionMatches, type PendingAppend, type StoredEventLocation } from '../idempotent-append';
import { PollingSubscription } from '../polling-subscription';
import { PRODUCT_STREAM_PREFIXES } from '../product-streams';
import { validFromRevision, validMaxCount } from '../read-limits';
import { NotificationListener } from './notification-listener';
import { EVENTS_TABLE, HEAD_TABLE, NOTIFY_CHANNEL, createSchema } from './postgres-schema';

export interface PostgresEventStoreOptions {
  /** How often a live subscription reads the log without having been notified (the fallback for a lost NOTIFY). Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** Retries of a subscription's failed reads (server down); default: 60 retries with 100 ms doubling up to 5 s (≈ 4.5 min). */
  readonly subscriptionRetry?: RetryPolicy;
  /** Connections of the pool (reads and the one writer). Default 10. */
  readonly poolSize?: number;
  /** Deadline of the health check and of opening a connection, in ms. Default 2000. */
  readonly connectTimeoutMs?: number;
  /** Most appends written by one transaction (group commit). Default 256. */
  readonly maxAppendsPerTransaction?: number;
}

export const DEFAULT_POSTGRES_SUBSCRIPTION_RETRY: RetryPolicy = {
  maxRetries: 60,
  delayMs: (attempt) => Math.min(100 * 2 ** (attempt - 1), 5_000),
};

type Outcome = { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: ConcurrencyError };

interface EventRow {
  readonly position: string;
  readonly stream: string;
  readonly revision: string;
  readonly id: string;
  readonly type: string;
  readonly data: RecordedEvent['data'];
  readonly metadata: RecordedEvent['metadata'];
}

const COLUMNS = 'position, stream, revision, id, type, data, metadata';

/** SQL that keeps the product's streams only (the same rule as the other adapters). */
const PRODUCT_STREAM_CONDITION = `(${PRODUCT_STREAM_PREFIXES.map((prefix) => `starts_with(stream, '${prefix.replace(/'/g, "''")}')`).join(' OR ')})`;

/**
 * `on` unless the server was configured stricter (remote_write/remote_apply with synchronous
 * standbys): an append never answers before its commit record is flushed to disk, whatever the
 * server's default (`off` or `local` would acknowledge commits a crash can still take back).
 */
const DURABLE_COMMIT_SQL = `SELECT set_config('synchronous_commit', 'on', true) WHERE current_setting('synchronous_commit') IN ('off', 'local')`;

/**
 * The event store on PostgreSQL (`EVENTSTORE_URL=postgresql://…`), through the `pg` driver.
 *
 * ## Gap-free global order: serialised appends
 *
 * A follower reads "events with position > my cursor, in position order". With positions from a
 * sequence and concurrent writers, that skips events: transaction A takes position 5, B takes 6, B
 * commits first, a follower reads 6 and moves its cursor to 6, then A commits 5, which the follower
 * never reads (the gap problem of sequence-ordered logs).
 *
 * Here every append transaction first locks the single row of `event_log_head`
 * (`SELECT … FOR UPDATE`) and only then assigns positions, continuing from the row's
 * `last_position`, which it raises before committing. So positions are handed out in the order in
 * which transactions get the lock, and a transaction gets the lock only after the previous holder
 * has ended. PostgreSQL releases a transaction's locks after its commit is visible to new
 * snapshots (ProcArrayEndTransaction precedes the lock release), so when any reader can see
 * position p, every committed position below p is already visible to it: a follower reading in
 * position order can never pass an event that commits later. As a bonus, positions are contiguous
 * (a rolled-back transaction also rolls back its raise of `last_position`).
 *
 * The price is one writing transaction at a time across all processes. Group commit recovers the
 * throughput: each process has one writer, and every append() that arrives while a transaction is
 * running goes into the next one, so one lock wait and one WAL flush cover many commands. The
 * alternative (concurrent writers tagged with pg_current_xact_id(), followers reading only below
 * pg_snapshot_xmin) needs a two-part cursor (xid, position), which the port's single position does
 * not carry; serialisation keeps the port's plain position and costs nothing at this product's
 * write rates (see docs/benchmarks.md).
 *
 * ## The rest of the port
 *
 * - Optimistic concurrency and idempotent retries are checked inside the locked transaction with
 *   the same rules as the embedded store (idempotent-append.ts); `UNIQUE (stream, revision)` and
 *   `UNIQUE (id)` are the backstop.
 * - Durable before it answers: append resolves after COMMIT returns, with synchronous_commit on.
 * - Live delivery: the append transaction sends NOTIFY (delivered only on commit); one LISTEN
 *   connection per store wakes the subscriptions, which also poll every `pollIntervalMs` and
 *   retry failed reads with back-off, resuming from their own cursor.
 * - The schema is created when the store is first used (createSchema).
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly listener: NotificationListener;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly pollIntervalMs: number;
  private readonly maxAppendsPerTransaction: number;
  private readonly connectTimeoutMs: number;
  private schema: Promise<void> | null = null;
  private pending: PendingAppend[] = [];
  /** The running writer loop, if any. */
  private writer: Promise<void> | null = null;
  private closed = false;
  private transactions = 0;

  private constructor(
    connectionString: string,
    private readonly options: PostgresEventStoreOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.maxAppendsPerTransaction = options.maxAppendsPerTransaction ?? 256;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2000;
    const config = { connectionString, connectionTimeoutMillis: this.connectTimeoutMs, keepAlive: true };
    this.pool = new Pool({ ...config, max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 });
    // An idle connection that the server drops (restart, fail-over) is reported here; the pool
    // discards it and opens a new one for the next query. Without a listener it would crash the process.
    this.pool.on('error', () => undefined);
    this.listener = new NotificationListener(config, NOTIFY_CHANNEL);
  }

  /** A store for a `postgresql://` or `postgres://` URL; connects lazily (nothing is sent until the first call). */
  static connect(connectionString: string, options: PostgresEventStoreOptions = {}): PostgresEventStore {
    return new PostgresEventStore(connectionString, options);
  }

  /** Committed write transactions (each carries one or more appends). */
  get transactionCount(): number {
    return this.transactions;
  }

  append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.assertOpen();
      assertAppendable(stream, events);
      this.pending.push({ stream, events, expected, resolve, reject });
      this.writer ??= this.writeQueued();
    });
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const from = validFromRevision(options.fromRevision ?? 0n);
    const limit = options.maxCount === undefined ? null : validMaxCount('readStream', options.maxCount);
    if (limit === 0) return [];
    await this.ready();
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${EVENTS_TABLE} WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      [stream, from.toString(), limit],
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readAfter(options.after, validMaxCount('readAll', options.maxCount));
  }

  subscribeAll(handler: BatchHandler, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const subscription = new PollingSubscription(
      {
        readAfter: (after, maxCount) => this.readAfter(after, maxCount),
        onCommit: (listener) => this.listener.add(listener),
      },
      handler,
      options,
      this.pollIntervalMs,
      (finished) => this.subscriptions.delete(finished),
      this.options.subscriptionRetry ?? DEFAULT_POSTGRES_SUBSCRIPTION_RETRY,
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint | null> {
    this.assertOpen();
    await this.ready();
    const { rows } = await this.pool.query<{ position: string }>(
      `SELECT position FROM ${EVENTS_TABLE} WHERE ${PRODUCT_STREAM_CONDITION} ORDER BY position DESC LIMIT 1`,
    );
    return rows[0] ? BigInt(rows[0].position) : null;
  }

  /** The identity of this log: a UUID created with the schema (see postgres-schema.ts). */
  async identity(): Promise<string> {
    this.assertOpen();
    await this.ready();
    const { rows } = await this.pool.query<{ store_id: string }>(`SELECT store_id FROM ${HEAD_TABLE}`);
    return rows[0]!.store_id;
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.connectTimeoutMs);
    });
    try {
      const check = this.ready().then(async () => {
        await this.pool.query('SELECT 1');
        return true;
      });
      return await Promise.race([check.catch(() => false), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Writes what is queued, stops the subscriptions (waiting for running handlers), then closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.listener.close();
    await this.pool.end();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }

  /** Creates the schema once; a failure (server down) is not remembered, the next call tries again. */
  private ready(): Promise<void> {
    this.schema ??= (async () => {
      const client = await this.pool.connect();
      client.on('error', ignore);
      try {
        await createSchema(client);
        client.off('error', ignore);
        client.release();
      } catch (error) {
        client.off('error', ignore);
        client.release(true);
        throw error;
      }
    })().catch((error: unknown) => {
      this.schema = null;
      throw error;
    });
    return this.schema;
  }

  private async readAfter(after: bigint | undefined, maxCount: number): Promise<RecordedEvent[]> {
    if (maxCount === 0) return [];
    await this.ready();
    // Positions start at 1, so "after 0" is the whole log.
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${EVENTS_TABLE} WHERE position > $1 AND ${PRODUCT_STREAM_CONDITION} ORDER BY position LIMIT $2`,
      [(after ?? 0n).toString(), maxCount],
    );
    return rows.map(toRecordedEvent);
  }

  /** The process's single writer: one transaction after another, each carrying everything queued meanwhile. */
  private async writeQueued(): Promise<void> {
    // Started from append(): let the appends of the same tick join the first transaction.
    await Promise.resolve();
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxAppendsPerTransaction);
      await this.writeBatch(batch);
    }
    this.writer = null;
  }

  private async writeBatch(batch: readonly PendingAppend[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      await this.ready();
      outcomes = await this.inTransaction(batch);
    } catch (error) {
      // The transaction as a whole failed: nothing of it is stored. One bad request must not fail
      // the others queued with it, so a batch is retried request by request; a server that is
      // down fails each of them fast. (A COMMIT whose answer was lost may have been applied: the
      // caller's retry with the same event ids is then answered idempotently.)
      if (batch.length > 1) {
        for (const request of batch) await this.writeBatch([request]);
        return;
      }
      batch[0]!.reject(error);
      return;
    }
    batch.forEach((request, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) request.resolve(outcome.result);
      else request.reject(outcome.error);
    });
  }

  private async inTransaction(batch: readonly PendingAppend[]): Promise<Outcome[]> {
    const client = await this.pool.connect();
    // A checked-out connection that the server drops between two queries emits 'error'; the next
    // query then fails and is handled below. Unlistened, the event would crash the process.
    client.on('error', ignore);
    let healthy = false;
    try {
      await client.query('BEGIN');
      await client.query(DURABLE_COMMIT_SQL);
      // The serialisation point (see the class comment): held until COMMIT.
      const head = await client.query<{ last_position: string }>(`SELECT last_position FROM ${HEAD_TABLE} FOR UPDATE`);
      const before = BigInt(head.rows[0]!.last_position);
      let last = before;
      const outcomes: Outcome[] = [];
      for (const request of batch) {
        try {
          const written = await this.appendLocked(client, request, last);
          last = written.last;
          outcomes.push({ ok: true, result: written.result });
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
          outcomes.push({ ok: false, error });
        }
      }
      if (last !== before) {
        await client.query(`UPDATE ${HEAD_TABLE} SET last_position = $1`, [last.toString()]);
        await client.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, last.toString()]);
      }
      await client.query('COMMIT');
      this.transactions += 1;
      healthy = true;
      return outcomes;
    } finally {
      if (!healthy) await client.query('ROLLBACK').catch(() => undefined);
      // A connection that failed mid-transaction is discarded rather than reused.
      client.off('error', ignore);
      client.release(!healthy);
    }
  }

  /** Inside the locked transaction: checks one append against the log as it is now, then inserts it after `last`. */
  private async appendLocked(client: PoolClient, request: PendingAppend, last: bigint): Promise<{ result: AppendResult; last: bigint }> {
    const { stream, events, expected } = request;
    const ids = events.map((event) => event.id);
    const { rows } = await client.query<{ current: string | null; stored: Array<{ id: string; stream: string; revision: string; position: string }> }>(
      `SELECT (SELECT max(revision) FROM ${EVENTS_TABLE} WHERE stream = $1) AS current,
              COALESCE((SELECT json_agg(json_build_object('id', id, 'stream', stream, 'revision', revision::text, 'position', position::text))
                          FROM ${EVENTS_TABLE} WHERE id = ANY($2::text[])), '[]') AS stored`,
      [stream, ids],
    );
    const current = rows[0]!.current === null ? undefined : BigInt(rows[0]!.current);
    const actual = current ?? 'no-stream';
    if (rows[0]!.stored.length > 0) {
      const byId = new Map(
        rows[0]!.stored.map((row): [string, StoredEventLocation] => [
          row.id,
          { stream: row.stream, revision: BigInt(row.revision), position: BigInt(row.position) },
        ]),
      );
      return { result: idempotentResult(stream, expected, ids.map((id) => byId.get(id)), actual), last };
    }
    if (!revisionMatches(expected, actual)) throw new ConcurrencyError(stream, expected, actual);
    const firstRevision = current === undefined ? 0n : current + 1n;
    const positions = events.map((_, index) => (last + 1n + BigInt(index)).toString());
    const revisions = events.map((_, index) => (firstRevision + BigInt(index)).toString());
    await client.query(
      `INSERT INTO ${EVENTS_TABLE} (position, stream, revision, id, type, data, metadata)
       SELECT position, $2, revision, id, type, data, metadata
         FROM unnest($1::bigint[], $3::bigint[], $4::text[], $5::text[], $6::json[], $7::json[])
           AS appended(position, revision, id, type, data, metadata)`,
      [
        positions,
        stream,
        revisions,
        ids,
        events.map((event) => event.type),
        events.map((event) => JSON.stringify(event.data)),
        events.map((event) => JSON.stringify(event.metadata)),
      ],
    );
    const newLast = last + BigInt(events.length);
    return { result: { lastRevision: firstRevision + BigInt(events.length - 1), position: newLast }, last: newLast };
  }
}

const ignore = (): void => undefined;

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    stream: row.stream,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    id: row.id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
  };
}
