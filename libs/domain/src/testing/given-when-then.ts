/**
 * Given/when/then for deciders, without I/O and without a test framework (so it also builds
 * outside jest): given these past events, when this command, then these events or this error.
 *
 *   const outcome = given(messageDecider, sent).when(open);
 *   expect(outcome.events).toEqual([read]);
 *
 * Reading `events` of a rejected command, or `error` of an accepted one, throws with what
 * actually happened, so a failing test says why.
 */
import { fold, type DecideResult, type Decider } from '../decider';
import type { DomainError } from '../errors';

export interface Outcome<E, S> {
  readonly result: DecideResult<E>;
  /** The events the command caused (possibly none). */
  readonly events: readonly E[];
  /** The broken rule. */
  readonly error: DomainError;
  /** State after the given events and the caused ones: proves `evolve` takes what `decide` gives. */
  readonly state: S;
}

export interface Given<C, E, S> {
  /** State after the given events. */
  readonly state: S;
  when(command: C): Outcome<E, S>;
}

export function given<C, E, S>(decider: Decider<C, E, S>, ...history: readonly E[]): Given<C, E, S> {
  const before = fold(decider, history);
  return {
    state: before,
    when(command: C): Outcome<E, S> {
      const result = decider.decide(command, before);
      return {
        result,
        get events(): readonly E[] {
          if (!result.ok) throw new Error(`expected events, but the command was rejected: ${JSON.stringify(result.error)}`);
          return result.events;
        },
        get error(): DomainError {
          if (result.ok) throw new Error(`expected a rejection, but the command was accepted with: ${JSON.stringify(result.events)}`);
          return result.error;
        },
        get state(): S {
          if (!result.ok) throw new Error(`no new state: the command was rejected: ${JSON.stringify(result.error)}`);
          return result.events.reduce(decider.evolve, before);
        },
      };
    },
  };
}
