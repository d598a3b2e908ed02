/**
 * Plumbing for the property-based specs of the deciders: run a command sequence the way the
 * command executor does (decide on the folded state, keep what was accepted), keeping every step
 * so that invariants can look at the whole history.
 */
import type { Decider } from '../decider';
import type { DomainError } from '../errors';

export interface Step<C, E, S> {
  readonly command: C;
  readonly before: S;
  /** The events the command caused; empty when it was rejected or was a repeat. */
  readonly events: readonly E[];
  readonly error?: DomainError;
  readonly after: S;
}

export interface Run<C, E, S> {
  readonly steps: readonly Step<C, E, S>[];
  /** Every accepted event, in order: what the log would hold. */
  readonly log: readonly E[];
  readonly state: S;
}

/**
 * Runs `commands` one after another. The state handed to `decide` is deep-frozen, so a decider
 * that mutates its input fails loudly here instead of corrupting a cached state in production.
 */
export function runCommands<C, E, S>(decider: Decider<C, E, S>, commands: readonly C[]): Run<C, E, S> {
  let state = decider.initialState;
  const log: E[] = [];
  const steps: Step<C, E, S>[] = [];
  for (const command of commands) {
    const before = deepFreeze(state);
    const result = decider.decide(command, before);
    if (result.ok) {
      state = result.events.reduce(decider.evolve, before);
      log.push(...result.events);
      steps.push({ command, before, events: result.events, after: state });
    } else {
      steps.push({ command, before, events: [], error: result.error, after: before });
    }
  }
  return { steps, log, state };
}

/** What a store hands back: the events as JSON, not as the objects the decider made. */
export const asStored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<string | symbol, unknown>)[key]);
  }
  return value;
}
