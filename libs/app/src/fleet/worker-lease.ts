import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import type { Fence, Lease, ReadStore } from '@asiointitili/core';
import { describeError } from '../followers/failures';
import type { FollowerState, FollowerStatus, StatusSource } from '../followers/follower-status';
import { LeaseLostError } from './fenced-read-store';

/** Name of the lease the active worker holds, in the read store. */
export const WORKER_LEASE = 'worker';

/** What the active worker runs: started on taking the lease, stopped on losing it. */
export interface LeaseDuties {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerLeaseOptions {
  /** WORKER_LEASE_TTL_MS: how long a claim is good for; a standby takes over this long after the active worker stopped renewing. */
  readonly ttlMs: number;
  /** How often the holder renews and the standbys try; default a fifth of the TTL. */
  readonly renewEveryMs?: number;
  /** Unique per process start; default `<host>/<pid>/<random>`. */
  readonly holder?: string;
}

/**
 * Exactly one active worker among any number of processes (workers, and APIs without
 * WORKER=off), on any store: a lease record in the read store, claimed and renewed by
 * compare-and-set (ReadStore.claimLease), taken over by a standby once it expires.
 *
 * Why a lease in the read store with an epoch as fencing token (rather than, say, an advisory
 * lock of one database): the read store is the one store every deployment shape has that the
 * workers write to anyway (SQLite on the embedded default, MongoDB/FerretDB in production), and
 * the fence can be checked by that same store on the very writes that matter: the read models,
 * the followers' checkpoints, the deadline schedule. A lease alone cannot stop a holder that was
 * paused (GC, SIGSTOP, a frozen VM) and wakes after losing it; so every such write carries the
 * epoch and the store refuses one older than the lease's (FencedOffError), and the paused holder's
 * write changes nothing. Its appends to the event log need no fence: process managers derive event
 * ids from what they react to (deterministic ids), and their deciders record a repeat as nothing,
 * so a deadline or a paper fallback appended by both the old and the new holder is recorded once.
 * What no fence can undo is a side effect outside the stores (an email notice or a print job sent
 * twice in the moment between a pause and the fence): the holder stops starting such work as soon
 * as its own lease time has run out, which leaves only work already in flight.
 *
 * Time: the lease expires by the claimant's wall clock, so workers' clocks must agree to well
 * within the TTL (NTP). A skew only moves when a standby may take over; the fence keeps it safe.
 * On the same host, a holder whose process is gone is taken over at once instead of after the TTL.
 */
export class WorkerLease implements StatusSource {
  private readonly logger = new Logger('worker-lease');
  private readonly holder: string;
  private readonly renewEveryMs: number;
  private held: { epoch: number; validUntil: number } | null = null;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> = Promise.resolve();
  /** Start and stop of the duties, one at a time and in order. */
  private transitions: Promise<void> = Promise.resolve();
  private lastSeen: Lease | null = null;
  private lastError: string | null = null;
  private failures = 0;
  private state: FollowerState = 'starting';

  constructor(
    private readonly store: ReadStore,
    private readonly duties: LeaseDuties,
    private readonly options: WorkerLeaseOptions,
  ) {
    this.holder = options.holder ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
    this.renewEveryMs = options.renewEveryMs ?? Math.max(50, Math.floor(options.ttlMs / 5));
  }

  /**
   * Makes the first claim and, when it wins, starts the duties before resolving (so a single
   * process is fully up when its start returns, and a duty that cannot start stops the process);
   * then renews or watches in the background.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.tick();
    await this.transitions;
    this.schedule();
  }

  /** Stops renewing, stops the duties, and releases the lease so a standby takes over at once. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    const held = this.held;
    if (held) this.lose('stopping');
    await this.transitions.catch(() => undefined);
    if (held) await this.store.releaseLease(WORKER_LEASE, this.holder, held.epoch).catch(() => undefined);
    this.state = 'stopped';
  }

  /** The fence for a write of the active worker; LeaseLostError when this process does not hold the lease by its own clock. */
  fence(): Fence {
    const held = this.held;
    if (!held) throw new LeaseLostError(WORKER_LEASE);
    if (performance.now() >= held.validUntil) {
      // Our time ran out before a renewal (the event loop stalled longer than the TTL, or the store
      // was slow): the duty that asked stops itself on this error, so stop them all and let the
      // next claim start them again. Without this, a renewal at the same epoch would find the
      // lease still "held" and never restart the duty that stood down.
      this.lose('its time ran out before a renewal');
      throw new LeaseLostError(WORKER_LEASE);
    }
    return { lease: WORKER_LEASE, epoch: held.epoch };
  }

  isActive(): boolean {
    return this.held !== null;
  }

  holderId(): string {
    return this.holder;
  }

  status(): FollowerStatus {
    return {
      name: 'worker-lease',
      state: this.state,
      position: this.held ? String(this.held.epoch) : null,
      consecutiveFailures: this.failures,
      lastError: this.lastError,
      poison: null,
    };
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ticking = this.tick().finally(() => this.schedule());
    }, this.renewEveryMs);
  }

  private async tick(): Promise<void> {
    const started = performance.now();
    let lease: Lease;
    try {
      lease = await this.store.claimLease(WORKER_LEASE, this.holder, this.options.ttlMs, Date.now(), { takeOverFrom: this.deadLocalHolder() });
    } catch (error) {
      this.failures += 1;
      this.lastError = describeError(error);
      if (this.failures === 1 || this.failures % 10 === 0) this.logger.warn(`could not reach the read store to ${this.held ? 'renew' : 'claim'} the lease: ${this.lastError}`);
      // Without a renewal the lease runs out by our own clock: stop before a standby may take over.
      if (this.held && performance.now() >= this.held.validUntil) this.lose('its time ran out without a renewal');
      return;
    }
    this.failures = 0;
    this.lastError = null;
    this.lastSeen = lease;
    if (!this.running) return;
    if (lease.holder !== this.holder) {
      if (this.held) this.lose(`taken over by ${lease.holder} at epoch ${lease.epoch}`);
      if (this.state !== 'failed') this.state = 'standby';
      return;
    }
    const validUntil = started + this.options.ttlMs;
    if (this.held && this.held.epoch === lease.epoch) {
      this.held.validUntil = validUntil;
      return;
    }
    if (this.held) this.lose(`the lease moved to epoch ${lease.epoch}`);
    this.held = { epoch: lease.epoch, validUntil };
    this.state = 'running';
    this.logger.log(`active worker (lease "${WORKER_LEASE}" epoch ${lease.epoch}, holder ${this.holder})`);
    const epoch = lease.epoch;
    this.transitions = this.transitions.then(async () => {
      if (this.held?.epoch !== epoch) return;
      try {
        await this.duties.start();
      } catch (error) {
        this.logger.error(`could not start the worker's duties, giving the lease up: ${describeError(error)}`);
        this.state = 'failed';
        this.lastError = describeError(error);
        this.running = false;
        this.held = null;
        await this.duties.stop().catch(() => undefined);
        await this.store.releaseLease(WORKER_LEASE, this.holder, epoch).catch(() => undefined);
        throw error;
      }
    });
  }

  private lose(why: string): void {
    this.held = null;
    if (this.state === 'running') this.state = 'standby';
    this.logger.warn(`no longer the active worker (${why}); standing by`);
    this.transitions = this.transitions.catch(() => undefined).then(() => this.duties.stop());
  }

  /** The holder we last saw, if it ran on this host and its process is gone (crashed, killed): no need to wait out its lease. */
  private deadLocalHolder(): string | undefined {
    const seen = this.lastSeen;
    if (!seen || seen.holder === this.holder) return undefined;
    const [host, pidText] = seen.holder.split('/');
    const pid = Number(pidText);
    if (host !== hostname() || !Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
    try {
      process.kill(pid, 0);
      return undefined; // alive (or paused): wait for the lease to expire
    } catch (error) {
      return (error as { code?: string }).code === 'ESRCH' ? seen.holder : undefined;
    }
  }
}
