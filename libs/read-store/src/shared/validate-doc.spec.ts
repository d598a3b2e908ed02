import { InvalidDocumentError } from '../errors';
import { assertStorableDoc } from './validate-doc';

const refusedAt = (doc: unknown): string | undefined => {
  try {
    assertStorableDoc('items', doc as never);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidDocumentError);
    return (error as InvalidDocumentError).message;
  }
};

describe('assertStorableDoc', () => {
  it('accepts plain JSON documents, with undefined members left out, and null-prototype objects', () => {
    const bare = Object.assign(Object.create(null) as object, { x: 1 });
    for (const doc of [{ id: 'a', n: 1.5, s: 'x', b: false, z: null, list: [1, 'a', { k: [] }], gone: undefined }, { id: 'b', nested: bare }]) {
      expect(refusedAt(doc)).toBeUndefined();
    }
  });

  it('names the place of the first refused value, however deep', () => {
    expect(refusedAt({ id: 'a', deep: { list: [1, { $gt: 1 }] } })).toMatch(/at doc\.deep\.list\[1\]\.\$gt: field names must not start with "\$"/);
    expect(refusedAt({ id: 'a', 'x.y': 1 })).toMatch(/at doc\.x\.y: field names must not contain "\."/);
    expect(refusedAt({ id: 'a', ['n\u0000']: 1 })).toMatch(/must not contain NUL/);
    expect(refusedAt({ id: 'a', at: new Date(0) })).toMatch(/at doc\.at: only plain objects/);
    expect(refusedAt({ id: 'a', list: [1, undefined] })).toMatch(/at doc\.list\[1\]: undefined is not JSON/);
    expect(refusedAt({ id: 'a', n: Number.NaN })).toMatch(/at doc\.n: NaN and Infinity/);
    expect(refusedAt({ id: 'a', big: 1n })).toMatch(/at doc\.big: a bigint is not JSON/);
  });

  it('accepts an array with holes (JSON text writes null there) and refuses functions, symbols, Infinity and Maps', () => {
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    expect(refusedAt({ id: 'a', sparse })).toBeUndefined();
    expect(refusedAt({ id: 'a', f: () => 1 })).toMatch(/at doc\.f: a function is not JSON/);
    expect(refusedAt({ id: 'a', s: Symbol('x') })).toMatch(/at doc\.s: a symbol is not JSON/);
    expect(refusedAt({ id: 'a', i: Infinity })).toMatch(/at doc\.i: NaN and Infinity/);
    expect(refusedAt({ id: 'a', m: new Map() })).toMatch(/at doc\.m: only plain objects/);
  });
});
