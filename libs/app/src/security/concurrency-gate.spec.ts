import { ConcurrencyGate, GateRefused } from './concurrency-gate';

/** A piece of work that finishes when the test says so. */
function pending(): { work: () => Promise<string>; finish: () => void; started: () => boolean } {
  let finish!: () => void;
  let started = false;
  const done = new Promise<string>((resolve) => (finish = () => resolve('done')));
  return { work: () => ((started = true), done), finish: () => finish(), started: () => started };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyGate', () => {
  it('runs at most atOnce at a time and starts a waiter when a place frees', async () => {
    const gate = new ConcurrencyGate({ atOnce: 1, waiting: 5, perKey: 5, maxWaitMs: 10_000 });
    const [a, b] = [pending(), pending()];
    const first = gate.run('x', a.work);
    const second = gate.run('y', b.work);
    await tick();
    expect([a.started(), b.started()]).toEqual([true, false]);
    expect(gate.load).toEqual({ running: 1, waiting: 1, keys: 2 });
    a.finish();
    await first;
    await tick();
    expect(b.started()).toBe(true);
    b.finish();
    await expect(second).resolves.toBe('done');
    expect(gate.load).toEqual({ running: 0, waiting: 0, keys: 0 });
  });

  it('refuses a key that already holds perKey places (running or waiting), without running its work', async () => {
    const gate = new ConcurrencyGate({ atOnce: 1, waiting: 5, perKey: 2, maxWaitMs: 10_000 });
    const [a, b, c] = [pending(), pending(), pending()];
    const runs = [gate.run('x', a.work), gate.run('x', b.work)];
    await expect(gate.run('x', c.work)).rejects.toEqual(new GateRefused('key'));
    expect(c.started()).toBe(false);
    const other = pending();
    const otherRun = gate.run('y', other.work); // another address still gets in line
    a.finish();
    b.finish();
    other.finish();
    await Promise.all([...runs, otherRun]);
    expect(gate.load).toEqual({ running: 0, waiting: 0, keys: 0 });
  });

  it('refuses with busy when every place runs and the line is full', async () => {
    const gate = new ConcurrencyGate({ atOnce: 1, waiting: 1, perKey: 5, maxWaitMs: 10_000 });
    const [a, b] = [pending(), pending()];
    const runs = [gate.run('1', a.work), gate.run('2', b.work)];
    await expect(gate.run('3', async () => 'never')).rejects.toEqual(new GateRefused('busy'));
    a.finish();
    b.finish();
    await Promise.all(runs);
  });

  it('gives up on a waiter after maxWaitMs with timeout and frees its places', async () => {
    const gate = new ConcurrencyGate({ atOnce: 1, waiting: 1, perKey: 5, maxWaitMs: 20 });
    const a = pending();
    const first = gate.run('1', a.work);
    await expect(gate.run('2', async () => 'late')).rejects.toEqual(new GateRefused('timeout'));
    expect(gate.load).toEqual({ running: 1, waiting: 0, keys: 1 });
    a.finish();
    await first;
    expect(gate.load).toEqual({ running: 0, waiting: 0, keys: 0 });
  });

  it('frees the place when the work fails', async () => {
    const gate = new ConcurrencyGate({ atOnce: 1, waiting: 0, perKey: 1, maxWaitMs: 10 });
    await expect(gate.run('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run('x', async () => 'again')).resolves.toBe('again');
  });
});
