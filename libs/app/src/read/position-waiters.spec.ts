import { PositionWaiters } from './position-waiters';

describe('waiting for a follower of the log to reach a position', () => {
  it('answers at once when the position is already reached', async () => {
    const waiters = new PositionWaiters(() => 10n);
    await expect(waiters.waitFor(10n, 1000)).resolves.toBe(true);
  });

  it('wakes a waiter when the follower advances to or past its position, and no earlier', async () => {
    let current: bigint | null = null;
    const waiters = new PositionWaiters(() => current);
    const woken: string[] = [];
    const far = waiters.waitFor(20n, 5000).then((r) => woken.push(`20:${r}`));
    const near = waiters.waitFor(5n, 5000).then((r) => woken.push(`5:${r}`));
    current = 7n;
    waiters.advanced();
    await near;
    expect(woken).toEqual(['5:true']);
    current = 20n;
    waiters.advanced();
    await far;
    expect(woken).toEqual(['5:true', '20:true']);
  });

  it('answers false after the timeout when the position is never reached', async () => {
    const waiters = new PositionWaiters(() => 1n);
    await expect(waiters.waitFor(2n, 10)).resolves.toBe(false);
  });

  it('releases every waiter with false when the follower stops short of them', async () => {
    const waiters = new PositionWaiters(() => null);
    const pending = [waiters.waitFor(1n, 5000), waiters.waitFor(2n, 5000)];
    waiters.releaseAll();
    await expect(Promise.all(pending)).resolves.toEqual([false, false]);
  });
});
