/**
 * What a follower of the log (or a periodic job beside it) is doing, for readiness and metrics:
 * - `starting`: not yet subscribed;
 * - `running`: subscribed (or ticking) and its last store call succeeded;
 * - `retrying`: a store call failed; it waits (back-off) and resumes from its stored checkpoint;
 * - `poisoned`: one event fails deterministically; stopped until the cause is fixed (see `poison`);
 * - `failed`: cannot run at all (e.g. the log ends before its checkpoint); stopped;
 * - `standby`: this process does not hold the worker lease; another worker runs it;
 * - `stopped`: shut down on purpose.
 */
export type FollowerState = 'starting' | 'running' | 'retrying' | 'poisoned' | 'failed' | 'standby' | 'stopped';

export const FOLLOWER_STATES: readonly FollowerState[] = ['starting', 'running', 'retrying', 'poisoned', 'failed', 'standby', 'stopped'];

export interface PoisonReport {
  readonly position: string;
  readonly type: string;
  readonly stream: string;
  readonly eventId: string;
  readonly error: string;
}

export interface FollowerStatus {
  readonly name: string;
  readonly state: FollowerState;
  /** Last global position handled and checkpointed, as a decimal string (null before the first, or for a periodic job). */
  readonly position: string | null;
  /** Failures since the last success (0 while healthy). */
  readonly consecutiveFailures: number;
  readonly lastError: string | null;
  readonly poison: PoisonReport | null;
}

/** Anything the registry can ask for its status. */
export interface StatusSource {
  status(): FollowerStatus;
}

/** Told about every retry, so a metric can count them (AppMetrics implements it). */
export interface FollowerObserver {
  followerRetried(name: string): void;
}

/**
 * The followers of one process, by name: the read-model runner, the process managers' reactors,
 * the deadline ticker, the attachment sweeper, and whatever follows the log later (webhooks).
 * Readiness and /metrics read it; nothing in it decides anything.
 */
export class FollowerRegistry implements FollowerObserver {
  private readonly sources = new Map<string, StatusSource>();
  private readonly observers: FollowerObserver[] = [];

  register(name: string, source: StatusSource): void {
    this.sources.set(name, source);
  }

  unregister(name: string): void {
    this.sources.delete(name);
  }

  statuses(): FollowerStatus[] {
    return [...this.sources.values()].map((source) => source.status());
  }

  observe(observer: FollowerObserver): void {
    this.observers.push(observer);
  }

  followerRetried(name: string): void {
    for (const observer of this.observers) observer.followerRetried(name);
  }
}

/** Whether a follower in this state is doing what it should (standby counts: another worker is active). */
export function isHealthy(state: FollowerState): boolean {
  return state === 'running' || state === 'standby';
}
