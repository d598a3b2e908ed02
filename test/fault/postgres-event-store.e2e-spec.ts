import { Client } from 'pg';
import { verifyChain, type RecordedEvent, type Subscription } from '@asiointitili/core';
import { PostgresEventStore } from '@asiointitili/event-store';
import { chainedEvents } from '../../libs/event-store/src/testing/chained-events';
import { PostgresInstance, createTestDatabase, describeWithOwnPostgres, describeWithPostgres } from '../support/postgres';

/* eslint-disable no-console */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A follower that records every delivered event and checks order as it goes. */
function follow(store: PostgresEventStore, maxBatch: number): { readonly events: RecordedEvent[]; readonly subscription: Subscription; readonly errors: unknown[] } {
  const events: RecordedEvent[] = [];
  const errors: unknown[] = [];
  const subscription = store.subscribeAll(
    async (batch) => {
      events.push(...batch);
    },
    { maxBatch, onError: (error) => errors.push(error) },
  );
  return { events, subscription, errors };
}

function expectEveryEventOnceInOrder(delivered: readonly RecordedEvent[], log: readonly RecordedEvent[]): void {
  expect(delivered.map((event) => event.id)).toEqual(log.map((event) => event.id));
  expect(new Set(delivered.map((event) => event.id)).size).toBe(delivered.length);
  delivered.slice(1).forEach((event, index) => expect(event.position > delivered[index]!.position).toBe(true));
}

async function readWholeLog(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const log: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after: log[log.length - 1]?.position, maxCount: 1000 });
    if (page.length === 0) return log;
    log.push(...page);
  }
}

describeWithPostgres('PostgreSQL event store: followers never skip an event that commits late', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => (database = await createTestDatabase('asiointitili_gaps')));
  afterAll(async () => database?.drop());

  it('a sequence-ordered table without serialisation does skip late commits (the test can see a gap)', async () => {
    // The naive design, for contrast: positions from a sequence, writers in parallel, the follower
    // reads "position > cursor". A transaction that takes a low position and commits late is passed over.
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    await admin.query('CREATE TABLE naive_log (position bigserial PRIMARY KEY, writer int NOT NULL)');
    const writers = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const client = new Client({ connectionString: database.url });
        await client.connect();
        return client;
      }),
    );
    let writing = true;
    const seen: number[] = [];
    const follower = (async () => {
      let cursor = 0;
      while (writing) {
        const { rows } = await admin.query<{ position: string }>('SELECT position FROM naive_log WHERE position > $1 ORDER BY position', [cursor]);
        for (const row of rows) seen.push(Number(row.position));
        if (rows.length > 0) cursor = Number(rows[rows.length - 1]!.position);
        await sleep(2);
      }
    })();
    await Promise.all(
      writers.map(async (client, writer) => {
        for (let index = 0; index < 15; index++) {
          await client.query('BEGIN');
          await client.query('INSERT INTO naive_log (writer) VALUES ($1)', [writer]);
          await client.query('SELECT pg_sleep($1)', [Math.random() * 0.03]);
          await client.query('COMMIT');
        }
      }),
    );
    await sleep(50);
    writing = false;
    await follower;
    const { rows } = await admin.query<{ count: string }>('SELECT count(*) FROM naive_log');
    const skipped = Number(rows[0]!.count) - new Set(seen).size;
    console.log(`naive sequence-ordered log: ${rows[0]!.count} rows committed, the follower skipped ${skipped}`);
    expect(skipped).toBeGreaterThan(0);
    await Promise.all([...writers, admin].map((client) => client.end()));
  });

  it('many writer processes with delayed commits: every follower sees every event exactly once, in order', async () => {
    const writerProcesses = Array.from({ length: 6 }, () => PostgresEventStore.connect(database.url, { poolSize: 4 }));
    const observer = PostgresEventStore.connect(database.url, { pollIntervalMs: 20 });
    await observer.identity(); // creates the schema, so the delaying trigger can be installed on it
    // Every append transaction sleeps 0-20 ms after inserting its events and before COMMIT, on the
    // server: concurrent transactions reach COMMIT in a different order than they started.
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`CREATE FUNCTION delay_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(random() * 0.02); RETURN NULL; END $$`);
    await admin.query('CREATE TRIGGER delay_commit AFTER INSERT ON event_log FOR EACH STATEMENT EXECUTE FUNCTION delay_commit()');

    const live = follow(observer, 7);
    const alsoLive = follow(PostgresEventStore.connect(database.url, { pollIntervalMs: 5 }), 1000);
    const streamsPerWriter = 8;
    const appendsPerStream = 4;
    const started = Date.now();
    const acknowledged: bigint[] = [];
    await Promise.all(
      writerProcesses.flatMap((writer, w) =>
        Array.from({ length: streamsPerWriter }, async (_, s) => {
          const stream = `message-gap-${w}-${s}`;
          const events = chainedEvents(stream, appendsPerStream * 2);
          for (let index = 0; index < appendsPerStream; index++) {
            const result = await writer.append(stream, events.slice(index * 2, index * 2 + 2), index === 0 ? 'no-stream' : BigInt(index * 2 - 1));
            acknowledged.push(result.position);
          }
        }),
      ),
    );
    const total = writerProcesses.length * streamsPerWriter * appendsPerStream * 2;
    const log = await readWholeLog(observer);
    expect(log).toHaveLength(total);
    await until('both followers to catch up', () => live.events.length >= total && alsoLive.events.length >= total);
    await sleep(100);
    expectEveryEventOnceInOrder(live.events, log);
    expectEveryEventOnceInOrder(alsoLive.events, log);
    // Serialised appends also make positions contiguous: 1..total, no holes.
    expect(log.map((event) => event.position)).toEqual(Array.from({ length: total }, (_, index) => BigInt(index + 1)));
    for (const position of acknowledged) expect(log.some((event) => event.position === position)).toBe(true);
    const transactions = writerProcesses.reduce((sum, writer) => sum + writer.transactionCount, 0);
    console.log(
      `gap test: ${writerProcesses.length} writer processes, ${acknowledged.length} appends (${total} events) in ${transactions} transactions ` +
        `with 0-20 ms delayed commits, ${Date.now() - started} ms; two followers each saw ${live.events.length} events, none skipped or repeated`,
    );
    expect(live.errors).toEqual([]);
    await live.subscription.stop();
    await alsoLive.subscription.stop();
    await admin.end();
    await Promise.all([...writerProcesses, observer].map((store) => store.close()));
  });
});

describeWithOwnPostgres('PostgreSQL event store: the server is killed and restarted under writes', () => {
  let instance: PostgresInstance;
  beforeAll(async () => {
    instance = await PostgresInstance.create();
    instance.start();
  }, 120_000);
  afterAll(() => instance?.destroy());

  it('keeps every acknowledged append, and the subscription resumes where it was', async () => {
    const url = await instance.createDatabase('events');
    const store = PostgresEventStore.connect(url, {
      pollIntervalMs: 100,
      connectTimeoutMs: 1000,
      subscriptionRetry: { maxRetries: 1000, delayMs: () => 100 },
    });
    const follower = follow(store, 50);
    const acknowledged = new Map<string, string[]>();
    let failedAttempts = 0;
    let writing = true;
    let lastAck = 0;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      const stream = `message-crash-${w}`;
      const events = chainedEvents(stream, 10_000);
      const ids: string[] = [];
      acknowledged.set(stream, ids);
      for (let revision = 0; writing; revision++) {
        // A failed append is retried with the same event ids and expected revision until it is
        // acknowledged: if the lost answer hid a commit, the retry is answered idempotently.
        for (;;) {
          try {
            await store.append(stream, [events[revision]!], revision === 0 ? 'no-stream' : BigInt(revision - 1));
            break;
          } catch {
            failedAttempts += 1;
            await sleep(50);
          }
        }
        ids.push(events[revision]!.id);
        lastAck = Date.now();
      }
    });

    const cycles: Array<{ killedAfter: number; processes: number; down: number; firstAckAfterStart: number; resumed: number }> = [];
    for (let cycle = 0; cycle < 2; cycle++) {
      await sleep(1500);
      const acksBefore = [...acknowledged.values()].reduce((sum, ids) => sum + ids.length, 0);
      const killedAt = Date.now();
      const processes = instance.kill();
      await sleep(1000);
      instance.start();
      const startedAt = Date.now();
      const deliveredBefore = follower.events.length;
      await until('an acknowledged append after the restart', () => lastAck > startedAt);
      const firstAck = Date.now();
      await until('the subscription to deliver again', () => follower.events.length > deliveredBefore);
      cycles.push({
        killedAfter: acksBefore,
        processes,
        down: startedAt - killedAt,
        firstAckAfterStart: firstAck - startedAt,
        resumed: Date.now() - startedAt,
      });
    }
    await sleep(500);
    writing = false;
    await Promise.all(writers);

    const log = await readWholeLog(store);
    let acks = 0;
    for (const [stream, ids] of acknowledged) {
      acks += ids.length;
      const stored = await store.readStream(stream);
      expect(stored.map((event) => event.id)).toEqual(ids);
      expect(verifyChain(stored)).toBeNull();
    }
    expect(log).toHaveLength(acks);
    await until('the follower to catch up', () => follower.events.length >= log.length);
    await sleep(200);
    expectEveryEventOnceInOrder(follower.events, log);
    expect(follower.errors).toEqual([]);
    for (const [index, cycle] of cycles.entries()) {
      console.log(
        `crash ${index + 1}: SIGKILL to ${cycle.processes} PostgreSQL processes after ${cycle.killedAfter} acknowledged appends; ` +
          `down ${cycle.down} ms (incl. crash recovery); first acknowledged append ${cycle.firstAckAfterStart} ms after the server was up; ` +
          `subscription delivering again ${cycle.resumed} ms after the server was up`,
      );
    }
    console.log(`crash test: ${acks} appends acknowledged, all ${acks} in the log once, ${failedAttempts} attempts failed during outages and were retried`);
    await store.close();
  }, 120_000);
});
