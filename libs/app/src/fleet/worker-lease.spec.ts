import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { FencedOffError, type ReadStore } from '@asiointitili/core';
import { SqliteReadStore } from '@asiointitili/read-store';
import { FencedReadStore, LeaseLostError, WorkerFencing } from './fenced-read-store';
import { WorkerLease, type LeaseDuties } from './worker-lease';

class Duties implements LeaseDuties {
  running = false;
  starts = 0;
  async start(): Promise<void> {
    this.running = true;
    this.starts += 1;
  }
  async stop(): Promise<void> {
    this.running = false;
  }
}

const TTL = 1500;
const until = async (condition: () => boolean, what: string) => {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('WorkerLease (one active worker among many)', () => {
  let dir: string;
  let store: SqliteReadStore;
  const leases: WorkerLease[] = [];

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'worker-lease-'));
    store = new SqliteReadStore({ dataDir: dir });
  });
  afterEach(async () => {
    for (const lease of leases.splice(0)) await lease.stop();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const lease = (duties: LeaseDuties, holder: string, on: ReadStore = store) => {
    const made = new WorkerLease(on, duties, { ttlMs: TTL, holder });
    leases.push(made);
    return made;
  };

  it('runs the duties in exactly one process; a clean stop hands them to a standby at once', async () => {
    const [a, b] = [new Duties(), new Duties()];
    const first = lease(a, 'host/1/a');
    const second = lease(b, 'host/2/b');
    await first.start();
    await second.start();
    expect([a.running, b.running]).toEqual([true, false]);
    expect([first.status().state, second.status().state]).toEqual(['running', 'standby']);

    await first.stop();
    await until(() => b.running, 'the standby to take over');
    expect(second.fence()).toEqual({ lease: 'worker', epoch: 2 });
    expect(() => first.fence()).toThrow(LeaseLostError);
  });

  it('restarts its duties when a stalled event loop let its time run out and it then renews the lease', async () => {
    const duties = new Duties();
    const only = lease(duties, 'host/1/a');
    await only.start();
    expect(duties.starts).toBe(1);
    const stalledUntil = Date.now() + TTL + 100;
    while (Date.now() < stalledUntil) {
      // a busy event loop: no renewal can run
    }
    // The first write after the stall is refused: the duty that made it stands down...
    expect(() => only.fence()).toThrow(LeaseLostError);
    // ...and the duties come back once the lease is claimed again, instead of staying down for good.
    await until(() => duties.running && duties.starts === 2, 'the duties to start again');
    expect(only.fence()).toEqual({ lease: 'worker', epoch: expect.any(Number) });
    expect(only.status().state).toBe('running');
  });

  it('stands down by its own clock when it cannot renew, and its fenced writes are refused after a standby took over', async () => {
    let storeDown = false;
    const flaky = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'claimLease' && storeDown) return async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
        return Reflect.get(target, property, receiver);
      },
    });
    const [a, b] = [new Duties(), new Duties()];
    const first = lease(a, 'host/1/a', flaky);
    await first.start();
    const fencing = new WorkerFencing();
    fencing.attach(first);
    const fenced = new FencedReadStore(store, fencing);
    await fenced.write([{ op: 'put', collection: 'items', doc: { id: 'x', by: 'first' } }], { name: 'proj', position: 1n });
    const staleFence = first.fence();

    storeDown = true; // first can no longer renew (a partition, or paused)
    await until(() => !a.running, 'the holder to stand down by its own clock');
    await expect(fenced.write([{ op: 'put', collection: 'items', doc: { id: 'x', by: 'stale' } }])).rejects.toBeInstanceOf(LeaseLostError);

    const second = lease(b, 'host/2/b');
    await second.start();
    expect(b.running).toBe(true);
    await store.write([{ op: 'put', collection: 'items', doc: { id: 'x', by: 'second' } }], { name: 'proj', position: 2n }, second.fence());
    // A write that was already under way with the old epoch when the lease moved on:
    await expect(store.write([{ op: 'put', collection: 'items', doc: { id: 'x', by: 'stale' } }], { name: 'proj', position: 1n }, staleFence)).rejects.toBeInstanceOf(FencedOffError);
    expect(await store.get('items', 'x')).toEqual({ id: 'x', by: 'second' });
    expect(await store.checkpoint('proj')).toBe(2n);
  });

  it('gives the lease up and refuses to start when its duties cannot start', async () => {
    const failing: LeaseDuties = { start: async () => Promise.reject(new Error('the log ends before the checkpoint')), stop: async () => undefined };
    const first = lease(failing, 'host/1/a');
    await expect(first.start()).rejects.toThrow(/the log ends/);
    expect(first.status().state).toBe('failed');
    const b = new Duties();
    await lease(b, 'host/2/b').start();
    expect(b.running).toBe(true);
  });
});
