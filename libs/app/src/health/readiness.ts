import type { Clock } from '@asiointitili/core';
import { isHealthy, type FollowerRegistry, type FollowerStatus } from '../followers/follower-status';
import { READ_MODELS_CHECKPOINT } from '../read/projections/projection-runner';
import type { Runtime } from '../runtime/runtime';
import { checkPorts, type CheckedPorts, type PortCheck } from './port-checks';

export interface ReadinessSources extends CheckedPorts {
  readonly clock: Clock;
  readonly followers: FollowerRegistry;
  /** READINESS_MAX_LAG_MS: how far (in time) the read models may trail the log. */
  readonly maxLagMs: number;
}

/** What readiness looks at in a runtime: its ports, followers, clock and READINESS_MAX_LAG_MS. */
export function readinessSourcesOf(runtime: Runtime): ReadinessSources {
  const { events, readStore, blobs, clock, followers, config } = runtime;
  return { events, readStore, blobs, clock, followers, maxLagMs: config.readinessMaxLagMs };
}

export interface ReadModelLag {
  /** Stored checkpoint of the read models (whichever worker wrote it), decimal, or null. */
  readonly checkpoint: string | null;
  readonly headPosition: string | null;
  /** Age of the oldest event the read models do not include yet (0: caught up; null: unknown, a store is down). */
  readonly lagMs: number | null;
  readonly maxLagMs: number;
}

export interface ReadinessReport {
  readonly ready: boolean;
  /** One sentence per thing that is wrong; empty when ready. */
  readonly problems: readonly string[];
  readonly ports: readonly PortCheck[];
  readonly followers: readonly FollowerStatus[];
  readonly readModels: ReadModelLag;
}

/**
 * Whether this process can serve correctly (GET /health/ready): every port reachable, every
 * follower it runs subscribed (or standing by for the active worker), and the read models, as
 * stored by whichever worker is active, no more than READINESS_MAX_LAG_MS behind the log. The
 * lag is read from the store, not from this process's memory, so an API process with
 * WORKER=off also turns unready when no worker keeps the read models up to date.
 */
export async function assessReadiness(sources: ReadinessSources): Promise<ReadinessReport> {
  const ports = await checkPorts(sources);
  const problems: string[] = [];
  for (const check of ports) if (!check.reachable) problems.push(`${check.port} unreachable: ${check.error ?? 'no answer'}`);
  const followers = sources.followers.statuses();
  for (const follower of followers) {
    if (isHealthy(follower.state)) continue;
    if (follower.state === 'poisoned' && follower.poison) {
      problems.push(`${follower.name} stopped at poison event ${follower.poison.position} (${follower.poison.type}): ${follower.poison.error}`);
    } else {
      problems.push(`${follower.name} is ${follower.state}${follower.lastError ? `: ${follower.lastError}` : ''}`);
    }
  }
  const reachable = (port: PortCheck['port']) => ports.find((check) => check.port === port)?.reachable === true;
  const readModels = reachable('event store') && reachable('read store') ? await readModelLag(sources).catch(() => unknownLag(sources)) : unknownLag(sources);
  if (readModels.lagMs !== null && readModels.lagMs > sources.maxLagMs) {
    problems.push(`read models are ${readModels.lagMs} ms behind the log (at ${readModels.checkpoint ?? 'none'} of ${readModels.headPosition}; READINESS_MAX_LAG_MS=${sources.maxLagMs})`);
  }
  return { ready: problems.length === 0, problems, ports, followers, readModels };
}

/** How far the stored read models trail the log (also the `asiointitili_read_models_lag_seconds` metric). */
export async function readModelLag(sources: Pick<ReadinessSources, 'events' | 'readStore' | 'clock' | 'maxLagMs'>): Promise<ReadModelLag> {
  const [stored, head] = await Promise.all([sources.readStore.checkpoint(READ_MODELS_CHECKPOINT), sources.events.headPosition()]);
  const base = { checkpoint: stored?.toString() ?? null, headPosition: head?.toString() ?? null, maxLagMs: sources.maxLagMs };
  if (head === null || (stored !== null && stored >= head)) return { ...base, lagMs: 0 };
  const [oldest] = await sources.events.readAll({ after: stored ?? undefined, maxCount: 1 });
  if (!oldest) return { ...base, lagMs: 0 };
  const age = sources.clock.now().getTime() - Date.parse(oldest.metadata.occurredAt);
  return { ...base, lagMs: Number.isFinite(age) ? Math.max(0, age) : 0 };
}

function unknownLag(sources: Pick<ReadinessSources, 'maxLagMs'>): ReadModelLag {
  return { checkpoint: null, headPosition: null, lagMs: null, maxLagMs: sources.maxLagMs };
}
