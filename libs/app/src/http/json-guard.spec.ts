import { ProblemException } from './problem';
import { hostileJsonProblem, isWellFormedUnicode, MAX_JSON_DEPTH, requireUtf8 } from './json-guard';

const nestedArrays = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('hostileJsonProblem', () => {
  it(`accepts nesting of exactly ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1}`, () => {
    expect(hostileJsonProblem(nestedArrays(MAX_JSON_DEPTH))).toBeUndefined();
    expect(hostileJsonProblem(nestedArrays(MAX_JSON_DEPTH + 1))).toBe('too-deeply-nested');
  });

  it('refuses nesting of 500,000 levels without overflowing the stack', () => {
    expect(hostileJsonProblem(nestedArrays(500_000))).toBe('too-deeply-nested');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the member name %s at any depth', (key) => {
    expect(hostileJsonProblem(JSON.parse(`{"${key}": {}}`))).toBe('forbidden-key');
    expect(hostileJsonProblem(JSON.parse(`{"recipient": [{"${key}": {"polluted": true}}]}`))).toBe('forbidden-key');
  });

  it('accepts reserved words as values, not as names', () => {
    expect(hostileJsonProblem({ subject: '__proto__', body: 'constructor' })).toBeUndefined();
  });

  it('refuses a lone surrogate in a value or in a member name', () => {
    expect(hostileJsonProblem(JSON.parse('{"subject": "a\\ud800b"}'))).toBe('malformed-unicode');
    expect(hostileJsonProblem(JSON.parse('{"x\\udfff": 1}'))).toBe('malformed-unicode');
  });

  it('accepts well-formed edge cases: NUL, RTL override, zero-width, combining marks, emoji', () => {
    expect(hostileJsonProblem({ subject: 'a\u0000b \u202Efdp.exe \u200B e\u0301 👩‍👩‍👧 \ud83d\ude00' })).toBeUndefined();
  });

  it('accepts an absent body and primitives', () => {
    for (const body of [undefined, null, 1, 'x', true]) expect(hostileJsonProblem(body)).toBeUndefined();
  });
});

describe('isWellFormedUnicode', () => {
  it.each([
    ['a lone high surrogate', '\uD800', false],
    ['a lone low surrogate', '\uDC00', false],
    ['a high surrogate at the end', 'ab\uD83D', false],
    ['a low surrogate first', '\uDE00ab', false],
    ['two high surrogates', '\uD83D\uD83D\uDE00', false],
    ['a pair', '\uD83D\uDE00', true],
    ['plain text with NUL and marks', 'a\u0000\u202E\u200B', true],
    ['the empty string', '', true],
  ])('judges %s', (_what, text, wellFormed) => {
    expect(isWellFormedUnicode(text)).toBe(wellFormed);
  });
});

describe('requireUtf8', () => {
  const verify = (bytes: Buffer, encoding = 'utf-8') => () => requireUtf8({} as never, {}, bytes, encoding);

  it('lets valid UTF-8 through', () => {
    expect(verify(Buffer.from('{"a":"äö😀"}'))).not.toThrow();
  });

  it('refuses bytes that are not UTF-8 with 400 malformed-unicode, rather than replacing them', () => {
    try {
      verify(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))();
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).problem).toMatchObject({ status: 400, type: 'urn:asiointitili:problem:malformed-unicode' });
    }
  });

  it('refuses a UTF-8-encoded surrogate (CESU-8) as not UTF-8', () => {
    expect(verify(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]))).toThrow(ProblemException);
  });

  it('refuses any charset but UTF-8 with 415', () => {
    try {
      verify(Buffer.from('{}', 'utf16le'), 'utf-16le')();
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as ProblemException).problem).toMatchObject({ status: 415 });
    }
  });
});
