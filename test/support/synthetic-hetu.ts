/** Check characters of the henkilötunnus, indexed by the nine digits modulo 31. */
const CHECK_CHARACTERS = '0123456789ABCDEFHJKLMNPRSTUVWXY';

/**
 * The `n`th of a series of valid, made-up henkilötunnus values (born 1 January 1990, individual
 * numbers from 200 up): enough distinct recipients for load tests, none of them a real person's
 * on purpose, each with a correct check character.
 */
export function syntheticHetu(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 699) throw new RangeError(`n must be 0..699, got ${n}`);
  const birth = '010190';
  const individual = String(200 + n).padStart(3, '0');
  return `${birth}-${individual}${CHECK_CHARACTERS[Number(birth + individual) % 31]}`;
}
