import type { DomainError } from './errors';

/**
 * A decider is the whole behaviour of one aggregate as three pure functions.
 * `decide` answers a command with the events it causes (possibly none: an idempotent repeat),
 * or with a DomainError that names the broken rule. It never throws for a business reason.
 */
export interface Decider<C, E, S> {
  readonly initialState: S;
  decide(command: C, state: S): DecideResult<E>;
  evolve(state: S, event: E): S;
}

export type DecideResult<E> = { readonly ok: true; readonly events: readonly E[] } | { readonly ok: false; readonly error: DomainError };

export const accept = <E>(...events: E[]): DecideResult<E> => ({ ok: true, events });
export const reject = <E>(error: DomainError): DecideResult<E> => ({ ok: false, error });

export function fold<E, S>(decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>, events: readonly E[]): S {
  return events.reduce(decider.evolve, decider.initialState);
}

/** Compile-time proof that a switch handled every case. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
