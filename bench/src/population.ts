import { HETU_MAX_INDIVIDUAL_NUMBER, HETU_MIN_INDIVIDUAL_NUMBER, hetuCheckCharacter } from '@asiointitili/domain/identity/hetu';

/** Birth dates used: days 1–28 of every month of 1970, so every date exists. */
const DATES_PER_YEAR = 28 * 12;
const INDIVIDUAL_NUMBERS = HETU_MAX_INDIVIDUAL_NUMBER - HETU_MIN_INDIVIDUAL_NUMBER + 1;
export const MAX_POPULATION = DATES_PER_YEAR * INDIVIDUAL_NUMBERS;

/**
 * The n-th synthetic citizen's henkilötunnus: distinct for every n below MAX_POPULATION, valid
 * (checksum included), and born in 1970 so that no real person's code is implied by the order.
 */
export function syntheticHetu(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= MAX_POPULATION) throw new RangeError(`citizen number must be 0..${MAX_POPULATION - 1}, got ${n}`);
  const dateIndex = n % DATES_PER_YEAR;
  const day = (dateIndex % 28) + 1;
  const month = Math.floor(dateIndex / 28) + 1;
  const individual = HETU_MIN_INDIVIDUAL_NUMBER + Math.floor(n / DATES_PER_YEAR);
  const six = `${two(day)}${two(month)}70`;
  const three = String(individual).padStart(3, '0');
  return `${six}-${three}${hetuCheckCharacter(six + three)}`;
}

export function population(size: number): string[] {
  return Array.from({ length: size }, (_, n) => syntheticHetu(n));
}

/**
 * Which citizen the k-th message goes to: a stride coprime with the population walks all of
 * them before repeating, so consecutive requests hit different accounts (no artificial
 * contention on one stream) and every inbox fills evenly.
 */
export function recipientIndex(k: number, size: number): number {
  return (k * 7919) % size;
}

function two(value: number): string {
  return String(value).padStart(2, '0');
}
