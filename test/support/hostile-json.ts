import fc from 'fast-check';

/**
 * Generators of what an attacker (or a broken client) sends: JSON *text* rather than values, so
 * that it can carry what JSON.stringify of an object never would (own `__proto__` keys,
 * duplicate keys, numbers beyond double range), plus strings at the edges of Unicode.
 */

/** Strings chosen for the trouble they have caused elsewhere. */
export const EDGE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'x\uD83D', // half an emoji
  '\uDE00x',
  '\u202Eexe.pdf', // right-to-left override
  '\u200F\u200E', // RTL and LTR marks
  '\u200B', // zero-width space
  '\u200D',
  '\uFEFF', // byte order mark
  'e\u0301\u0301\u0301\u0301', // stacked combining marks
  'Z\u0351\u036B\u0343\u036A\u0302\u036B\u033D\u034F\u0334\u0319\u0324\u031E\u0349\u035A\u032F\u031E\u0320\u034D',
  '😀',
  '👩‍👩‍👧‍👦',
  '\r\nSet-Cookie: x=1',
  '../../etc/passwd',
  '..',
  '.',
  '%2e%2e%2f',
  '%00',
  '__proto__',
  'constructor',
  'prototype',
  "' OR 1=1 --",
  '"; DROP TABLE events; --',
  '$gt',
  '{"$ne":null}',
  '${7*7}',
  '<script>alert(1)</script>',
  'message-',
  'x'.repeat(257),
  'x'.repeat(40_001),
  'ä'.repeat(40_001),
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 5 }), loneSurrogate, fc.string({ maxLength: 5 })).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 100, max: 20_000 })).map(([s, n]) => s.repeat(n)) },
);

/** A JSON string literal. JSON.stringify escapes lone surrogates (`"\ud800"`), so the text stays valid JSON. */
export const jsonString = (value: string): string => JSON.stringify(value);

const NUMBER_TEXTS = ['0', '-0', '1', '-1', '1.5', '1e999', '-1e999', '1e-400', '9007199254740993', '123456789012345678901234567890', '0.1'];
const LEAF_TEXTS = ['null', 'true', 'false', ...NUMBER_TEXTS];

/** Keys: the prototype-pollution trio, the DTOs' own field names, and anything else. */
export function keyArbitrary(knownFields: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype') },
    { weight: 3, arbitrary: knownFields.length > 0 ? fc.constantFrom(...knownFields) : fc.constant('id') },
    { weight: 2, arbitrary: hostileString },
  );
}

/** Any JSON text of bounded size: leaves, arrays and objects (with duplicate and prototype keys). */
export function jsonText(knownFields: readonly string[]): fc.Arbitrary<string> {
  const key = keyArbitrary(knownFields);
  const { value } = fc.letrec<{ value: string; leaf: string; array: string; object: string }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('array'), tie('object')),
    leaf: fc.oneof(fc.constantFrom(...LEAF_TEXTS), hostileString.map(jsonString)),
    array: fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
    object: fc.array(fc.tuple(key, tie('value')), { maxLength: 6 }).map((entries) => `{${entries.map(([k, v]) => `${jsonString(k)}:${v}`).join(',')}}`),
  }));
  return value;
}

/** JSON text nested `depth` levels deep, as arrays or as objects. */
export const deeplyNested = (depth: number, shape: 'array' | 'object'): string =>
  shape === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** An object as JSON text with one member replaced (or added) by `text`: a near-valid body. */
export function withMember(seed: Readonly<Record<string, unknown>>, key: string, text: string): string {
  const members = Object.entries(seed)
    .filter(([k]) => k !== key)
    .map(([k, v]) => `${jsonString(k)}:${JSON.stringify(v)}`);
  return `{${[...members, `${jsonString(key)}:${text}`].join(',')}}`;
}

/**
 * Percent-encodes any string, even one with lone surrogates (which encodeURIComponent refuses):
 * those become their generalised UTF-8 bytes (`%ED%A0%80`), i.e. an invalid UTF-8 sequence, as
 * an attacker would send them.
 */
export function percentEncode(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}
