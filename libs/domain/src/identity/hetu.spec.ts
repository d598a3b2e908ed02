import fc from 'fast-check';
import { HETU_CHECK_CHARACTERS, hetuCheckCharacter, isValidHetu, parseHetu } from './hetu';
import { daysInMonth } from '../legal-time';

const reasonOf = (input: string) => {
  const result = parseHetu(input);
  return result.ok ? 'valid' : result.reason;
};

describe('henkilötunnus', () => {
  it('refuses a date of birth after the given day, and accepts one on it', () => {
    expect(parseHetu('010199A123Y', { today: '2026-12-07' })).toMatchObject({ ok: false, reason: 'born-in-the-future' });
    const bornToday = `071226A123${hetuCheckCharacter('071226123')}`;
    expect(parseHetu(bornToday, { today: '2026-12-07' }).ok).toBe(true);
    expect(parseHetu(bornToday, { today: '2026-12-06' })).toMatchObject({ ok: false, reason: 'born-in-the-future' });
    expect(parseHetu('010199A123Y').ok).toBe(true); // no day given: not compared
  });

  it('refuses non-ASCII letters that upper-case to ASCII ones (ſ to S, the Kelvin sign to K), before any case folding', () => {
    const sCode = ['S', 'K'].map((letter) => {
      const digits = Array.from({ length: 1000 }, (_, n) => `010101${String(n).padStart(3, '0')}`).find((d) => hetuCheckCharacter(d) === letter)!;
      return { letter, code: `${digits.slice(0, 6)}-${digits.slice(6)}` };
    });
    for (const { letter, code } of sCode) {
      expect(parseHetu(`${code}${letter}`).ok).toBe(true);
      expect(parseHetu(`${code}${letter.toLowerCase()}`).ok).toBe(true);
      const lookalike = letter === 'S' ? '\u017F' : '\u212A';
      expect(parseHetu(`${code}${lookalike}`)).toMatchObject({ ok: false, reason: 'bad-format' });
    }
  });

  it('trims ASCII white space around a code but no other space (no-break space, ideographic space)', () => {
    expect(parseHetu(' 131052-308T\t').ok).toBe(true);
    expect(reasonOf('\u00a0131052-308T')).toBe('bad-format');
    expect(reasonOf('131052-308T\u3000')).toBe('bad-format');
  });

  it('accepts the well-known example 131052-308T', () => {
    expect(parseHetu('131052-308T')).toEqual({
      ok: true,
      hetu: { normalised: '131052-308T', dateOfBirth: '1952-10-13', individualNumber: 308 },
    });
  });

  it('reads + as the 1800s', () => {
    const result = parseHetu('010199+123Y');
    expect(result.ok && result.hetu.dateOfBirth).toBe('1899-01-01');
  });

  it.each(['-', 'Y', 'X', 'W', 'V', 'U'])('reads %s as the 1900s', (sign) => {
    const result = parseHetu(`010199${sign}123Y`);
    expect(result.ok && result.hetu.dateOfBirth).toBe('1999-01-01');
  });

  it.each(['A', 'B', 'C', 'D', 'E', 'F'])('reads %s as the 2000s', (sign) => {
    const result = parseHetu(`010120${sign}123K`);
    expect(result.ok && result.hetu.dateOfBirth).toBe('2020-01-01');
  });

  it('refuses a century sign outside the reform list', () => {
    expect(reasonOf('010120G123K')).toBe('unknown-century-sign');
    expect(reasonOf('010199Z123Y')).toBe('unknown-century-sign');
    expect(reasonOf('010199*123Y')).toBe('unknown-century-sign');
  });

  it('refuses a wrong check character', () => {
    expect(reasonOf('131052-308U')).toBe('bad-checksum');
    expect(reasonOf('131052-309T')).toBe('bad-checksum');
  });

  it('refuses a check character that is not in the check alphabet', () => {
    expect(HETU_CHECK_CHARACTERS).not.toContain('G');
    expect(reasonOf('131052-308G')).toBe('bad-checksum');
  });

  it('refuses a day that no month has (30.02.)', () => {
    expect(reasonOf(`300299-123${hetuCheckCharacter('300299123')}`)).toBe('no-such-date');
  });

  it('refuses 31 February and the 32nd of a month and month 13', () => {
    expect(reasonOf(`310299-123${hetuCheckCharacter('310299123')}`)).toBe('no-such-date');
    expect(reasonOf(`320199-123${hetuCheckCharacter('320199123')}`)).toBe('no-such-date');
    expect(reasonOf(`011399-123${hetuCheckCharacter('011399123')}`)).toBe('no-such-date');
    expect(reasonOf(`000199-123${hetuCheckCharacter('000199123')}`)).toBe('no-such-date');
  });

  it('knows leap years per century: 29.02.2000 exists, 29.02.1900 and 29.02.1800 do not', () => {
    expect(reasonOf('290200A1239')).toBe('valid');
    expect(reasonOf('290200-1239')).toBe('no-such-date');
    expect(reasonOf('290200+1239')).toBe('no-such-date');
    expect(reasonOf('290296-1232')).toBe('valid');
    expect(reasonOf('290204A123A')).toBe('valid');
  });

  it('refuses the unused individual numbers 000 and 001', () => {
    expect(reasonOf('010101-000P')).toBe('individual-number-out-of-range');
    expect(reasonOf('010101-001R')).toBe('individual-number-out-of-range');
  });

  it('accepts the individual numbers 002 and 899, the ends of the range', () => {
    expect(reasonOf('010101-002S')).toBe('valid');
    expect(reasonOf('010101-899P')).toBe('valid');
  });

  it('refuses the temporary individual numbers 900–999', () => {
    expect(reasonOf('010101-900R')).toBe('individual-number-out-of-range');
    expect(reasonOf('010101-999X')).toBe('individual-number-out-of-range');
  });

  it('refuses a code of the wrong length', () => {
    expect(reasonOf('131052-308')).toBe('wrong-length');
    expect(reasonOf('131052-308TT')).toBe('wrong-length');
    expect(reasonOf('')).toBe('wrong-length');
  });

  it('refuses letters where digits belong', () => {
    expect(reasonOf('13105X-308T')).toBe('bad-format');
    expect(reasonOf('131052-3O8T')).toBe('bad-format');
  });

  it('accepts lower-case letters and normalises them to upper case', () => {
    const result = parseHetu('010120a123k');
    expect(result.ok && result.hetu.normalised).toBe('010120A123K');
    expect(isValidHetu('131052-308t')).toBe(true);
  });

  it('ignores surrounding white space but refuses white space inside the code', () => {
    const result = parseHetu('  131052-308T\n');
    expect(result.ok && result.hetu.normalised).toBe('131052-308T');
    expect(reasonOf('131052 -308T')).toBe('bad-format');
    expect(reasonOf('131052 308T')).toBe('bad-format');
  });

  it('names the reason in words', () => {
    const result = parseHetu('131052-308U');
    expect(result.ok ? '' : result.detail).toMatch(/check character/);
  });

  it('accepts every real date, century sign and individual number with its computed check character', () => {
    const signs = { 1800: ['+'], 1900: ['-', 'Y', 'X', 'W', 'V', 'U'], 2000: ['A', 'B', 'C', 'D', 'E', 'F'] } as const;
    fc.assert(
      fc.property(
        fc.constantFrom(1800, 1900, 2000),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 2, max: 899 }),
        fc.nat(),
        (century, yy, month, rawDay, individual, pick) => {
          const year = century + yy;
          const day = Math.min(rawDay, daysInMonth(year, month));
          const sign = signs[century as 1800 | 1900 | 2000][pick % signs[century as 1800 | 1900 | 2000].length];
          const digits = `${String(day).padStart(2, '0')}${String(month).padStart(2, '0')}${String(yy).padStart(2, '0')}`;
          const zzz = String(individual).padStart(3, '0');
          const check = hetuCheckCharacter(`${digits}${zzz}`);
          const code = `${digits}${sign}${zzz}${check}`;
          const parsed = parseHetu(code);
          expect(parsed.ok && parsed.hetu.dateOfBirth).toBe(`${year}-${digits.slice(2, 4)}-${digits.slice(0, 2)}`);
          const otherCheck = HETU_CHECK_CHARACTERS[(HETU_CHECK_CHARACTERS.indexOf(check) + 1) % 31];
          expect(reasonOf(`${digits}${sign}${zzz}${otherCheck}`)).toBe('bad-checksum');
        },
      ),
    );
  });
});
