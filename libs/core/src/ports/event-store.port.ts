/**
 * The event store port: an append-only log of streams with optimistic concurrency and a single
 * global order. Adapters: embedded (SQLite file in DATA_DIR) and EventStoreDB.
 *
 * Positions are bigints (EventStoreDB commit positions exceed 2^53 in long-lived clusters);
 * whenever one is stored or sent over the wire it is a decimal string.
 */

/** Who caused an event, and how strongly they were identified. Never a henkilötunnus: citizens are citizenRefs. */
export interface Actor {
  readonly type: 'citizen' | 'agency' | 'auditor' | 'admin' | 'system';
  readonly id: string;
  /** Identification method for citizens (`bank`, `mobile`, `idcard`); `client-credentials`/`dev-token` for machines. */
  readonly method?: string;
  /** Level of assurance (`substantial`, `high`) for citizens. */
  readonly assurance?: string;
  /**
   * A citizen acting on behalf of another person (13/2003 §18): `id` is the agent's citizenRef,
   * this names the person acted for (their citizenRef, never a henkilötunnus) and the mandate.
   */
  readonly actingFor?: { readonly citizenRef: string; readonly mandateId: string; readonly relation: string };
}

export interface EventMetadata {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string;
  /** When the decision was taken (the command's `at`), ISO 8601 UTC. */
  readonly occurredAt: string;
  readonly schemaVersion: number;
  /** SHA-256 (hex) of the previous event of the same stream; 64 zeros for the first event. */
  readonly prevHash: string;
  /** SHA-256 (hex) over the canonical form of this event chained to prevHash; see libs/core/src/integrity. */
  readonly hash: string;
}

export interface EventToAppend {
  /** Deterministic UUID: the same command retried yields the same id, so a retried append is idempotent. */
  readonly id: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent extends EventToAppend {
  readonly stream: string;
  /** 0-based position of the event inside its stream. */
  readonly revision: bigint;
  /** Position in the global log; strictly increasing in append order. */
  readonly position: bigint;
}

/** `no-stream`: the stream must not exist; a bigint: the revision of the stream's last event; `any`: no check. */
export type ExpectedRevision = 'no-stream' | 'any' | bigint;

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  readonly lastRevision: bigint;
  /** Global position of the last appended event. */
  readonly position: bigint;
}

export class ConcurrencyError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no-stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'ConcurrencyError';
  }
}

/**
 * Largest event the product stores, counted as the UTF-8 bytes of its JSON `data` plus `metadata`:
 * EventStoreDB's default record limit, applied by every adapter so that the choice of store never
 * decides which commands succeed.
 */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** An event over MAX_EVENT_BYTES: refused before anything is stored (the HTTP edge answers 413). */
export class EventTooLargeError extends Error {
  constructor(
    readonly stream: string,
    readonly eventType: string,
    readonly bytes: number,
    readonly limit: number = MAX_EVENT_BYTES,
  ) {
    super(`append to ${stream}: event ${eventType} is ${bytes} bytes of JSON data and metadata; the limit is ${limit} bytes`);
    this.name = 'EventTooLargeError';
  }
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive). Default 0. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events strictly after this global position; omitted: from the beginning. */
  readonly after?: bigint;
  readonly maxCount: number;
}

export interface Subscription {
  /** Stops delivery; resolves when no handler call is running any more. */
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this global position; omitted: from the beginning. */
  readonly after?: bigint;
  /** Largest batch handed to the handler at once. */
  readonly maxBatch?: number;
  /** Called when the subscription fails for good (after the adapter's own retries). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Batches are delivered in global order, one handler call at a time; the next batch waits for
 * the previous promise. A handler that throws stops the subscription (onError is called).
 */
export type BatchHandler = (events: readonly RecordedEvent[]) => Promise<void>;

export interface EventStore {
  /** Appends atomically and durably (the promise resolves only once the events survive a crash). */
  append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order; empty when the stream does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of all of this product's streams in global order. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up then live subscription to all of this product's streams. */
  subscribeAll(handler: BatchHandler, options?: SubscribeOptions): Subscription;
  /** Global position of the newest event, or null when the log is empty. */
  headPosition(): Promise<bigint | null>;
  /**
   * A stable identifier of this log, created with it (a UUID): read stores record it beside their
   * checkpoints, so that read models built from one log are never served over another.
   */
  identity(): Promise<string>;
  /** Whether the store is reachable (health endpoint). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
