import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '@asiointitili/core';
import { helsinkiDate, isValidHetu } from '@asiointitili/domain';

/**
 * The service's clock for checks that run inside class-validator, which knows no Nest provider:
 * the validation pipe (and the bulk send's per-item check) run validation inside
 * `withServiceClock(runtime.clock, …)`. Outside such a run the system clock is used.
 */
const current = new AsyncLocalStorage<Clock>();

export const withServiceClock = <T>(clock: Clock, run: () => T): T => current.run(clock, run);

/** Today as 'YYYY-MM-DD' in Finland (a person born today in Helsinki has today's date in the code). */
export function serviceToday(clock?: Clock): string {
  const now = (clock ?? current.getStore())?.now() ?? new Date();
  return helsinkiDate(now.toISOString());
}

/** The one rule for a henkilötunnus arriving at the API, single or bulk: valid, and not born after today. */
export const isServiceHetu = (value: string, clock?: Clock): boolean => isValidHetu(value, { today: serviceToday(clock) });
