import fc from 'fast-check';
import { businessIdCheckDigit, isValidBusinessId, parseBusinessId } from './business-id';

const reasonOf = (input: string) => {
  const result = parseBusinessId(input);
  return result.ok ? 'valid' : result.reason;
};

describe('Y-tunnus', () => {
  it.each(['0737546-2', '1572860-0', '0112038-9', '2617416-4', '0201256-6', '2331972-7', '1234567-1', '0000000-0'])(
    'accepts %s, whose check digit matches',
    (id) => {
      expect(parseBusinessId(id)).toEqual({ ok: true, businessId: id });
    },
  );

  it('gives check digit 0 for remainder 0', () => {
    // 1+5+7+2+8+6+0 weighted: 7+45+70+10+64+24+0 = 220 = 20 × 11.
    expect(businessIdCheckDigit('1572860')).toBe(0);
  });

  it('gives 11 − remainder otherwise', () => {
    // 0737546 weighted = 196, 196 mod 11 = 9, 11 − 9 = 2.
    expect(businessIdCheckDigit('0737546')).toBe(2);
  });

  it('refuses every id whose digits leave remainder 1, since no check digit exists for them', () => {
    // 0000006 weighted = 2 × 6 = 12, 12 mod 11 = 1.
    expect(businessIdCheckDigit('0000006')).toBeUndefined();
    for (let check = 0; check <= 9; check++) expect(reasonOf(`0000006-${check}`)).toBe('bad-checksum');
  });

  it('refuses a wrong check digit', () => {
    expect(reasonOf('0737546-3')).toBe('bad-checksum');
    expect(reasonOf('1572860-1')).toBe('bad-checksum');
  });

  it('refuses the wrong shape: no hyphen, six digits, letters, a space inside', () => {
    for (const bad of ['07375462', '737546-2', '07375460-2', '073754A-2', '0737546-X', '0737546 -2', '']) {
      expect(reasonOf(bad)).toBe('bad-format');
    }
  });

  it('ignores surrounding white space', () => {
    expect(parseBusinessId(' 0737546-2 ')).toEqual({ ok: true, businessId: '0737546-2' });
    expect(isValidBusinessId('\t1572860-0\n')).toBe(true);
  });

  it('accepts exactly one check digit for every seven digits that can carry one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), (n) => {
        const digits = String(n).padStart(7, '0');
        const check = businessIdCheckDigit(digits);
        const valid = [...Array(10).keys()].filter((c) => isValidBusinessId(`${digits}-${c}`));
        expect(valid).toEqual(check === undefined ? [] : [check]);
      }),
    );
  });
});
