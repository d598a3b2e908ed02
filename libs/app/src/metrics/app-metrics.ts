import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock, EventStore } from '@asiointitili/core';
import { FOLLOWER_STATES, type FollowerObserver, type FollowerRegistry } from '../followers/follower-status';
import type { CommandObserver, CommandOutcome } from '../write/command-observer';

/** Something that follows the log from a checkpoint: the read-model runner, a process manager. */
export interface CheckpointSource {
  /** The last global position applied, or null before the first batch. */
  checkpoint(): bigint | null;
}

/** Prefix of every series of this service. */
export const METRIC_PREFIX = 'asiointitili_';

/**
 * Latency buckets in seconds: fine below 25 ms, where the send and inbox targets are, coarse
 * above a second, where anything is an incident anyway.
 */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The process's Prometheus metrics, one registry per runtime (so several apps in one test process
 * never share counters): commands by type and outcome, append latency, HTTP latency by route and
 * status, and the lag of every projection behind the head of the log. Labels never carry a
 * path with ids, a hetu or a citizenRef: routes are templates, commands are types.
 */
export class AppMetrics implements CommandObserver, FollowerObserver {
  readonly registry = new Registry();
  private readonly commands: Counter<'type' | 'outcome'>;
  private readonly commandSeconds: Histogram<'type'>;
  private readonly appendSeconds: Histogram;
  private readonly http: Histogram<'method' | 'route' | 'status'>;
  private readonly checkpoints = new Map<string, CheckpointSource>();
  private readonly followerRetries: Counter<'follower'>;
  private readonly followerRegistries: FollowerRegistry[] = [];
  private readModelLagSource: (() => Promise<number | null>) | null = null;

  constructor(events: EventStore, clock: Clock, options: { readonly processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.commands = new Counter({
      name: `${METRIC_PREFIX}commands_total`,
      help: 'Commands executed, by command type and outcome (appended, unchanged, rejected, contention, failed).',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.commandSeconds = new Histogram({
      name: `${METRIC_PREFIX}command_duration_seconds`,
      help: 'Time to load, decide and append one command, retries included.',
      labelNames: ['type'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.appendSeconds = new Histogram({
      name: `${METRIC_PREFIX}event_store_append_duration_seconds`,
      help: 'Time from append to durable (group commit wait and fsync included).',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.http = new Histogram({
      name: `${METRIC_PREFIX}http_request_duration_seconds`,
      help: 'HTTP requests by method, route template and status, from arrival to the last byte sent.',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const checkpoints = this.checkpoints;
    const lagEvents = new Gauge({
      name: `${METRIC_PREFIX}projection_lag_positions`,
      help: 'Head of the log minus the projection checkpoint, in global positions (events on the embedded store).',
      labelNames: ['projection'],
      registers,
      async collect() {
        const head = await events.headPosition();
        for (const [name, source] of checkpoints) lagEvents.set({ projection: name }, Number(behind(head, source.checkpoint())));
      },
    });
    const lagSeconds = new Gauge({
      name: `${METRIC_PREFIX}projection_lag_seconds`,
      help: 'Age of the oldest event a projection has not applied yet (0 when caught up).',
      labelNames: ['projection'],
      registers,
      async collect() {
        const now = clock.now().getTime();
        for (const [name, source] of checkpoints) {
          const [oldest] = await events.readAll({ after: source.checkpoint() ?? undefined, maxCount: 1 });
          const age = oldest ? Math.max(0, now - Date.parse(oldest.metadata.occurredAt)) / 1000 : 0;
          lagSeconds.set({ projection: name }, Number.isFinite(age) ? age : 0);
        }
      },
    });
    this.followerRetries = new Counter({
      name: `${METRIC_PREFIX}follower_retries_total`,
      help: 'Failed store calls of a follower of the log (read models, process managers, deadline ticker, sweeper), each retried with back-off.',
      labelNames: ['follower'],
      registers,
    });
    const registries = this.followerRegistries;
    const followerState = new Gauge({
      name: `${METRIC_PREFIX}follower_state`,
      help: 'State of each follower of the log in this process: 1 for its current state (starting, running, retrying, poisoned, failed, standby, stopped), 0 for the others.',
      labelNames: ['follower', 'state'],
      registers,
      collect() {
        followerState.reset();
        for (const registry of registries) {
          for (const status of registry.statuses()) {
            for (const state of FOLLOWER_STATES) followerState.set({ follower: status.name, state }, status.state === state ? 1 : 0);
          }
        }
      },
    });
    const lagSource = () => this.readModelLagSource;
    const readModelLag: Gauge = new Gauge({
      name: `${METRIC_PREFIX}read_models_lag_seconds`,
      help: 'Age of the oldest event the stored read models do not include yet, as /health/ready measures it: right in every process, with WORKER=off too (0 when caught up; absent while a store is down).',
      registers,
      async collect() {
        readModelLag.reset();
        const lagMs = await lagSource()?.().catch(() => null);
        if (lagMs !== null && lagMs !== undefined) readModelLag.set(lagMs / 1000);
      },
    });
    const statistics = writeStatisticsOf(events);
    if (statistics) {
      // Group commit at work: appends per transaction is how many commands share one fsync.
      const transactions: Gauge = new Gauge({
        name: `${METRIC_PREFIX}event_store_write_transactions`,
        help: 'Durable write transactions (one fsync each) of the embedded event store since the process started.',
        registers,
        collect: () => transactions.set(statistics().transactions),
      });
      const appends: Gauge = new Gauge({
        name: `${METRIC_PREFIX}event_store_appends`,
        help: 'Appends those transactions carried; appends / transactions = commands per fsync.',
        registers,
        collect: () => appends.set(statistics().appends),
      });
    }
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  /** Reports `source`'s lag as projection="name" (the read models advance together under one checkpoint). */
  watchProjection(name: string, source: CheckpointSource): void {
    this.checkpoints.set(name, source);
  }

  /** Reports the stored read models' lag (asiointitili_read_models_lag_seconds), measured by `measure` in ms. */
  watchReadModelLag(measure: () => Promise<number | null>): void {
    this.readModelLagSource = measure;
  }

  /** Reports every follower of `registry` (state gauge) and counts their retries. */
  watchFollowers(registry: FollowerRegistry): void {
    this.followerRegistries.push(registry);
    registry.observe(this);
  }

  followerRetried(name: string): void {
    this.followerRetries.inc({ follower: name });
  }

  commandFinished(type: string, outcome: CommandOutcome, seconds: number): void {
    this.commands.inc({ type, outcome });
    this.commandSeconds.observe({ type }, seconds);
  }

  appended(seconds: number): void {
    this.appendSeconds.observe(seconds);
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The embedded store counts its transactions and appends; EventStoreDB does its own batching and has no such counters here. */
function writeStatisticsOf(events: EventStore): (() => WriteCounts) | null {
  const source = events as EventStore & { readonly statistics?: WriteCounts };
  return typeof source.statistics?.transactions === 'number' ? () => source.statistics! : null;
}

interface WriteCounts {
  readonly transactions: number;
  readonly appends: number;
}

function behind(head: bigint | null, checkpoint: bigint | null): bigint {
  if (head === null) return 0n;
  const lag = head - (checkpoint ?? 0n);
  return lag > 0n ? lag : 0n;
}

/** Nest injection token of the runtime's AppMetrics. */
export const APP_METRICS = Symbol('APP_METRICS');
