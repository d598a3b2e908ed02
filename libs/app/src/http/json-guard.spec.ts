import fc from 'fast-check';
import { ProblemException } from './problem';
import { firstDuplicateMember, hostileJsonProblem, isWellFormedUnicode, MAX_JSON_DEPTH, requireUtf8 } from './json-guard';

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

describe('firstDuplicateMember', () => {
  it('names a member repeated at the top level', () => {
    expect(firstDuplicateMember('{"recipient":{"hetu":"a"},"subject":"s","recipient":{"hetu":"b"}}')).toBe('recipient');
  });

  it('names a repeated member by its path inside objects and arrays', () => {
    expect(firstDuplicateMember('{"recipient":{"hetu":"a","hetu":"b"}}')).toBe('recipient.hetu');
    expect(firstDuplicateMember('{"messages":[{"a":1},{"b":1,"b":2}]}')).toBe('messages[1].b');
    expect(firstDuplicateMember('[[1],[{"x":[],"x":{}}]]')).toBe('[1][0].x');
  });

  it('compares names after unescaping: "a" and "\\u0061" are the same member', () => {
    expect(firstDuplicateMember('{"a":1,"\\u0061":2}')).toBe('a');
  });

  it('accepts the same name in sibling objects, as a value, and inside strings with escaped quotes', () => {
    expect(firstDuplicateMember('{"a":{"x":1},"b":{"x":1},"c":"a","d":["a","a"]}')).toBeUndefined();
    expect(firstDuplicateMember('{"a":"\\"a\\":1,\\\\","b":"\\\\","c":1}')).toBeUndefined();
    expect(firstDuplicateMember('{}')).toBeUndefined();
    expect(firstDuplicateMember('[]')).toBeUndefined();
  });

  it('stops at the depth limit (deeper bodies are refused as too-deeply-nested), so a deep body costs no frame per level', () => {
    expect(firstDuplicateMember(`${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}`)).toBeUndefined();
    const atLimit = `${'{"a":'.repeat(MAX_JSON_DEPTH - 1)}{"b":1,"b":2}${'}'.repeat(MAX_JSON_DEPTH - 1)}`;
    expect(firstDuplicateMember(atLimit)).toBe(`${Array(MAX_JSON_DEPTH - 1).fill('a').join('.')}.b`);
  });

  it('finds no repeat in any JSON.stringify output, and the repeat after any member is appended again', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), fc.jsonValue(), (value, name, extra) => {
        expect(firstDuplicateMember(JSON.stringify(value))).toBeUndefined();
        const object = JSON.stringify({ wrapper: value, [name]: extra });
        const repeated = `${object.slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(extra)}}`;
        expect(firstDuplicateMember(repeated)).toBe(name === 'wrapper' ? 'wrapper' : name.slice(0, 200) + (name.length > 200 ? '…' : ''));
      }),
    );
  });

  it('makes requireUtf8 refuse the body with 400 duplicate-member naming the member', () => {
    let thrown: unknown;
    try {
      requireUtf8({} as never, undefined, Buffer.from('{"recipient":{"hetu":"1"},"recipient":{"hetu":"2"}}'), 'utf-8');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).problem).toMatchObject({ status: 400, type: 'urn:asiointitili:problem:duplicate-member', errors: [{ field: 'recipient' }] });
  });
});
