import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConcurrencyError, verifyChain, type RecordedEvent } from '@asiointitili/core';
import { chainedEvents } from '../testing/chained-events';
import { SqliteEventStore } from './sqlite-event-store';
import { EVENTS_FILE_NAME, EventStoreFileDamagedError } from './sqlite-file';

const directories: string[] = [];
const stores: SqliteEventStore[] = [];

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'asiointitili-sqlite-'));
  directories.push(dir);
  return dir;
}

function open(dataDir: string, options?: Parameters<typeof SqliteEventStore.open>[1]): SqliteEventStore {
  const store = SqliteEventStore.open(dataDir, options);
  stores.push(store);
  return store;
}

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A store with a few streams written, closed so that the WAL is checkpointed into the main file. */
async function closedStoreWithEvents(): Promise<string> {
  const dataDir = newDataDir();
  const store = SqliteEventStore.open(dataDir);
  for (let index = 0; index < 20; index++) {
    const stream = `message-${index}`;
    await store.append(stream, chainedEvents(stream, 5), 'no-stream');
  }
  await store.close();
  return dataDir;
}

describe('SqliteEventStore: damaged files', () => {
  it('refuses to start on a file whose header is not SQLite, naming the file', async () => {
    const dataDir = await closedStoreWithEvents();
    const file = join(dataDir, EVENTS_FILE_NAME);
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 0, 100);
    writeFileSync(file, bytes);
    expect(() => SqliteEventStore.open(dataDir)).toThrow(EventStoreFileDamagedError);
    expect(() => SqliteEventStore.open(dataDir)).toThrow(file);
  });

  it('refuses to start on a file with damaged pages', async () => {
    const dataDir = await closedStoreWithEvents();
    const file = join(dataDir, EVENTS_FILE_NAME);
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Page 1 (the schema) stays intact; the tables' pages after it are overwritten.
    bytes.fill(0x5a, pageSize, bytes.length);
    writeFileSync(file, bytes);
    expect(() => SqliteEventStore.open(dataDir)).toThrow(/damaged/);
  });

  it('keeps every committed append after a crash and discards a transaction torn in the WAL', async () => {
    const liveDir = newDataDir();
    const live = open(liveDir);
    const stream = 'message-crash';
    const events = chainedEvents(stream, 4);
    await live.append(stream, events.slice(0, 2), 'no-stream');
    await live.append(stream, events.slice(2, 3), 1n);
    const wal = join(liveDir, `${EVENTS_FILE_NAME}-wal`);
    const walBeforeLastAppend = statSync(wal).size;
    await live.append(stream, events.slice(3), 2n);
    const walAfterLastAppend = statSync(wal).size;
    expect(walAfterLastAppend).toBeGreaterThan(walBeforeLastAppend);

    // The files as a power loss in the middle of writing the last transaction leaves them.
    const crashDir = newDataDir();
    copyFileSync(join(liveDir, EVENTS_FILE_NAME), join(crashDir, EVENTS_FILE_NAME));
    writeFileSync(join(crashDir, `${EVENTS_FILE_NAME}-wal`), readFileSync(wal).subarray(0, walAfterLastAppend - 100));

    const recovered = open(crashDir);
    const stored = await recovered.readStream(stream);
    expect(stored.map((event) => event.id)).toEqual(events.slice(0, 3).map((event) => event.id));
    expect(verifyChain(stored)).toBeNull();
    // The log goes on from the last complete transaction.
    expect((await recovered.append(stream, events.slice(3), 2n)).lastRevision).toBe(3n);
  });
});

describe('SqliteEventStore: group commit', () => {
  it('writes appends made in the same tick with one transaction, each getting its own result', async () => {
    const store = open(newDataDir());
    const streams = Array.from({ length: 10 }, (_, index) => `agency-${index}`);
    const before = store.statistics;
    const results = await Promise.all(streams.map((stream) => store.append(stream, chainedEvents(stream, 2), 'no-stream')));
    expect(store.statistics.transactions - before.transactions).toBe(1);
    expect(store.statistics.appends - before.appends).toBe(10);
    expect(new Set(results.map((result) => result.position)).size).toBe(10);
    results.forEach((result) => expect(result.lastRevision).toBe(1n));
  });

  it('rejects only the conflicting append of a batch; the others in the same transaction are stored', async () => {
    const store = open(newDataDir());
    const stream = 'message-batch';
    const winner = chainedEvents(stream, 1, undefined, 'winner');
    const loser = chainedEvents(stream, 1, undefined, 'loser');
    const before = store.statistics.transactions;
    const outcomes = await Promise.allSettled([
      store.append(stream, winner, 'no-stream'),
      store.append(stream, loser, 'no-stream'),
      store.append('message-other', chainedEvents('message-other', 1), 'no-stream'),
    ]);
    expect(store.statistics.transactions - before).toBe(1);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    expect((await store.readStream(stream)).map((event) => event.id)).toEqual([winner[0]!.id]);
  });

  it('uses a new transaction for appends made after the previous batch was written', async () => {
    const store = open(newDataDir());
    const before = store.statistics.transactions;
    await store.append('message-a', chainedEvents('message-a', 1), 'no-stream');
    await store.append('message-b', chainedEvents('message-b', 1), 'no-stream');
    expect(store.statistics.transactions - before).toBe(2);
  });

  it('rejects every append of a batch whose transaction cannot start, storing none of them', async () => {
    const dataDir = newDataDir();
    const store = open(dataDir, { busyTimeoutMs: 0 });
    const locker = new Database(join(dataDir, EVENTS_FILE_NAME));
    locker.exec('BEGIN IMMEDIATE');
    try {
      const outcomes = await Promise.allSettled([
        store.append('message-x', chainedEvents('message-x', 1), 'no-stream'),
        store.append('message-y', chainedEvents('message-y', 1), 'no-stream'),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
      outcomes.forEach((outcome) => expect((outcome as PromiseRejectedResult).reason).not.toBeInstanceOf(ConcurrencyError));
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    expect(await store.readStream('message-x')).toEqual([]);
    expect(await store.readStream('message-y')).toEqual([]);
  });

  it('writes appends still queued when the store is closed, before closing', async () => {
    const dataDir = newDataDir();
    const store = SqliteEventStore.open(dataDir);
    const pending = store.append('message-late', chainedEvents('message-late', 1), 'no-stream');
    await store.close();
    expect((await pending).lastRevision).toBe(0n);
    await expect(store.append('message-late', chainedEvents('message-late', 2).slice(1), 0n)).rejects.toThrow(/closed/);
    expect(await open(dataDir).readStream('message-late')).toHaveLength(1);
  });
});

describe('SqliteEventStore: rules only the embedded store can promise', () => {
  it('rejects an event id that already exists in another stream', async () => {
    const store = open(newDataDir());
    const [event] = chainedEvents('message-first', 1);
    await store.append('message-first', [event!], 'no-stream');
    await expect(store.append('message-second', [event!], 'no-stream')).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('rejects a stored event id appended again at the end of its own stream', async () => {
    const store = open(newDataDir());
    const events = chainedEvents('message-dup', 1);
    await store.append('message-dup', events, 'no-stream');
    await expect(store.append('message-dup', events, 0n)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('message-dup')).toHaveLength(1);
  });

  it('reports no head position for an empty log', async () => {
    expect(await open(newDataDir()).headPosition()).toBeNull();
  });

  it('keeps positions beyond 2^53 exact', async () => {
    const dataDir = newDataDir();
    await open(dataDir).append('message-seed', chainedEvents('message-seed', 1), 'no-stream');
    const raw = new Database(join(dataDir, EVENTS_FILE_NAME));
    raw.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").run(2n ** 53n);
    raw.close();
    const store = open(dataDir);
    const result = await store.append('message-big', chainedEvents('message-big', 2), 'no-stream');
    expect(result.position).toBe(2n ** 53n + 2n);
    const stored = await store.readStream('message-big');
    expect(stored.map((event) => event.position)).toEqual([2n ** 53n + 1n, 2n ** 53n + 2n]);
    expect((await store.readAll({ after: 2n ** 53n + 1n, maxCount: 10 })).map((event) => event.position)).toEqual([2n ** 53n + 2n]);
    expect(await store.headPosition()).toBe(2n ** 53n + 2n);
  });

  it('leaves streams outside the product prefixes out of readAll, subscriptions and the head position', async () => {
    const store = open(newDataDir());
    await store.append('message-in', chainedEvents('message-in', 1), 'no-stream');
    const product = await store.headPosition();
    await store.append('scratch-out', chainedEvents('scratch-out', 1), 'no-stream');
    expect((await store.readAll({ maxCount: 10 })).map((event) => event.stream)).toEqual(['message-in']);
    expect(await store.readStream('scratch-out')).toHaveLength(1);
    expect(await store.headPosition()).toBe(product);

    await store.append('account-after', chainedEvents('account-after', 1), 'no-stream');
    const delivered: string[] = [];
    let done!: () => void;
    const sawLast = new Promise<void>((resolve) => (done = resolve));
    const subscription = store.subscribeAll(async (batch) => {
      delivered.push(...batch.map((event) => event.stream));
      if (delivered.includes('account-after')) done();
    });
    await sawLast;
    await subscription.stop();
    expect(delivered).toEqual(['message-in', 'account-after']);
  });

  it('refuses invalid read limits', async () => {
    const store = open(newDataDir());
    await expect(store.readAll({ maxCount: -1 })).rejects.toThrow(RangeError);
    await expect(store.readAll({ maxCount: 1.5 })).rejects.toThrow(RangeError);
    await expect(store.readStream('message-x', { fromRevision: -1n })).rejects.toThrow(RangeError);
    expect(() => store.subscribeAll(async () => undefined, { maxBatch: 0 })).toThrow(RangeError);
  });
});

describe('SqliteEventStore: live subscriptions', () => {
  /** Resolves with the events of `stream` once `count` have been delivered. */
  function deliveries(store: SqliteEventStore, stream: string, count: number) {
    const received: RecordedEvent[] = [];
    let done!: () => void;
    const enough = new Promise<void>((resolve) => (done = resolve));
    const subscription = store.subscribeAll(async (batch) => {
      received.push(...batch.filter((event) => event.stream === stream));
      if (received.length >= count) done();
    });
    return { received, enough, subscription };
  }

  // An hour-long poll interval: delivery can then only come from the commit signal.
  const noPolling = { pollIntervalMs: 3_600_000 };

  it('wakes a live subscription on each commit of this process, without waiting for the poll', async () => {
    const store = open(newDataDir(), noPolling);
    const { received, enough, subscription } = deliveries(store, 'message-live', 2);
    await store.append('message-live', chainedEvents('message-live', 2), 'no-stream');
    await enough;
    await subscription.stop();
    expect(received.map((event) => event.revision)).toEqual([0n, 1n]);
  });

  it('wakes subscriptions of another store instance on the same file in this process', async () => {
    const dataDir = newDataDir();
    const reader = open(dataDir, noPolling);
    const writer = open(dataDir, noPolling);
    const { received, enough, subscription } = deliveries(reader, 'message-shared', 1);
    await writer.append('message-shared', chainedEvents('message-shared', 1), 'no-stream');
    await enough;
    await subscription.stop();
    expect(received).toHaveLength(1);
  });

  it('finds appends of another process by polling', async () => {
    const dataDir = newDataDir();
    const store = open(dataDir, { pollIntervalMs: 5 });
    const { received, enough, subscription } = deliveries(store, 'message-cli', 1);
    const [event] = chainedEvents('message-cli', 1);
    // A plain connection stands in for the CLI: it writes the file without signalling this process.
    const cli = new Database(join(dataDir, EVENTS_FILE_NAME));
    cli
      .prepare('INSERT INTO events (stream, revision, id, type, data, metadata) VALUES (?, 0, ?, ?, ?, ?)')
      .run('message-cli', event!.id, event!.type, JSON.stringify(event!.data), JSON.stringify(event!.metadata));
    cli.close();
    await enough;
    await subscription.stop();
    expect(received.map((recorded) => recorded.id)).toEqual([event!.id]);
  });

  it('stops its subscriptions when the store closes, waiting for a running handler call', async () => {
    const store = SqliteEventStore.open(newDataDir(), noPolling);
    const order: string[] = [];
    let entered!: () => void;
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    store.subscribeAll(async () => {
      entered();
      await released;
      order.push('handler finished');
    });
    await store.append('message-closing', chainedEvents('message-closing', 1), 'no-stream');
    await handlerEntered;
    const closed = store.close().then(() => order.push('store closed'));
    release();
    await closed;
    expect(order).toEqual(['handler finished', 'store closed']);
  });
});
