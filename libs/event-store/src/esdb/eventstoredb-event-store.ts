import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type ReadPosition,
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
import { PRODUCT_STREAM_PREFIXES, isProductStream } from '../product-streams';
import { validFromRevision, validMaxCount } from '../read-limits';
import { fromResolvedEvent, toConcurrencyError, toEsdbExpectedRevision, toEventData } from './esdb-event-mapping';
import { DEFAULT_RETRY_POLICY, ReconnectingSubscription, type RetryPolicy } from './reconnecting-subscription';

export interface EventStoreDbEventStoreOptions {
  /** Reconnection of subscriptions; default 5 retries with 250 ms doubling up to 5 s. */
  readonly subscriptionRetry?: RetryPolicy;
  /** Events fetched per request when scanning $all (readAll, headPosition). Default 512. */
  readonly pageSize?: number;
  /** Deadline of the health check, in ms. Default 2000. */
  readonly pingDeadlineMs?: number;
}

/** Where the log's identity is kept (EventStore.identity); not a product stream. */
const LOG_IDENTITY_STREAM = 'asiointitili-log-identity';

/** The product's streams, selected on the server so that system and foreign events never cross the wire. */
const productStreamFilter = () => streamNameFilter({ prefixes: [...PRODUCT_STREAM_PREFIXES] });

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
  private closed = false;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 512;
    if (!Number.isSafeInteger(this.pageSize) || this.pageSize < 2) throw new RangeError('pageSize must be an integer of at least 2');
  }

  /** A client for an `esdb://` or `esdb+discover://` connection string (validate it with parseEventStoreUrl first). */
  static connect(connectionString: string, options: EventStoreDbEventStoreOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    assertAppendable(stream, events);
    try {
      const result = await this.client.appendToStream(stream, events.map(toEventData), {
        expectedRevision: toEsdbExpectedRevision(expected),
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
      for await (const resolved of this.client.readStream(stream, { fromRevision, direction: FORWARDS, ...(maxCount === undefined ? {} : { maxCount }) })) {
        const event = fromResolvedEvent(resolved);
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
        if (!resolved.event || !isProductStream(resolved.event.streamId)) continue;
        const event = fromResolvedEvent(resolved);
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
        open: (after) => this.client.subscribeToAll({ fromPosition: allPosition(after), filter: productStreamFilter() }),
        convert: (resolved) => (resolved.event && isProductStream(resolved.event.streamId) ? fromResolvedEvent(resolved) : null),
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
        if (resolved.event && isProductStream(resolved.event.streamId)) return resolved.event.position.commit;
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
      await this.client.appendToStream(LOG_IDENTITY_STREAM, jsonEvent({ type: 'LogIdentityRecorded', data: { identity: randomUUID() } }), {
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
      for await (const resolved of this.client.readStream(LOG_IDENTITY_STREAM, { fromRevision: START, direction: FORWARDS, maxCount: 1 })) {
        const data = resolved.event?.data as { identity?: unknown } | undefined;
        if (typeof data?.identity === 'string') return data.identity;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return null;
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    try {
      for await (const _ of this.client.readAll({ maxCount: 1, direction: BACKWARDS, fromPosition: END, deadline: this.options.pingDeadlineMs ?? 2000 })) {
        break;
      }
      return true;
    } catch {
      return false;
    }
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

  /** Revision and position of an already stored event of `stream`, searched from the newest end. */
  private async locate(stream: string, id: string): Promise<AppendResult> {
    for await (const resolved of this.client.readStream(stream, { fromRevision: END, direction: BACKWARDS })) {
      const event = fromResolvedEvent(resolved);
      if (event?.id === id) return { lastRevision: event.revision, position: event.position };
    }
    throw new Error(`EventStoreDB acknowledged an append to ${stream} but its event ${id} cannot be found`);
  }
}
