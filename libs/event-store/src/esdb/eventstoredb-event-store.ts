import {
  AccessDeniedError,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NotLeaderError,
  START,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import type {
  AppendResult,
  BatchHandler,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '@asiointitili/core';
import { assertAppendable } from '../append-validation';
import { validFromRevision, validMaxCount } from '../read-limits';
import { fromResolvedEvent, toConcurrencyError, toEsdbExpectedRevision, toEventData } from './esdb-event-mapping';
import { clientConnectionString } from './cluster-connection';
import { DEFAULT_RETRY_POLICY, ReconnectingSubscription, type RetryPolicy } from './reconnecting-subscription';
import { allReadDeniedError, EventStoreServerError, isSupportedServerVersion, unsupportedVersionError, withDeadline } from './server-check';
import { StreamNamespace } from './stream-namespace';

export interface EventStoreDbEventStoreOptions {
  /** Reconnection of subscriptions; default: without end, capped exponential back-off with jitter. */
  readonly subscriptionRetry?: RetryPolicy;
  /** Events fetched per request when scanning $all (readAll, headPosition). Default 512. */
  readonly pageSize?: number;
  /** Deadline of the health check, in ms. Default 2000. */
  readonly pingDeadlineMs?: number;
  /** EVENTSTORE_STREAM_NAMESPACE (stream-namespace.ts); default none. */
  readonly namespace?: string;
  /** How long verifyServer keeps trying to reach the cluster at start, in ms. Default 30000. */
  readonly startCheckMs?: number;
  /** The user of the connection string, named in permission errors. */
  readonly user?: string;
}

/**
 * The part of the client the adapter uses: the real EventStoreDBClient, or a fake of it in unit
 * tests. `capabilities` is the client's (protected) cached ServerFeatures answer.
 */
export type EsdbClient = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'>;

/** Errors after which the client has already reconnected (to the new leader, or another node): worth one more try. */
const isFailOver = (error: unknown): boolean => error instanceof NotLeaderError || error instanceof UnavailableError;

/** Where the log's identity is kept (EventStore.identity); not a product stream. */
const LOG_IDENTITY_STREAM = 'asiointitili-log-identity';


/** An $all position as the client wants it: for gRPC appends, commit and prepare positions coincide. */
const allPosition = (position: bigint | undefined): ReadPosition =>
  position === undefined ? START : { commit: position, prepare: position };

/**
 * The production event store: EventStoreDB through `@eventstore/db-client` (gRPC).
 *
 * Durability and ordering are the server's: an append is acknowledged once the cluster's quorum
 * has written it, retried appends with the same event ids are idempotent on the server, and
 * WrongExpectedVersionError becomes the port's ConcurrencyError. EventStoreDB 6-23's client has no
 * server-side filter for reads of $all, so readAll and headPosition page through $all and keep the
 * product's streams; subscriptions filter on the server.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<ReconnectingSubscription<AllStreamResolvedEvent>>();
  private readonly pageSize: number;
  private readonly namespace: StreamNamespace;
  private closed = false;

  constructor(
    private readonly client: EsdbClient,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 512;
    if (!Number.isSafeInteger(this.pageSize) || this.pageSize < 2) throw new RangeError('pageSize must be an integer of at least 2');
    this.namespace = new StreamNamespace(options.namespace ?? '');
  }

  /**
   * A client for an `esdb://` or `esdb+discover://` connection string (validate it with
   * parseEventStoreUrl first). Several hosts after `+discover` become gossip seeds (cluster-connection.ts).
   */
  static connect(connectionString: string, options: EventStoreDbEventStoreOptions = {}): EventStoreDbEventStore {
    const user = options.user ?? /^esdb(?:\+discover)?:\/\/([^:@/]+)(?::[^@/]*)?@/.exec(connectionString)?.[1];
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(clientConnectionString(connectionString)), { ...options, user });
  }

  /**
   * An append that fails with NotLeader (the leader moved) or Unavailable (the node went away) is
   * tried once more: the client has already switched to the new leader (or reconnected through
   * discovery) before it threw. The second try sends the same event ids and the same expected
   * revision, so if the first one was in fact written, the server answers it idempotently
   * (without a position; located below) or with WrongExpectedVersion — never a second copy.
   */
  async append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    assertAppendable(stream, events);
    const serverStream = this.namespace.toServer(stream);
    const data = events.map(toEventData);
    const once = () => this.client.appendToStream(serverStream, data, { expectedRevision: toEsdbExpectedRevision(expected) });
    try {
      const result = await once().catch((error: unknown) => {
        if (isFailOver(error)) return once();
        throw error;
      });
      if (result.position) return { lastRevision: result.nextExpectedRevision, position: result.position.commit };
      // An idempotent retry is acknowledged without a position: find the original events.
      return await this.locate(stream, events[events.length - 1]!.id);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw toConcurrencyError(stream, expected, error.actualVersion);
      throw error;
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const fromRevision = validFromRevision(options.fromRevision ?? 0n);
    const maxCount = options.maxCount === undefined ? undefined : validMaxCount('readStream', options.maxCount);
    if (maxCount === 0) return [];
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(this.namespace.toServer(stream), { fromRevision, direction: FORWARDS, ...(maxCount === undefined ? {} : { maxCount }) })) {
        const event = this.ofStream(stream, resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = validMaxCount('readAll', options.maxCount);
    const found: RecordedEvent[] = [];
    let cursor = options.after;
    while (found.length < maxCount) {
      // Reading $all from a position includes the event at that position: skip up to the cursor.
      const page = await this.readAllPage(allPosition(cursor), FORWARDS);
      for (const resolved of page) {
        const position = resolved.event?.position.commit ?? resolved.commitPosition;
        if (position === undefined || (cursor !== undefined && position <= cursor)) continue;
        cursor = position;
        const event = this.ofAll(resolved);
        if (event) found.push(event);
        if (found.length === maxCount) break;
      }
      if (page.length < this.pageSize) break;
    }
    return found;
  }

  subscribeAll(handler: BatchHandler, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const subscription = new ReconnectingSubscription<AllStreamResolvedEvent>(
      {
        // The product's streams are selected on the server, so system and foreign events never cross the wire.
        open: (after) => this.client.subscribeToAll({ fromPosition: allPosition(after), filter: streamNameFilter({ prefixes: this.namespace.serverPrefixes() }) }),
        convert: (resolved) => this.ofAll(resolved),
      },
      handler,
      options,
      this.options.subscriptionRetry ?? DEFAULT_RETRY_POLICY,
      (finished) => this.subscriptions.delete(finished),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint | null> {
    this.assertOpen();
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.readAllPage(from, BACKWARDS);
      for (const resolved of page) {
        if (resolved.event && this.namespace.fromServer(resolved.event.streamId) !== null) return resolved.event.position.commit;
      }
      const oldest = page[page.length - 1]?.event?.position;
      if (page.length < this.pageSize || !oldest) return null;
      // Reading backwards from a position includes it again; the check above already looked at it.
      from = oldest;
    }
  }

  /**
   * The log's identity: a UUID in the first event of LOG_IDENTITY_STREAM, written by the first
   * process that asks (the others lose the 'no-stream' race and read the winner's). The stream has
   * no product prefix, so readAll and subscriptions never deliver it.
   */
  async identity(): Promise<string> {
    this.assertOpen();
    const recorded = await this.readIdentity();
    if (recorded) return recorded;
    try {
      await this.client.appendToStream(this.namespace.toServer(LOG_IDENTITY_STREAM), jsonEvent({ type: 'LogIdentityRecorded', data: { identity: randomUUID() } }), {
        expectedRevision: 'no_stream',
      });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
    const identity = await this.readIdentity();
    if (!identity) throw new Error(`EventStoreDB: ${LOG_IDENTITY_STREAM} has no identity after writing it`);
    return identity;
  }

  private async readIdentity(): Promise<string | null> {
    try {
      for await (const resolved of this.client.readStream(this.namespace.toServer(LOG_IDENTITY_STREAM), { fromRevision: START, direction: FORWARDS, maxCount: 1 })) {
        const data = resolved.event?.data as { identity?: unknown } | undefined;
        if (typeof data?.identity === 'string') return data.identity;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return null;
  }

  /**
   * Bounded by a deadline of our own: the client overrides a read's `deadline` option with
   * Infinity (dist/streams/readAll.js), so a node that accepts the connection and never answers
   * would hang /health. On time-out the read is cancelled and the answer is false.
   */
  async ping(): Promise<boolean> {
    if (this.closed) return false;
    try {
      await this.probeAll(this.options.pingDeadlineMs ?? 2000);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Checked once at start (runtime), before anything follows the log: the server is at least
   * MINIMUM_SERVER_VERSION, and this user may read $all (which a least-privilege user may not
   * unless granted). A definite failure stops the start with what to upgrade or grant; a cluster
   * that cannot be reached is tried again for `startCheckMs`, then the start fails too (the
   * process manager of the platform restarts it). See server-check.ts for the sources.
   */
  async verifyServer(): Promise<{ readonly version: string }> {
    this.assertOpen();
    const until = Date.now() + (this.options.startCheckMs ?? 30_000);
    for (let attempt = 1; ; attempt++) {
      try {
        const version = await withDeadline(this.serverVersion(), 5000, 'EventStoreDB (server version)');
        if (!isSupportedServerVersion(version)) throw unsupportedVersionError(version);
        await this.probeAll(5000);
        return { version };
      } catch (error) {
        if (error instanceof EventStoreServerError) throw error;
        if (error instanceof AccessDeniedError) throw allReadDeniedError(this.options.user);
        if (Date.now() >= until) {
          throw new EventStoreServerError(`EventStoreDB could not be reached at start: ${error instanceof Error ? error.message : String(error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** (attempt - 1), 5000)));
      }
    }
  }

  private async serverVersion(): Promise<string> {
    const capabilities = (this.client as unknown as { capabilities?: Promise<{ serverVersion: string }> }).capabilities;
    if (!capabilities) return 'unknown';
    return (await capabilities).serverVersion;
  }

  /** Reads the newest event of $all under our own deadline, cancelling the read when it runs out. */
  private async probeAll(deadlineMs: number): Promise<void> {
    const read = this.client.readAll({ maxCount: 1, direction: BACKWARDS, fromPosition: END });
    const drain = (async () => {
      for await (const _ of read) break;
    })();
    // On time-out the abandoned read may still fail later: that failure is of no interest any more.
    drain.catch(() => undefined);
    await withDeadline(drain, deadlineMs, 'EventStoreDB', () => void read.cancel().catch(() => undefined));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }

  private async readAllPage(fromPosition: ReadPosition, direction: typeof FORWARDS | typeof BACKWARDS): Promise<AllStreamResolvedEvent[]> {
    const page: AllStreamResolvedEvent[] = [];
    for await (const resolved of this.client.readAll({ fromPosition, direction, maxCount: this.pageSize })) page.push(resolved);
    return page;
  }

  /** An event read from a known product stream, under the product's name of the stream. */
  private ofStream(stream: string, resolved: ResolvedEvent): RecordedEvent | null {
    const event = fromResolvedEvent(resolved);
    return event ? { ...event, stream } : null;
  }

  /** An event read from $all, when it belongs to one of this product's streams (in this namespace). */
  private ofAll(resolved: AllStreamResolvedEvent): RecordedEvent | null {
    const stream = resolved.event ? this.namespace.fromServer(resolved.event.streamId) : null;
    if (stream === null) return null;
    const event = fromResolvedEvent(resolved);
    return event ? { ...event, stream } : null;
  }

  /** Revision and position of an already stored event of `stream`, searched from the newest end. */
  private async locate(stream: string, id: string): Promise<AppendResult> {
    for await (const resolved of this.client.readStream(this.namespace.toServer(stream), { fromRevision: END, direction: BACKWARDS })) {
      const event = this.ofStream(stream, resolved);
      if (event?.id === id) return { lastRevision: event.revision, position: event.position };
    }
    throw new Error(`EventStoreDB acknowledged an append to ${stream} but its event ${id} cannot be found`);
  }
}
