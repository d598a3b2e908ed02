/**
 * The Finnish business id (Y-tunnus): seven digits, a hyphen and a check digit (NNNNNNN-C).
 *
 * The check digit: weigh the digits by 7 9 10 5 8 4 2, sum, take the remainder mod 11.
 * Remainder 0 gives 0; remainder 1 is never issued (no id has it); otherwise 11 − remainder.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2] as const;
const SHAPE = /^(\d{7})-(\d)$/;

export type BusinessIdRejectionReason = 'bad-format' | 'bad-checksum';

export type BusinessIdParseResult =
  | { readonly ok: true; readonly businessId: string }
  | { readonly ok: false; readonly reason: BusinessIdRejectionReason; readonly detail: string };

/** The check digit of seven digits, or undefined when they can carry none (remainder 1). */
export function businessIdCheckDigit(sevenDigits: string): number | undefined {
  if (!/^\d{7}$/.test(sevenDigits)) throw new RangeError('a Y-tunnus check digit is computed over exactly seven digits');
  const sum = WEIGHTS.reduce((total, weight, index) => total + weight * Number(sevenDigits[index]), 0);
  const remainder = sum % 11;
  if (remainder === 0) return 0;
  if (remainder === 1) return undefined;
  return 11 - remainder;
}

/** Parses a Y-tunnus; surrounding white space is ignored. */
export function parseBusinessId(input: string): BusinessIdParseResult {
  const candidate = input.trim();
  const match = SHAPE.exec(candidate);
  if (!match) return { ok: false, reason: 'bad-format', detail: 'a Y-tunnus is seven digits, a hyphen and a check digit (1234567-8)' };
  const [, digits, check] = match;
  const expected = businessIdCheckDigit(digits);
  if (expected === undefined) return { ok: false, reason: 'bad-checksum', detail: `${digits} cannot carry a check digit (remainder 1)` };
  if (Number(check) !== expected) return { ok: false, reason: 'bad-checksum', detail: 'the check digit does not match' };
  return { ok: true, businessId: candidate };
}

export function isValidBusinessId(input: string): boolean {
  return parseBusinessId(input).ok;
}
