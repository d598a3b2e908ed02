/**
 * Bounds how much of a slow kind of work runs at once: at most `atOnce` run, at most `waiting`
 * more wait their turn (first come, first served, each for at most `maxWaitMs`), and one key
 * (a client address) may hold at most `perKey` places, running or waiting. Whatever is beyond
 * is refused at once, which costs nothing: that is the point.
 */
export interface ConcurrencyLimits {
  readonly atOnce: number;
  readonly waiting: number;
  readonly perKey: number;
  readonly maxWaitMs: number;
}

/** Why a caller did not get a place: its own key holds too many (`key`), or the gate is full (`busy`, `timeout`). */
export type GateRefusal = 'key' | 'busy' | 'timeout';

export class GateRefused extends Error {
  constructor(readonly reason: GateRefusal) {
    super(`refused by the concurrency gate: ${reason}`);
    this.name = 'GateRefused';
  }
}

interface Waiter {
  readonly admit: () => void;
  readonly timer: NodeJS.Timeout;
}

export class ConcurrencyGate {
  private running = 0;
  private readonly queue: Waiter[] = [];
  private readonly perKey = new Map<string, number>();

  constructor(private readonly limits: ConcurrencyLimits) {}

  /** Runs `work` when a place is free, or rejects with GateRefused without running it. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const held = this.perKey.get(key) ?? 0;
    if (held >= this.limits.perKey) throw new GateRefused('key');
    if (this.running >= this.limits.atOnce && this.queue.length >= this.limits.waiting) throw new GateRefused('busy');
    this.perKey.set(key, held + 1);
    try {
      if (this.running >= this.limits.atOnce) await this.wait();
      else this.running++;
      try {
        return await work();
      } finally {
        this.release();
      }
    } finally {
      const left = (this.perKey.get(key) ?? 1) - 1;
      if (left === 0) this.perKey.delete(key);
      else this.perKey.set(key, left);
    }
  }

  /** Places taken now (for tests and metrics). */
  get load(): { running: number; waiting: number; keys: number } {
    return { running: this.running, waiting: this.queue.length, keys: this.perKey.size };
  }

  private wait(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        // The releasing caller hands its place over: `running` stays the same.
        admit: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(new GateRefused('timeout'));
        }, this.limits.maxWaitMs),
      };
      this.queue.push(waiter);
    });
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next.admit();
    else this.running--;
  }
}
