import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConcurrencyError,
  EventTooLargeError,
  MAX_EVENT_BYTES,
  verifyChain,
  type EventStore,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '@asiointitili/core';
import { EventStoreDbEventStore, PostgresEventStore, SqliteEventStore } from '@asiointitili/event-store';
import { chainedEvents } from '../../libs/event-store/src/testing/chained-events';
import { createTestDatabase, describeWithPostgres } from '../support/postgres';
import { describeWithServer, uniqueSuffix } from '../support/server-suites';

/**
 * One behaviour, every adapter: the embedded SQLite store always, PostgreSQL when the machine's
 * server answers (a database of this run's own), EventStoreDB when EVENTSTORE_URL is set. A real server keeps its data between runs and may be shared, so every test writes to
 * streams named after this run and judges only those, or only positions after its own start.
 */
export interface EventStoreFixture {
  /** Opens a store on the fixture's storage; opening again after close() sees the same log (a restart). */
  open(): Promise<EventStore>;
  /** Removes what the fixture created (a temporary directory); a server keeps its data. */
  dispose(): Promise<void>;
}

export function eventStoreContract(adapterName: string, createFixture: () => Promise<EventStoreFixture>): void {
  const rule = (text: string): string => `[${adapterName}] ${text}`;
  const run = uniqueSuffix();
  let sequence = 0;
  /** A product stream (the stores deliver only those through readAll/subscribeAll) unique to this run. */
  const newStream = (kind: 'message' | 'account' | 'agency' = 'message'): string => `${kind}-contract-${run}-${++sequence}`;

  let fixture: EventStoreFixture;
  let store: EventStore;
  const openSubscriptions: Subscription[] = [];

  beforeAll(async () => {
    fixture = await createFixture();
    store = await fixture.open();
  });

  afterEach(async () => {
    await Promise.all(openSubscriptions.splice(0).map((subscription) => subscription.stop()));
  });

  afterAll(async () => {
    await store?.close();
    await fixture?.dispose();
  });

  /** Collects delivered events of the given streams and resolves waits once enough have come. */
  function collect(streams: readonly string[], options: SubscribeOptions = {}) {
    const mine = new Set(streams);
    const received: RecordedEvent[] = [];
    const allPositions: bigint[] = [];
    const batchSizes: number[] = [];
    let waiters: Array<{ readonly count: number; readonly resolve: () => void }> = [];
    const subscription = store.subscribeAll(async (batch) => {
      batchSizes.push(batch.length);
      for (const event of batch) {
        allPositions.push(event.position);
        if (mine.has(event.stream)) received.push(event);
      }
      waiters = waiters.filter((waiter) => (received.length >= waiter.count ? (waiter.resolve(), false) : true));
    }, options);
    openSubscriptions.push(subscription);
    const until = (count: number): Promise<void> =>
      received.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }));
    return { subscription, received, allPositions, batchSizes, until };
  }

  const ids = (events: readonly { readonly id: string }[]): string[] => events.map((event) => event.id);

  function expectStrictlyIncreasing(positions: readonly bigint[]): void {
    positions.slice(1).forEach((position, index) => expect(position > positions[index]!).toBe(true));
  }

  async function expectConflict(promise: Promise<unknown>, stream: string, actual: bigint | 'no-stream'): Promise<void> {
    const error = await promise.then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect((error as ConcurrencyError).stream).toBe(stream);
    expect((error as ConcurrencyError).actual).toBe(actual);
  }

  describe(`event store contract: ${adapterName}`, () => {
    describe('append', () => {
      it(rule("appends to a new stream with 'no-stream' and returns the last revision and position"), async () => {
        const stream = newStream();
        const result = await store.append(stream, chainedEvents(stream, 3), 'no-stream');
        expect(result.lastRevision).toBe(2n);
        expect(typeof result.position).toBe('bigint');
        const stored = await store.readStream(stream);
        expect(stored.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
        expect(stored[2]!.position).toBe(result.position);
      });

      it(rule("rejects 'no-stream' on an existing stream with a ConcurrencyError naming the actual revision"), async () => {
        const stream = newStream();
        const events = chainedEvents(stream, 2);
        await store.append(stream, events.slice(0, 1), 'no-stream');
        await expectConflict(store.append(stream, events.slice(1), 'no-stream'), stream, 0n);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it(rule('rejects an expected revision behind the stream (a stale decision)'), async () => {
        const stream = newStream();
        const events = chainedEvents(stream, 3);
        await store.append(stream, events.slice(0, 2), 'no-stream');
        await expectConflict(store.append(stream, events.slice(2), 0n), stream, 1n);
      });

      it(rule('rejects an expected revision ahead of the stream'), async () => {
        const stream = newStream();
        const events = chainedEvents(stream, 2);
        await store.append(stream, events.slice(0, 1), 'no-stream');
        await expectConflict(store.append(stream, events.slice(1), 5n), stream, 0n);
      });

      it(rule("rejects an expected revision on a missing stream, reporting 'no-stream'"), async () => {
        const stream = newStream();
        await expectConflict(store.append(stream, chainedEvents(stream, 1), 0n), stream, 'no-stream');
        expect(await store.readStream(stream)).toEqual([]);
      });

      it(rule("appends with 'any' to a missing and to an existing stream without a check"), async () => {
        const stream = newStream();
        const events = chainedEvents(stream, 3);
        expect((await store.append(stream, events.slice(0, 1), 'any')).lastRevision).toBe(0n);
        expect((await store.append(stream, events.slice(1), 'any')).lastRevision).toBe(2n);
      });

      it(rule('numbers revisions 0..n per stream and gives strictly increasing global positions'), async () => {
        const first = newStream();
        const second = newStream('account');
        const a = chainedEvents(first, 4);
        const b = chainedEvents(second, 2);
        const results = [
          await store.append(first, a.slice(0, 2), 'no-stream'),
          await store.append(second, b, 'no-stream'),
          await store.append(first, a.slice(2), 1n),
        ];
        expectStrictlyIncreasing(results.map((result) => result.position));
        const firstStream = await store.readStream(first);
        expect(firstStream.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n]);
        expectStrictlyIncreasing(firstStream.map((event) => event.position));
        expect((await store.readStream(second)).map((event) => event.revision)).toEqual([0n, 1n]);
      });

      it(rule('treats a retried append with the same event ids at the same positions as done, without duplicates'), async () => {
        const stream = newStream();
        const events = chainedEvents(stream, 3);
        const first = await store.append(stream, events.slice(0, 2), 'no-stream');
        const retried = await store.append(stream, events.slice(0, 2), 'no-stream');
        expect(retried).toEqual(first);
        const next = await store.append(stream, events.slice(2), 1n);
        // The retry of the second command still finds its event where it was written.
        expect(await store.append(stream, events.slice(2), 1n)).toEqual(next);
        expect(ids(await store.readStream(stream))).toEqual(ids(events));
      });

      it(rule('rejects known event ids claimed at other positions'), async () => {
        const stream = newStream();
        const events = chainedEvents(stream, 2);
        await store.append(stream, events, 'no-stream');
        // events[1] is stored at revision 1; this append claims it as the stream's first event.
        await expectConflict(store.append(stream, events.slice(1), 'no-stream'), stream, 1n);
        expect(ids(await store.readStream(stream))).toEqual(ids(events));
      });

      it(rule('lets exactly one of several concurrent appends with the same expected revision win'), async () => {
        const stream = newStream();
        await store.append(stream, chainedEvents(stream, 1), 'no-stream');
        const contenders = Array.from({ length: 5 }, (_, index) => chainedEvents(stream, 2, undefined, `contender-${index}`).slice(1));
        const outcomes = await Promise.allSettled(contenders.map((events) => store.append(stream, events, 0n)));
        const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const losers = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(4);
        losers.forEach((loser) => expect(loser.reason).toBeInstanceOf(ConcurrencyError));
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it(rule('accepts concurrent appends to different streams, each with its own position'), async () => {
        const streams = Array.from({ length: 12 }, () => newStream());
        const results = await Promise.all(streams.map((stream) => store.append(stream, chainedEvents(stream, 2), 'no-stream')));
        results.forEach((result) => expect(result.lastRevision).toBe(1n));
        expect(new Set(results.map((result) => result.position)).size).toBe(streams.length);
        for (const stream of streams) expect(await store.readStream(stream)).toHaveLength(2);
      });

      it(rule('refuses an append without events and one that repeats an event id, storing nothing'), async () => {
        const stream = newStream();
        const [event] = chainedEvents(stream, 1);
        await expect(store.append(stream, [], 'no-stream')).rejects.toThrow(/no events/);
        await expect(store.append(stream, [event!, event!], 'no-stream')).rejects.toThrow(/occurs twice/);
        expect(await store.readStream(stream)).toEqual([]);
      });

      it(rule('refuses an event over 1 MiB of JSON data and metadata with EventTooLargeError, storing nothing of the append'), async () => {
        const stream = newStream();
        const [small, large] = chainedEvents(stream, 2);
        const oversized = { ...large!, data: { blob: 'x'.repeat(MAX_EVENT_BYTES) } };
        const error = await store.append(stream, [small!, oversized], 'no-stream').then(
          () => null,
          (reason: unknown) => reason,
        );
        expect(error).toBeInstanceOf(EventTooLargeError);
        expect((error as EventTooLargeError).message).toMatch(/limit is 1048576 bytes/);
        expect(await store.readStream(stream)).toEqual([]);
      });

      it(rule('accepts a large event below the size limit (800 kB of non-ASCII text) and returns it intact'), async () => {
        const stream = newStream();
        const [event] = chainedEvents(stream, 1);
        const big = { ...event!, data: { blob: 'ä'.repeat(400_000) } }; // 800 000 bytes of UTF-8
        await store.append(stream, [big], 'no-stream');
        expect((await store.readStream(stream))[0]!.data).toEqual(big.data);
      });
    });

    describe('identity', () => {
      it(rule('has an identity that stays the same across a restart'), async () => {
        const identity = await store.identity();
        expect(identity).toMatch(/^[0-9a-f-]{36}$/);
        const reopened = await fixture.open();
        try {
          expect(await reopened.identity()).toBe(identity);
        } finally {
          await reopened.close();
        }
      });
    });

    describe('reading', () => {
      it(rule('reads a missing stream as empty'), async () => {
        expect(await store.readStream(newStream())).toEqual([]);
      });

      it(rule('reads a stream from a revision and up to maxCount'), async () => {
        const stream = newStream();
        await store.append(stream, chainedEvents(stream, 5), 'no-stream');
        const revisions = async (options: { fromRevision?: bigint; maxCount?: number }) =>
          (await store.readStream(stream, options)).map((event) => event.revision);
        expect(await revisions({ fromRevision: 2n })).toEqual([2n, 3n, 4n]);
        expect(await revisions({ maxCount: 2 })).toEqual([0n, 1n]);
        expect(await revisions({ fromRevision: 1n, maxCount: 3 })).toEqual([1n, 2n, 3n]);
        expect(await revisions({ fromRevision: 5n })).toEqual([]);
        expect(await revisions({ maxCount: 0 })).toEqual([]);
      });

      it(rule('reads all streams in global order strictly after a position, up to maxCount'), async () => {
        const before = (await store.headPosition()) ?? undefined;
        const first = newStream();
        const second = newStream('agency');
        const a = chainedEvents(first, 3);
        await store.append(first, a.slice(0, 2), 'no-stream');
        await store.append(second, chainedEvents(second, 2), 'no-stream');
        await store.append(first, a.slice(2), 1n);
        const mine = (events: readonly RecordedEvent[]) => events.filter((event) => event.stream === first || event.stream === second);

        const everything = await store.readAll({ after: before, maxCount: 10_000 });
        expect(mine(everything).map((event) => `${event.stream === first ? 'a' : 'b'}${event.revision}`)).toEqual(['a0', 'a1', 'b0', 'b1', 'a2']);
        expectStrictlyIncreasing(everything.map((event) => event.position));
        if (before !== undefined) everything.forEach((event) => expect(event.position > before).toBe(true));

        const limited = await store.readAll({ after: before, maxCount: 2 });
        expect(limited).toEqual(everything.slice(0, 2));

        const secondOwn = mine(everything)[1]!;
        const after = mine(await store.readAll({ after: secondOwn.position, maxCount: 10_000 }));
        expect(after.map((event) => event.id)).toEqual(mine(everything).slice(2).map((event) => event.id));
        expect(await store.readAll({ after: before, maxCount: 0 })).toEqual([]);
      });

      it(rule('reports the head position at or after the last append'), async () => {
        const stream = newStream();
        const result = await store.append(stream, chainedEvents(stream, 1), 'no-stream');
        const head = await store.headPosition();
        expect(head).not.toBeNull();
        expect(head! >= result.position).toBe(true);
      });

      it(rule('returns metadata and data exactly as appended, so the hash chain verifies after reading back'), async () => {
        const stream = newStream();
        const events = chainedEvents(stream, 5);
        // Cursors are only ever positions the store gave out (a real server's positions are not consecutive).
        const before = (await store.headPosition()) ?? undefined;
        await store.append(stream, events.slice(0, 2), 'no-stream');
        await store.append(stream, events.slice(2), 1n);
        const stored = await store.readStream(stream);
        expect(stored.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))).toEqual(events);
        expect(verifyChain(stored)).toBeNull();
        const viaAll = (await store.readAll({ after: before, maxCount: 10_000 })).filter((event) => event.stream === stream);
        expect(viaAll).toEqual(stored);
        expect(verifyChain(viaAll)).toBeNull();
      });

      it(rule('keeps revisions and positions as bigints everywhere'), async () => {
        const stream = newStream();
        const before = (await store.headPosition()) ?? undefined;
        const result = await store.append(stream, chainedEvents(stream, 1), 'no-stream');
        const [read] = await store.readStream(stream);
        const [viaAll] = (await store.readAll({ after: before, maxCount: 10_000 })).filter((event) => event.stream === stream);
        for (const value of [result.lastRevision, result.position, read!.revision, read!.position, viaAll!.position]) {
          expect(typeof value).toBe('bigint');
        }
        expect(viaAll!.id).toBe(read!.id);
      });

      it(rule('keeps appended events across a restart'), async () => {
        const stream = newStream();
        const events = chainedEvents(stream, 3);
        const writer = await fixture.open();
        const result = await writer.append(stream, events, 'no-stream');
        await writer.close();
        const reader = await fixture.open();
        try {
          const stored = await reader.readStream(stream);
          expect(stored.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))).toEqual(events);
          expect(stored[2]!.position).toBe(result.position);
          expect(verifyChain(stored)).toBeNull();
        } finally {
          await reader.close();
        }
      });
    });

    describe('subscribeAll', () => {
      it(rule('delivers the log from the beginning in order, then live events, each exactly once'), async () => {
        const first = newStream();
        const second = newStream('account');
        const a = chainedEvents(first, 3);
        await store.append(first, a.slice(0, 2), 'no-stream');
        await store.append(second, chainedEvents(second, 1), 'no-stream');
        const { received, allPositions, until } = collect([first, second], { maxBatch: 1000 });
        await until(3);
        await store.append(first, a.slice(2), 1n);
        await until(4);
        expect(received.map((event) => `${event.stream === first ? 'a' : 'b'}${event.revision}`)).toEqual(['a0', 'a1', 'b0', 'a2']);
        expect(new Set(ids(received)).size).toBe(received.length);
        expectStrictlyIncreasing(allPositions);
        expect(verifyChain(received.filter((event) => event.stream === first))).toBeNull();
      });

      it(rule('delivers only events strictly after the given position, in batches of at most maxBatch'), async () => {
        const stream = newStream();
        const events = chainedEvents(stream, 7);
        await store.append(stream, events.slice(0, 2), 'no-stream');
        const [, second] = await store.readStream(stream);
        await store.append(stream, events.slice(2, 5), 1n);
        const { received, batchSizes, until } = collect([stream], { after: second!.position, maxBatch: 2 });
        await until(3);
        await store.append(stream, events.slice(5), 4n);
        await until(5);
        expect(received.map((event) => event.revision)).toEqual([2n, 3n, 4n, 5n, 6n]);
        batchSizes.forEach((size) => expect(size).toBeLessThanOrEqual(2));
      });

      it(rule('stops delivering after stop(), which waits for the running handler call'), async () => {
        const stream = newStream();
        const events = chainedEvents(stream, 3);
        const order: string[] = [];
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        let entered!: () => void;
        const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
        const delivered: RecordedEvent[] = [];
        const head = (await store.headPosition()) ?? undefined;
        const subscription = store.subscribeAll(
          async (batch) => {
            const own = batch.filter((event) => event.stream === stream);
            delivered.push(...own);
            if (own.length === 0) return;
            entered();
            await released;
            order.push('handler finished');
          },
          { after: head },
        );
        await store.append(stream, events.slice(0, 1), 'no-stream');
        await handlerEntered;
        const stopped = subscription.stop().then(() => order.push('stop resolved'));
        release();
        await stopped;
        expect(order).toEqual(['handler finished', 'stop resolved']);

        // Appended after stop: a fresh subscription sees them, the stopped one never does.
        const lastSeen = delivered[delivered.length - 1]!.position;
        await store.append(stream, events.slice(1), 0n);
        const witness = collect([stream], { after: lastSeen });
        await witness.until(2);
        expect(delivered.map((event) => event.revision)).toEqual([0n]);
      });

      it(rule('ends the subscription and calls onError when the handler throws'), async () => {
        const stream = newStream();
        const events = chainedEvents(stream, 2);
        const failure = new Error('projection write failed');
        let calls = 0;
        let reportError!: (error: unknown) => void;
        const reported = new Promise<unknown>((resolve) => (reportError = resolve));
        const head = (await store.headPosition()) ?? undefined;
        const subscription = store.subscribeAll(
          async (batch) => {
            if (!batch.some((event) => event.stream === stream)) return;
            calls += 1;
            throw failure;
          },
          { after: head, onError: reportError },
        );
        openSubscriptions.push(subscription);
        await store.append(stream, events.slice(0, 1), 'no-stream');
        expect(await reported).toBe(failure);
        await store.append(stream, events.slice(1), 0n);
        const witness = collect([stream], { after: head });
        await witness.until(2);
        expect(calls).toBe(1);
      });
    });
  });
}

eventStoreContract('embedded SQLite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'asiointitili-event-store-'));
  return {
    open: async () => SqliteEventStore.open(dataDir),
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
});

describeWithServer('EVENTSTORE_URL', 'event store contract against EventStoreDB', (url) => {
  eventStoreContract('EventStoreDB', async () => ({
    // Every open() is a new client, i.e. a new connection: the "restart" of a process.
    open: async () => EventStoreDbEventStore.connect(url),
    dispose: async () => undefined,
  }));
});


describeWithPostgres('event store contract against PostgreSQL', () => {
  eventStoreContract('PostgreSQL', async () => {
    const database = await createTestDatabase('asiointitili_event_store');
    return {
      // Every open() is a new pool and listener: the "restart" of a process.
      open: async () => PostgresEventStore.connect(database.url),
      dispose: () => database.drop(),
    };
  });
});
