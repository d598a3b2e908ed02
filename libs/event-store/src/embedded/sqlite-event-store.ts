import type Database from 'better-sqlite3';
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
import { idempotentResult, revisionMatches, type PendingAppend, type StoredEventLocation } from '../idempotent-append';
import { PRODUCT_STREAM_PREFIXES } from '../product-streams';
import { validFromRevision, validMaxCount } from '../read-limits';
import { onCommit, signalCommit } from './commit-signal';
import { PollingSubscription } from '../polling-subscription';
import { LimitedStatements } from './limited-statements';
import { openEventsFile } from './sqlite-file';

export interface SqliteEventStoreOptions {
  /** How often a live subscription looks for appends made by another process (the CLI). Default 500 ms. */
  readonly pollIntervalMs?: number;
  /** How long a write waits for another process's write lock before failing. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
}

/** Counters of the write path, for metrics and for the tests that prove group commit. */
export interface WriteStatistics {
  /** Committed write transactions, i.e. fsyncs of the WAL. */
  readonly transactions: number;
  /** append() calls that those transactions carried (successful, idempotent or in conflict). */
  readonly appends: number;
}

/** An append waiting for the next group commit, with its events' JSON made once in append(). */
type SerializedAppend = PendingAppend & { readonly rows: ReadonlyArray<{ readonly data: string; readonly metadata: string }> };

type Outcome = { readonly ok: true; readonly result: AppendResult; readonly wrote: boolean } | { readonly ok: false; readonly error: unknown };

interface EventRow {
  readonly position: bigint;
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

const COLUMNS = 'position, stream, revision, id, type, data, metadata';

/** SQL that keeps the product's streams only (the same rule as EventStoreDB's server-side filter). */
const PRODUCT_STREAM_CONDITION = `(${PRODUCT_STREAM_PREFIXES.map(
  (prefix) => `substr(stream, 1, ${prefix.length}) = '${prefix.replace(/'/g, "''")}'`,
).join(' OR ')})`;

const READ_STREAM_SQL = `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision`;
const READ_ALL_SQL = `SELECT ${COLUMNS} FROM events WHERE position > ? AND ${PRODUCT_STREAM_CONDITION} ORDER BY position`;

/**
 * The embedded event store: one SQLite file, `<dataDir>/events.sqlite`, in WAL mode with a full
 * fsync per commit (see sqlite-file.ts for why).
 *
 * Group commit: append() only queues its request; all requests that arrive before the event loop's
 * next check phase (setImmediate) are written by one IMMEDIATE transaction, so one fsync covers
 * them all. Each request runs inside its own savepoint and is validated against the log as it is
 * at that moment, including the requests before it in the same batch: each caller gets its own
 * result or its own ConcurrencyError, exactly as if the appends had been made one by one.
 */
export class SqliteEventStore implements EventStore {
  private pending: SerializedAppend[] = [];
  private scheduledFlush: NodeJS.Immediate | null = null;
  private closed = false;
  private transactions = 0;
  private appendsWritten = 0;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly pollIntervalMs: number;

  private readonly lastRevisionStatement: Database.Statement<[string], { revision: bigint }>;
  private readonly locationByIdStatement: Database.Statement<[string], StoredEventLocation>;
  private readonly insertStatement: Database.Statement<[string, bigint, string, string, string, string]>;
  private readonly readStreamStatement: Database.Statement<[string, bigint], EventRow>;
  private readonly limitedReads: LimitedStatements<EventRow>;
  private readonly headStatement: Database.Statement<[], { position: bigint }>;
  private readonly writeBatch: Database.Transaction<(batch: readonly SerializedAppend[]) => Outcome[]>;
  private readonly writeOne: Database.Transaction<(request: SerializedAppend) => { result: AppendResult; wrote: boolean }>;

  private constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    options: SqliteEventStoreOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.lastRevisionStatement = db.prepare('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1');
    this.locationByIdStatement = db.prepare('SELECT stream, revision, position FROM events WHERE id = ?');
    this.insertStatement = db.prepare('INSERT INTO events (stream, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
    this.readStreamStatement = db.prepare(READ_STREAM_SQL);
    this.limitedReads = new LimitedStatements(db);
    this.headStatement = db.prepare(`SELECT position FROM events WHERE ${PRODUCT_STREAM_CONDITION} ORDER BY position DESC LIMIT 1`);
    // Nested inside writeBatch, better-sqlite3 runs writeOne as a SAVEPOINT: a request that throws
    // rolls back its own inserts only.
    this.writeOne = db.transaction((request: SerializedAppend) => this.appendInsideTransaction(request));
    this.writeBatch = db.transaction((batch: readonly SerializedAppend[]) =>
      batch.map((request): Outcome => {
        try {
          return { ok: true, ...this.writeOne(request) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  /** Opens `<dataDir>/events.sqlite`, creating the directory and the file when missing; refuses a damaged file. */
  static open(dataDir: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    const { db, file } = openEventsFile(dataDir, options.busyTimeoutMs ?? 5000);
    return new SqliteEventStore(db, file, options);
  }

  get statistics(): WriteStatistics {
    return { transactions: this.transactions, appends: this.appendsWritten };
  }

  append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      if (this.closed) throw new Error('event store is closed');
      // Serialised once: measured here, stored as is in the transaction.
      const rows = events.map((event) => ({ data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) }));
      assertAppendable(stream, events, rows);
      this.pending.push({ stream, events, expected, resolve, reject, rows });
      this.scheduledFlush ??= setImmediate(() => this.flush());
    });
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const from = validFromRevision(options.fromRevision ?? 0n);
    const rows =
      options.maxCount === undefined
        ? this.readStreamStatement.all(stream, from)
        : this.limitedReads.get(READ_STREAM_SQL, validMaxCount('readStream', options.maxCount)).all(stream, from);
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
        onCommit: (listener) => onCommit(this.file, listener),
      },
      handler,
      options,
      this.pollIntervalMs,
      (finished) => this.subscriptions.delete(finished),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint | null> {
    this.assertOpen();
    return this.headStatement.get()?.position ?? null;
  }

  async identity(): Promise<string> {
    this.assertOpen();
    return (this.db.prepare('SELECT id FROM log_identity').get() as { id: string }).id;
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    try {
      this.headStatement.get();
      return true;
    } catch {
      return false;
    }
  }

  /** Writes what is queued, stops the subscriptions (waiting for running handlers), then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.scheduledFlush) {
      clearImmediate(this.scheduledFlush);
      this.flush();
    }
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }

  private readAfter(after: bigint | undefined, maxCount: number): RecordedEvent[] {
    if (maxCount === 0) return [];
    // Positions start at 1 (AUTOINCREMENT), so "after 0" is the whole log.
    return this.limitedReads.get(READ_ALL_SQL, maxCount).all(after ?? 0n).map(toRecordedEvent);
  }

  /** One transaction, one fsync, for every append queued since the last flush. */
  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.scheduledFlush = null;
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = this.writeBatch.immediate(batch);
    } catch (error) {
      // The commit itself failed (disk full, I/O error, lock timeout): nothing of the batch is durable.
      for (const request of batch) request.reject(error);
      return;
    }
    this.transactions += 1;
    this.appendsWritten += batch.length;
    batch.forEach((request, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) request.resolve(outcome.result);
      else request.reject(outcome.error);
    });
    if (outcomes.some((outcome) => outcome.ok && outcome.wrote)) signalCommit(this.file);
  }

  /** Runs inside the batch transaction: validates one request against the log as it is now, then inserts. */
  private appendInsideTransaction(request: SerializedAppend): { result: AppendResult; wrote: boolean } {
    const { stream, events, expected, rows } = request;
    const current = this.lastRevisionStatement.get(stream)?.revision;
    const actual = current ?? 'no-stream';
    const stored = events.map((event) => this.locationByIdStatement.get(event.id));
    if (stored.some((location) => location !== undefined)) {
      return { result: idempotentResult(stream, expected, stored, actual), wrote: false };
    }
    if (!revisionMatches(expected, actual)) throw new ConcurrencyError(stream, expected, actual);
    const first = current === undefined ? 0n : current + 1n;
    let position = 0n;
    events.forEach((event, index) => {
      const info = this.insertStatement.run(
        stream,
        first + BigInt(index),
        event.id,
        event.type,
        rows[index]!.data,
        rows[index]!.metadata,
      );
      position = BigInt(info.lastInsertRowid);
    });
    return { result: { lastRevision: first + BigInt(events.length - 1), position }, wrote: true };
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data) as RecordedEvent['data'],
    metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
  };
}
