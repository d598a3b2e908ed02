import { PassThrough } from 'node:stream';
import type { RecordedEvent } from '@asiointitili/core';
import { DEFAULT_RETRY_POLICY, ReconnectingSubscription, type LiveSource, type LiveStream, type RetryPolicy } from './reconnecting-subscription';

/** A server subscription stand-in: an object-mode stream the test writes to, fails or ends. */
class FakeStream extends PassThrough implements LiveStream<number> {
  unsubscribed = false;
  constructor(readonly after: bigint | undefined) {
    super({ objectMode: true });
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
}

/** Items are plain positions; every connection replays the log from its start, as a careless server might. */
class FakeServer implements LiveSource<number> {
  readonly connections: FakeStream[] = [];
  log: number[] = [];
  /** Every new connection fails at once, as while the server is unreachable. */
  refusing = false;
  private opened: Array<() => void> = [];

  open(after: bigint | undefined): FakeStream {
    const stream = new FakeStream(after);
    this.connections.push(stream);
    const number = this.connections.length;
    queueMicrotask(() => {
      if (this.refusing) {
        stream.destroy(new Error(`refused #${number}`));
        return;
      }
      for (const position of this.log) stream.write(position);
      stream.emit('caughtUp');
      this.opened.splice(0).forEach((resolve) => resolve());
    });
    return stream;
  }

  convert(item: number): RecordedEvent | null {
    if (item < 0) return null;
    if (item === 666) throw new Error('malformed event');
    return {
      stream: 'message-fake',
      revision: BigInt(item),
      position: BigInt(item),
      id: `id-${item}`,
      type: 'Fake',
      data: {},
      metadata: {
        actor: { type: 'system', id: 'test' },
        correlationId: 'c',
        causationId: 'c',
        occurredAt: '2025-01-01T00:00:00.000Z',
        schemaVersion: 1,
        prevHash: '',
        hash: '',
      },
    };
  }

  /** Resolves once the next connection has been opened and has replayed the log. */
  nextConnection(): Promise<void> {
    return new Promise((resolve) => this.opened.push(resolve));
  }

  get current(): FakeStream {
    return this.connections[this.connections.length - 1]!;
  }

  append(position: number): void {
    this.log.push(position);
    this.current.write(position);
  }
}

const immediateRetry = (maxRetries: number): RetryPolicy => ({ maxRetries, delayMs: () => 0 });

/** A handler that records positions and lets the test wait for a given count. */
function recorder() {
  const positions: bigint[] = [];
  const batches: number[] = [];
  let waiters: Array<{ readonly count: number; readonly resolve: () => void }> = [];
  const handler = async (batch: readonly RecordedEvent[]) => {
    batches.push(batch.length);
    positions.push(...batch.map((event) => event.position));
    waiters = waiters.filter((waiter) => (positions.length >= waiter.count ? (waiter.resolve(), false) : true));
  };
  const until = (count: number) =>
    positions.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }));
  return { handler, positions, batches, until };
}

describe('ReconnectingSubscription', () => {
  it('delivers events after the start position in order and skips items without an event', async () => {
    const server = new FakeServer();
    server.log = [1, 2, -1, 3];
    const { handler, positions, until } = recorder();
    const opened = server.nextConnection();
    const subscription = new ReconnectingSubscription<number>(server, handler, { after: 1n }, immediateRetry(1));
    await opened;
    await until(2);
    server.append(4);
    await until(3);
    await subscription.stop();
    expect(positions).toEqual([2n, 3n, 4n]);
    expect(server.connections[0]!.after).toBe(1n);
    expect(server.connections[0]!.unsubscribed).toBe(true);
  });

  it('reconnects after a dropped connection from the last delivered position, delivering nothing twice', async () => {
    const server = new FakeServer();
    server.log = [1, 2];
    const { handler, positions, until } = recorder();
    const first = server.nextConnection();
    const subscription = new ReconnectingSubscription<number>(server, handler, {}, immediateRetry(3));
    await first;
    await until(2);
    const second = server.nextConnection();
    server.log.push(3);
    server.current.destroy(new Error('connection reset'));
    await second;
    await until(3);
    await subscription.stop();
    expect(positions).toEqual([1n, 2n, 3n]);
    expect(server.connections.map((connection) => connection.after)).toEqual([undefined, 2n]);
  });

  it('treats a subscription the server ends as dropped and reconnects', async () => {
    const server = new FakeServer();
    server.log = [1];
    const { handler, positions, until } = recorder();
    const first = server.nextConnection();
    const subscription = new ReconnectingSubscription<number>(server, handler, {}, immediateRetry(3));
    await first;
    await until(1);
    const second = server.nextConnection();
    server.current.end();
    await second;
    server.append(2);
    await until(2);
    await subscription.stop();
    expect(positions).toEqual([1n, 2n]);
    expect(server.connections).toHaveLength(2);
  });

  it('gives up after maxRetries reconnections without progress and calls onError with the last failure', async () => {
    const server = new FakeServer();
    server.refusing = true;
    const failed = new Promise<unknown>((resolve) => new ReconnectingSubscription<number>(server, async () => undefined, { onError: resolve }, immediateRetry(2)));
    expect(((await failed) as Error).message).toBe('refused #3');
    expect(server.connections).toHaveLength(3);
  });

  it('by default never gives up: through 200 refused reconnections (an outage) it resumes after the last delivered event', async () => {
    const server = new FakeServer();
    server.log = [1, 2];
    const { handler, positions, until } = recorder();
    let failed: unknown;
    const forever: RetryPolicy = { maxRetries: DEFAULT_RETRY_POLICY.maxRetries, delayMs: () => 0 };
    const subscription = new ReconnectingSubscription<number>(server, handler, { onError: (error) => (failed = error) }, forever);
    await until(2);
    server.refusing = true;
    server.current.destroy(new Error('server went away'));
    while (server.connections.length < 200) await new Promise((resolve) => setImmediate(resolve));
    const back = server.nextConnection();
    server.log.push(3);
    server.refusing = false;
    await back;
    await until(3);
    await subscription.stop();
    expect(failed).toBeUndefined();
    expect(positions).toEqual([1n, 2n, 3n]);
    expect(server.connections.at(-1)!.after).toBe(2n);
  });

  it('waits with capped exponential back-off and jitter by default (250 ms doubling, at most 30 s)', () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const cap = Math.min(250 * 2 ** (attempt - 1), 30_000);
      const delay = DEFAULT_RETRY_POLICY.delayMs(attempt);
      expect(delay).toBeGreaterThanOrEqual(cap / 2);
      expect(delay).toBeLessThanOrEqual(cap);
    }
    expect(DEFAULT_RETRY_POLICY.maxRetries).toBe(Number.POSITIVE_INFINITY);
  });

  it('counts failures only since the last progress, so a long-lived subscription survives occasional drops', async () => {
    const server = new FakeServer();
    server.log = [1];
    const { handler, positions, until } = recorder();
    const subscription = new ReconnectingSubscription<number>(server, handler, {}, immediateRetry(1));
    await until(1);
    for (let drop = 2; drop <= 4; drop++) {
      const reopened = server.nextConnection();
      server.current.destroy(new Error(`drop ${drop}`));
      await reopened;
      server.append(drop);
      await until(drop);
    }
    await subscription.stop();
    expect(positions).toEqual([1n, 2n, 3n, 4n]);
    expect(server.connections).toHaveLength(4);
  });

  it('stops without retrying when the handler throws, reporting its error', async () => {
    const server = new FakeServer();
    server.log = [1, 2];
    const failure = new Error('projection failed');
    let calls = 0;
    const failed = new Promise<unknown>((resolve) => {
      new ReconnectingSubscription<number>(
        server,
        async () => {
          calls += 1;
          throw failure;
        },
        { onError: resolve, maxBatch: 1 },
        immediateRetry(5),
      );
    });
    expect(await failed).toBe(failure);
    expect(calls).toBe(1);
    expect(server.connections).toHaveLength(1);
    expect(server.connections[0]!.unsubscribed).toBe(true);
  });

  it('stops for good on an event it cannot read, reporting the error', async () => {
    const server = new FakeServer();
    server.log = [1, 666];
    const { handler, positions } = recorder();
    const failed = new Promise<unknown>((resolve) => new ReconnectingSubscription<number>(server, handler, { onError: resolve }, immediateRetry(5)));
    expect(((await failed) as Error).message).toBe('malformed event');
    expect(server.connections).toHaveLength(1);
    expect(positions.every((position) => position === 1n)).toBe(true);
  });

  it('hands over at most maxBatch events per call', async () => {
    const server = new FakeServer();
    server.log = [1, 2, 3, 4, 5, 6, 7];
    const { handler, batches, positions, until } = recorder();
    const subscription = new ReconnectingSubscription<number>(server, handler, { maxBatch: 3 }, immediateRetry(1));
    await until(7);
    await subscription.stop();
    expect(positions).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    batches.forEach((size) => expect(size).toBeLessThanOrEqual(3));
  });

  it('lets stop() wait for the running handler call', async () => {
    const server = new FakeServer();
    server.log = [1];
    const order: string[] = [];
    let entered!: () => void;
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const subscription = new ReconnectingSubscription<number>(
      server,
      async () => {
        entered();
        await released;
        order.push('handler finished');
      },
      {},
      immediateRetry(1),
    );
    await handlerEntered;
    const stopped = subscription.stop().then(() => order.push('stop resolved'));
    release();
    await stopped;
    expect(order).toEqual(['handler finished', 'stop resolved']);
  });
});
