/**
 * "Tell me when you have handled up to position P": shared by the followers of the log (the
 * projection runner, the process managers' reactors). Each waiter resolves true once the
 * follower reaches its position, or false on timeout or when the follower stops.
 */
export class PositionWaiters {
  private readonly waiters = new Set<{ readonly position: bigint; resolve(): void }>();

  constructor(private readonly current: () => bigint | null) {}

  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.reached(position)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(this.reached(position));
        },
      };
      const timer = setTimeout(waiter.resolve, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Call after the follower advanced: wakes every waiter it reached. */
  advanced(): void {
    for (const waiter of this.waiters) if (this.reached(waiter.position)) waiter.resolve();
  }

  /** Call when the follower stops: wakes everyone (they answer whether they were reached). */
  releaseAll(): void {
    for (const waiter of this.waiters) waiter.resolve();
  }

  private reached(position: bigint): boolean {
    const current = this.current();
    return current !== null && current >= position;
  }
}
