/**
 * The Finnish personal identity code (henkilötunnus, hetu): DDMMYYCZZZQ.
 *
 * DDMMYY is the date of birth, C the century sign, ZZZ the individual number and Q a check
 * character. Since the 2023 reform (Act 128/2010 as amended, in force 1.1.2023) the 1900s may
 * also be signed Y X W V U and the 2000s B C D E F beside the original `-` and `A`.
 *
 * The code is personal data: callers hash the normalised form into a citizenRef and keep the
 * code itself out of events, stream names and logs.
 */
import { daysInMonth } from '../legal-time';

const CENTURY_BY_SIGN: Readonly<Record<string, number>> = {
  '+': 1800,
  '-': 1900,
  Y: 1900,
  X: 1900,
  W: 1900,
  V: 1900,
  U: 1900,
  A: 2000,
  B: 2000,
  C: 2000,
  D: 2000,
  E: 2000,
  F: 2000,
};

/** The 31 check characters: digits and letters, leaving out G I O Q Z which look like others. */
export const HETU_CHECK_CHARACTERS = '0123456789ABCDEFHJKLMNPRSTUVWXY';

export const HETU_LENGTH = 11;
/** 000–001 are not used; 900–999 are temporary numbers, not a person's permanent code. */
export const HETU_MIN_INDIVIDUAL_NUMBER = 2;
export const HETU_MAX_INDIVIDUAL_NUMBER = 899;

export type HetuRejectionReason =
  | 'wrong-length'
  | 'bad-format'
  | 'unknown-century-sign'
  | 'no-such-date'
  | 'individual-number-out-of-range'
  | 'bad-checksum'
  | 'born-in-the-future';

export interface Hetu {
  /** Upper case without surrounding white space: the one form to hash into a citizenRef. */
  readonly normalised: string;
  /** 'YYYY-MM-DD' */
  readonly dateOfBirth: string;
  readonly individualNumber: number;
}

export type HetuParseResult =
  | { readonly ok: true; readonly hetu: Hetu }
  | { readonly ok: false; readonly reason: HetuRejectionReason; readonly detail: string };

const SHAPE = /^(\d{2})(\d{2})(\d{2})(.)(\d{3})(.)$/;

const rejected = (reason: HetuRejectionReason, detail: string): HetuParseResult => ({ ok: false, reason, detail });

/** The check character of a code's nine digits (DDMMYYZZZ). */
export function hetuCheckCharacter(nineDigits: string): string {
  if (!/^\d{9}$/.test(nineDigits)) throw new RangeError('a hetu check character is computed over exactly nine digits');
  return HETU_CHECK_CHARACTERS[Number(nineDigits) % 31];
}

/** Space, tab, CR and LF around a code are what people paste; nothing else is trimmed. */
const SURROUNDING_SPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

/**
 * Parses a henkilötunnus. Surrounding ASCII white space is ignored and letters may be in lower
 * case (people type them so); white space inside the code is not accepted. Every character must
 * be printable ASCII *before* the letters are upper-cased: `ſ` (U+017F) upper-cases to `S`, the
 * Kelvin sign to `K`, so folding first would let other strings pass as a check character.
 *
 * `rules.today` ('YYYY-MM-DD', the service's date) refuses a date of birth after it: such a person
 * cannot exist yet. The domain has no clock, so callers pass it; without it the date is not
 * compared.
 */
export interface HetuRules {
  /** 'YYYY-MM-DD': a date of birth after it is refused. */
  readonly today?: string;
}

export function parseHetu(input: string, { today }: HetuRules = {}): HetuParseResult {
  const trimmed = input.replace(SURROUNDING_SPACE, '');
  if (/\s/.test(trimmed)) return rejected('bad-format', 'a henkilötunnus has no white space inside it');
  if (/[^\x21-\x7e]/.test(trimmed)) return rejected('bad-format', 'a henkilötunnus is written in ASCII letters and digits');
  const normalised = trimmed.toUpperCase();
  if (normalised.length !== HETU_LENGTH) {
    return rejected('wrong-length', `a henkilötunnus has ${HETU_LENGTH} characters, this has ${normalised.length}`);
  }
  const match = SHAPE.exec(normalised);
  if (!match) return rejected('bad-format', 'a henkilötunnus is DDMMYY, a century sign, three digits and a check character');
  const [, dd, mm, yy, sign, zzz, check] = match;

  const century = CENTURY_BY_SIGN[sign];
  if (century === undefined) return rejected('unknown-century-sign', `"${sign}" is not a century sign (+, -, Y X W V U, A B C D E F)`);

  const year = century + Number(yy);
  const month = Number(mm);
  const day = Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return rejected('no-such-date', `${dd}.${mm}.${year} is not a date`);
  }

  const individualNumber = Number(zzz);
  if (individualNumber < HETU_MIN_INDIVIDUAL_NUMBER || individualNumber > HETU_MAX_INDIVIDUAL_NUMBER) {
    return rejected('individual-number-out-of-range', `the individual number must be 002–899, not ${zzz}`);
  }

  const expected = hetuCheckCharacter(`${dd}${mm}${yy}${zzz}`);
  if (check !== expected) return rejected('bad-checksum', 'the check character does not match');

  const dateOfBirth = `${year}-${mm}-${dd}`;
  if (today !== undefined && dateOfBirth > today) return rejected('born-in-the-future', 'the date of birth is after today');

  return {
    ok: true,
    hetu: { normalised, dateOfBirth, individualNumber },
  };
}

export function isValidHetu(input: string, rules?: HetuRules): boolean {
  return parseHetu(input, rules).ok;
}
