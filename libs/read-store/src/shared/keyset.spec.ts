import { InvalidCursorError, type SortKey } from '@asiointitili/core';
import { assertLimit, decodeCursor, encodeCursor, keysetClauses, sortValuesOf, totalOrder } from './keyset';

describe('keyset pagination', () => {
  const byRank: SortKey[] = [{ field: 'rank', direction: 'desc' }];

  it('appends id in the direction of the last key so the order is total', () => {
    expect(totalOrder(byRank)).toEqual([
      { field: 'rank', direction: 'desc' },
      { field: 'id', direction: 'desc' },
    ]);
    expect(totalOrder([])).toEqual([{ field: 'id', direction: 'asc' }]);
  });

  it('keeps an explicit id key and drops keys after it, which can never decide anything', () => {
    expect(
      totalOrder([
        { field: 'id', direction: 'desc' },
        { field: 'rank', direction: 'asc' },
      ]),
    ).toEqual([{ field: 'id', direction: 'desc' }]);
  });

  it('refuses a field twice, a bad direction, a dotted field and more than eight keys', () => {
    expect(() => totalOrder([byRank[0], byRank[0]])).toThrow(/twice/);
    expect(() => totalOrder([{ field: 'rank', direction: 'up' as 'asc' }])).toThrow(/direction/);
    expect(() => totalOrder([{ field: 'a.b', direction: 'asc' }])).toThrow(/field name/);
    expect(() => totalOrder(Array.from({ length: 9 }, (_, index) => ({ field: `f${index}`, direction: 'asc' as const })))).toThrow(RangeError);
  });

  it('round-trips the sort values of the last item through an opaque base64url cursor', () => {
    const order = totalOrder(byRank);
    const values = sortValuesOf({ id: 'doc-1', rank: 12.5 }, order);
    const cursor = encodeCursor('items', order, values);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('items', order, cursor)).toEqual([12.5, 'doc-1']);
  });

  it('reads a missing sort field as null and refuses a non-scalar one', () => {
    const order = totalOrder([{ field: 'label', direction: 'asc' }]);
    expect(sortValuesOf({ id: 'a' }, order)).toEqual([null, 'a']);
    expect(() => sortValuesOf({ id: 'a', label: { nested: true } }, order)).toThrow(/non-scalar/);
  });

  it('refuses a cursor issued for another collection or another order', () => {
    const order = totalOrder(byRank);
    const cursor = encodeCursor('items', order, [1, 'a']);
    expect(() => decodeCursor('other', order, cursor)).toThrow(InvalidCursorError);
    expect(() => decodeCursor('items', totalOrder([{ field: 'rank', direction: 'asc' }]), cursor)).toThrow(InvalidCursorError);
  });

  it('refuses a cursor whose values were edited, or whose id is not a string, or whose shape is wrong', () => {
    const order = totalOrder(byRank);
    const cursor = encodeCursor('items', order, [1, 'a']);
    const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { k: unknown[] };
    const forged = (k: unknown[]) => Buffer.from(JSON.stringify({ ...payload, k })).toString('base64url');
    expect(() => decodeCursor('items', order, forged([2, 'a']))).toThrow(InvalidCursorError);
    expect(() => decodeCursor('items', order, forged([1, 5]))).toThrow(InvalidCursorError);
    expect(() => decodeCursor('items', order, forged([1]))).toThrow(InvalidCursorError);
    expect(() => decodeCursor('items', order, forged([{}, 'a']))).toThrow(InvalidCursorError);
    expect(() => decodeCursor('items', order, Buffer.from('null').toString('base64url'))).toThrow(InvalidCursorError);
    expect(() => decodeCursor('items', order, 'a'.repeat(4097))).toThrow(InvalidCursorError);
  });

  it('builds one clause per key and none for a descending key resumed at null, since nothing sorts after it', () => {
    const order = totalOrder([
      { field: 'label', direction: 'desc' },
      { field: 'rank', direction: 'asc' },
    ]);
    const clauses = keysetClauses(order, [null, 3, 'x']);
    expect(clauses).toEqual([
      { equal: [{ field: 'label', value: null }], past: { field: 'rank', direction: 'asc', value: 3 } },
      {
        equal: [
          { field: 'label', value: null },
          { field: 'rank', value: 3 },
        ],
        past: { field: 'id', direction: 'asc', value: 'x' },
      },
    ]);
  });

  it('accepts positive integer limits only', () => {
    expect(() => assertLimit(1)).not.toThrow();
    for (const bad of [0, -3, 2.5, Number.POSITIVE_INFINITY]) expect(() => assertLimit(bad)).toThrow(RangeError);
  });
});
