import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { RecordedEvent } from '@asiointitili/core';
import { SqliteEventStore } from '@asiointitili/event-store';
import { chainedEvents } from '@asiointitili/event-store/testing/chained-events';
import { LogBehindCheckpointError } from '../read/projections/log-continuity';
import { EventFailure } from './failures';
import { FollowerRegistry } from './follower-status';
import { SupervisedSubscription, type SupervisedSubscriptionOptions } from './supervised-subscription';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { code: 'ECONNREFUSED' });
const FAST = { initialMs: 1, maxMs: 5 };

describe('SupervisedSubscription (the supervisor of every follower of the log)', () => {
  let dir: string;
  let events: SqliteEventStore;
  let stored: bigint | null;
  let handled: bigint[];
  let follower: SupervisedSubscription | undefined;
  const registry = new FollowerRegistry();
  let retries = 0;
  registry.observe({ followerRetried: () => (retries += 1) });

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'supervised-'));
    events = SqliteEventStore.open(dir);
    await events.append('message-a', chainedEvents('message-a', 6), 'no-stream');
    stored = null;
    handled = [];
    retries = 0;
  });
  afterEach(async () => {
    await follower?.stop();
    follower = undefined;
    await events.close();
    await rm(dir, { recursive: true, force: true });
  });

  function supervise(overrides: Partial<SupervisedSubscriptionOptions> & Pick<SupervisedSubscriptionOptions, 'handle'>): SupervisedSubscription {
    follower = new SupervisedSubscription({
      name: 'test-follower',
      events,
      maxBatch: 2,
      backOff: FAST,
      observer: registry,
      resume: async () => stored,
      portsReachable: async () => true,
      ...overrides,
    });
    return follower;
  }

  const until = async (condition: () => boolean, what: string) => {
    const deadline = Date.now() + 5000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('retries failed store calls without end and resumes from the stored checkpoint, handling every event once', async () => {
    let storeDownFor = 25; // checkpoint writes that fail before the store comes back
    let resumesFailing = 5; // and reads of the checkpoint
    const f = supervise({
      resume: async () => {
        if (resumesFailing-- > 0) throw refused();
        return stored;
      },
      handle: async (batch: readonly RecordedEvent[]) => {
        if (storeDownFor-- > 0) throw refused();
        handled.push(...batch.map((e) => e.position));
        stored = batch[batch.length - 1]!.position;
      },
    });
    await f.start(); // does not wait for the store
    await until(() => handled.length === 6, 'all six events');
    expect(handled).toEqual([...new Set(handled)]); // each once: resumed from the checkpoint, never skipped or repeated
    expect(retries).toBe(30);
    await until(() => f.status().state === 'running', 'running');
    expect(f.status()).toMatchObject({ consecutiveFailures: 0, lastError: null, poison: null });
  });

  it('stops at a poison event, naming its position, type and stream, once it failed repeatedly with every port reachable', async () => {
    const head = (await events.headPosition())!;
    const poison = head - 2n; // the fourth event
    let reachableChecks = 0;
    const f = supervise({
      poisonAfter: 3,
      // An outage first: while a port is down the repeated failure is not judged.
      portsReachable: async () => ++reachableChecks > 4,
      handle: async (batch) => {
        for (const event of batch) {
          if (event.position === poison) throw new EventFailure(event, new TypeError("Cannot read properties of undefined (reading 'messageId')"));
        }
        handled.push(...batch.map((e) => e.position));
        stored = batch[batch.length - 1]!.position;
      },
    });
    await f.start();
    await until(() => f.status().state === 'poisoned', 'poisoned');
    const status = f.status();
    expect(status.poison).toEqual({
      position: poison.toString(),
      type: 'TestFactAmended',
      stream: 'message-a',
      eventId: expect.any(String),
      error: "Cannot read properties of undefined (reading 'messageId')",
    });
    expect(reachableChecks).toBe(5); // judged only once the ports answered
    expect(handled.every((position) => position < poison)).toBe(true);
    // The checkpoint stays at the end of the last batch handled whole, before the poison event's batch.
    expect(stored).toBe(poison - 2n);
  });

  it('never judges an event poison for a failure that says a store is unavailable', async () => {
    let failures = 40;
    const f = supervise({
      poisonAfter: 2,
      handle: async (batch) => {
        if (failures-- > 0) throw new EventFailure(batch[0]!, refused());
        handled.push(...batch.map((e) => e.position));
        stored = batch[batch.length - 1]!.position;
      },
    });
    await f.start();
    await until(() => handled.length === 6, 'all six events');
    expect(f.status().poison).toBeNull();
  });

  it('refuses to start on a log that lost events it already handled, instead of retrying', async () => {
    const f = supervise({
      resume: async () => {
        throw new LogBehindCheckpointError('test-follower', 99n, 6n);
      },
      handle: async () => undefined,
    });
    await expect(f.start()).rejects.toBeInstanceOf(LogBehindCheckpointError);
    expect(f.status().state).toBe('failed');
  });

  it('stops on request while waiting to retry, without waiting out the back-off', async () => {
    const f = supervise({
      backOff: { initialMs: 60_000, maxMs: 60_000 },
      handle: async () => {
        throw refused();
      },
    });
    await f.start();
    await until(() => f.status().state === 'retrying', 'retrying');
    const before = Date.now();
    await f.stop();
    expect(Date.now() - before).toBeLessThan(1000);
    expect(f.status().state).toBe('stopped');
  });
});
