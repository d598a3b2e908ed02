import type { Clock } from '@asiointitili/core';
import { helsinkiDate, isValidHetu } from '@asiointitili/domain';

/**
 * The service's clock for checks that run inside class-validator, which knows no Nest provider:
 * the validation pipe (and the bulk send's per-item check) run validation inside
 * `withServiceClock(runtime.clock, …)`. Outside such a run the system clock is used.
 *
 * The clock is in reach for the synchronous part of `run` only. That covers the date rule:
 * class-validator calls every synchronous constraint during the `validate()` call itself and only
 * awaits the promises of asynchronous ones afterwards, and the henkilötunnus rule is synchronous.
 * Not an AsyncLocalStorage: on Node 20 and 22 one turns on the promise hooks for every promise
 * of the process, which cost ~7 % of a send's CPU (docs/benchmarks.md).
 */
let current: Clock | undefined;

export function withServiceClock<T>(clock: Clock, run: () => T): T {
  const outer = current;
  current = clock;
  try {
    return run();
  } finally {
    current = outer;
  }
}

/** Today as 'YYYY-MM-DD' in Finland (a person born today in Helsinki has today's date in the code). */
export function serviceToday(clock?: Clock): string {
  const now = (clock ?? current)?.now() ?? new Date();
  return helsinkiDate(now.toISOString());
}

/** The one rule for a henkilötunnus arriving at the API, single or bulk: valid, and not born after today. */
export const isServiceHetu = (value: string, clock?: Clock): boolean => isValidHetu(value, { today: serviceToday(clock) });
