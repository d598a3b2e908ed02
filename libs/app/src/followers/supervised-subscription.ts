import { Logger } from '@nestjs/common';
import type { EventStore, RecordedEvent, Subscription } from '@asiointitili/core';
import { PositionWaiters } from '../read/position-waiters';
import { LogBehindCheckpointError } from '../read/projections/log-continuity';
import { backOffDelay, DEFAULT_BACK_OFF, type BackOffOptions } from './back-off';
import { describeError, EventFailure, isFencedOff, isTransient } from './failures';
import type { FollowerObserver, FollowerState, FollowerStatus, PoisonReport, StatusSource } from './follower-status';

/** Consecutive failures of the same event, with every port reachable, that make it poison. */
export const DEFAULT_POISON_AFTER = 5;

export interface SupervisedSubscriptionOptions {
  /** Names the follower in logs, metrics and readiness; usually its checkpoint name. */
  readonly name: string;
  readonly events: EventStore;
  /**
   * Runs before every (re)subscription and returns the stored checkpoint to resume after (null:
   * from the beginning). Also the place for preparation that must succeed first (indexes).
   */
  resume(): Promise<bigint | null>;
  /**
   * Handles one batch and stores the checkpoint. A failure while handling one event is to be
   * thrown as an EventFailure naming it; anything else counts as a failed store call.
   */
  handle(batch: readonly RecordedEvent[]): Promise<void>;
  readonly maxBatch?: number;
  readonly backOff?: BackOffOptions;
  readonly poisonAfter?: number;
  /** Whether every port answers now: an event is judged poison only while they do. */
  portsReachable(): Promise<boolean>;
  readonly observer?: FollowerObserver;
}

const STOPPED = Symbol('stopped');

/**
 * The supervisor of one follower of the log: subscribes from the stored checkpoint and, whenever
 * anything fails (the event store, the read store, a channel the handler calls), waits with capped
 * exponential back-off and jitter and subscribes again from the checkpoint, without end. Handlers
 * are idempotent (position guards, deterministic event ids), so the batch that failed is simply
 * handled again.
 *
 * Only two things stop it:
 * - a poison event: the same event fails `poisonAfter` times in a row with an error that does not
 *   say "unavailable", and every port answers at that moment, so the failure is the event's (or the
 *   code's), not the infrastructure's. Skipping it would silently lose it from the read model or the
 *   legal process; so the follower stops and says so loudly, with the event's position, type,
 *   stream and id, and readiness names it until the cause is fixed and the process restarted;
 * - LogBehindCheckpointError: the log has lost events this follower already handled.
 * And it stands by, without retrying, when its write was fenced off: another worker holds the lease.
 */
export class SupervisedSubscription implements StatusSource {
  private readonly logger: Logger;
  private readonly waiters = new PositionWaiters(() => this.handledUpTo);
  private state: FollowerState = 'starting';
  private handledUpTo: bigint | null = null;
  private failures = 0;
  private lastError: string | null = null;
  private poison: PoisonReport | null = null;
  private sameEventFailures = { position: null as bigint | null, count: 0 };
  private running = false;
  private loop: Promise<void> | null = null;
  private subscription: Subscription | null = null;
  private endSubscription: ((reason: unknown) => void) | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly options: SupervisedSubscriptionOptions) {
    this.logger = new Logger(options.name);
  }

  /**
   * Starts following. Resolves once the first subscription is open or the first attempt failed
   * and is being retried (a store that is down at start delays nothing else); rejects only when
   * the follower cannot run at all (LogBehindCheckpointError), so the process refuses to start.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.state = 'starting';
    let firstOutcome!: (error?: unknown) => void;
    const first = new Promise<void>((resolve, reject) => (firstOutcome = (error) => (error === undefined ? resolve() : reject(error))));
    this.loop = this.run(firstOutcome);
    await first;
  }

  /** Stops following; resolves once no handler call is running. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    this.endSubscription?.(STOPPED);
    await this.loop;
    this.loop = null;
    if (this.state !== 'poisoned' && this.state !== 'failed') this.state = 'stopped';
    this.waiters.releaseAll();
  }

  /** Marks the follower as standing by for another worker (only while it is not running). */
  standBy(): void {
    if (!this.running) this.state = 'standby';
  }

  position(): bigint | null {
    return this.handledUpTo;
  }

  /** Resolves true once events up to `position` are handled (false on timeout or stop). */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.waiters.waitFor(position, timeoutMs);
  }

  status(): FollowerStatus {
    return {
      name: this.options.name,
      state: this.state,
      position: this.handledUpTo?.toString() ?? null,
      consecutiveFailures: this.failures,
      lastError: this.lastError,
      poison: this.poison,
    };
  }

  private async run(firstOutcome: (error?: unknown) => void): Promise<void> {
    let reported = false;
    const report = (error?: unknown) => {
      if (reported) return;
      reported = true;
      firstOutcome(error);
    };
    while (this.running) {
      let failure: unknown;
      try {
        const after = await this.options.resume();
        if (!this.running) break;
        this.handledUpTo = after;
        // After a failure, nothing left to handle counts as recovered; otherwise the next delivered batch does.
        if (this.failures > 0) {
          const head = await this.options.events.headPosition();
          if (head === null || (after !== null && head <= after)) this.recovered();
        }
        failure = await new Promise<unknown>((resolve) => {
          this.endSubscription = resolve;
          this.subscription = this.options.events.subscribeAll((batch) => this.deliver(batch), {
            after: after ?? undefined,
            maxBatch: this.options.maxBatch,
            onError: resolve,
          });
          if (this.failures === 0) this.state = 'running';
          report();
        });
      } catch (error) {
        failure = error;
      }
      const subscription = this.subscription;
      this.subscription = null;
      this.endSubscription = null;
      await subscription?.stop().catch(() => undefined);
      if (failure === STOPPED || !this.running) break;
      if (await this.isTerminal(failure)) {
        this.running = false;
        report(failure instanceof LogBehindCheckpointError ? failure : undefined);
        break;
      }
      this.retrying(failure);
      report();
      await this.sleep(backOffDelay(this.failures, this.options.backOff ?? DEFAULT_BACK_OFF));
    }
    report();
  }

  private async deliver(batch: readonly RecordedEvent[]): Promise<void> {
    await this.options.handle(batch);
    if (batch.length === 0) return;
    this.handledUpTo = batch[batch.length - 1]!.position;
    this.recovered();
    this.waiters.advanced();
  }

  private recovered(): void {
    if (this.failures > 0) this.logger.log(`resumed after ${this.failures} failed attempt(s); at position ${this.handledUpTo ?? 'start'}`);
    this.failures = 0;
    this.lastError = null;
    this.sameEventFailures = { position: null, count: 0 };
    this.state = 'running';
  }

  private retrying(failure: unknown): void {
    this.failures += 1;
    this.lastError = describeError(failure);
    this.state = 'retrying';
    this.options.observer?.followerRetried(this.options.name);
    // The first failure and then every tenth: an outage of an hour must not flood the log.
    if (this.failures === 1 || this.failures % 10 === 0) {
      this.logger.warn(`store call failed (${this.failures} in a row), resuming from the checkpoint with back-off: ${this.lastError}`);
    }
  }

  /** Poison event or lost log: this follower must stop. Everything else is retried. */
  private async isTerminal(failure: unknown): Promise<boolean> {
    if (failure instanceof LogBehindCheckpointError) {
      this.state = 'failed';
      this.lastError = failure.message;
      this.logger.error(failure.message);
      return true;
    }
    if (isFencedOff(failure)) {
      // Another worker holds the lease: not a failure to retry. The lease keeper stops this follower too.
      this.state = 'standby';
      this.lastError = null;
      this.logger.log(`stopped: ${describeError(failure instanceof EventFailure ? failure.cause : failure)}`);
      return true;
    }
    if (!(failure instanceof EventFailure) || isTransient(failure.cause)) return false;
    const position = failure.event.position;
    const same = this.sameEventFailures.position === position;
    this.sameEventFailures = { position, count: same ? this.sameEventFailures.count + 1 : 1 };
    if (this.sameEventFailures.count < (this.options.poisonAfter ?? DEFAULT_POISON_AFTER)) return false;
    if (!(await this.options.portsReachable().catch(() => false))) return false;
    const { event } = failure;
    this.poison = { position: position.toString(), type: event.type, stream: event.stream, eventId: event.id, error: describeError(failure.cause) };
    this.state = 'poisoned';
    this.lastError = failure.message;
    this.logger.error(
      `POISON EVENT: stopped at position ${position} (${event.type}, stream ${event.stream}, event ${event.id}), which failed ` +
        `${this.sameEventFailures.count} times in a row with every store reachable: ${describeError(failure.cause)}. ` +
        'Nothing after it is handled by this follower until the cause is fixed and the process restarted.',
    );
    return true;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }
}
