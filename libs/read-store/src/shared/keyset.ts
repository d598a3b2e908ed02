import { createHash } from 'node:crypto';
import { InvalidCursorError, type Doc, type Scalar, type SortKey } from '@asiointitili/core';
import { assertFieldName, ID_FIELD } from './names';

/**
 * Keyset pagination shared by both adapters. A page ends at its last item; the cursor carries
 * that item's sort values (with its id last), so the next page starts strictly after it, whatever
 * was inserted or deleted meanwhile, and items that share sort values are split by id.
 *
 * The cursor is opaque to clients: base64url JSON with a checksum over the collection, the total
 * order and the values. A cursor from another collection or order, or with edited values, fails the
 * checksum and is refused with InvalidCursorError. The checksum is not a secret: cursors only say
 * where to resume within a query whose filters the server sets, so forging one reveals nothing.
 */

const CURSOR_VERSION = 1;
/** Long enough for several long sort values; bounds the work done on client input. */
const MAX_CURSOR_LENGTH = 4096;
const MAX_SORT_KEYS = 8;

/** orderBy made total: `id` appended (in the direction of the last key) unless already present. */
export function totalOrder(orderBy: readonly SortKey[]): readonly SortKey[] {
  if (orderBy.length > MAX_SORT_KEYS) throw new RangeError(`at most ${MAX_SORT_KEYS} sort keys`);
  const seen = new Set<string>();
  for (const key of orderBy) {
    assertFieldName(key.field);
    if (key.direction !== 'asc' && key.direction !== 'desc') throw new TypeError(`invalid sort direction ${JSON.stringify(key.direction)}`);
    if (seen.has(key.field)) throw new TypeError(`field "${key.field}" appears twice in orderBy`);
    seen.add(key.field);
  }
  // Keys after `id` can never decide anything: id is unique.
  const idAt = orderBy.findIndex((key) => key.field === ID_FIELD);
  if (idAt >= 0) return orderBy.slice(0, idAt + 1);
  const direction = orderBy.length > 0 ? orderBy[orderBy.length - 1].direction : 'asc';
  return [...orderBy, { field: ID_FIELD, direction }];
}

export function assertLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
}

/** The values of the order's fields in `doc`; a missing field counts as null, as in MongoDB. */
export function sortValuesOf(doc: Doc, order: readonly SortKey[]): Scalar[] {
  return order.map(({ field }) => {
    const value = doc[field];
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    throw new TypeError(`sort field "${field}" of document "${doc.id}" holds a non-scalar value`);
  });
}

export function encodeCursor(collection: string, order: readonly SortKey[], values: readonly Scalar[]): string {
  const payload = { v: CURSOR_VERSION, k: values, h: checksum(collection, order, values) };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The sort values a cursor resumes after; InvalidCursorError for anything this collection and order did not issue. */
export function decodeCursor(collection: string, order: readonly SortKey[], cursor: string): readonly Scalar[] {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new InvalidCursorError();
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof payload !== 'object' || payload === null) throw new InvalidCursorError();
  const { v, k, h } = payload as { v?: unknown; k?: unknown; h?: unknown };
  if (v !== CURSOR_VERSION || !Array.isArray(k) || typeof h !== 'string') throw new InvalidCursorError();
  if (k.length !== order.length || !k.every(isScalar) || typeof k[k.length - 1] !== 'string') throw new InvalidCursorError();
  if (h !== checksum(collection, order, k)) throw new InvalidCursorError();
  return k;
}

/**
 * "Strictly after the cursor" in the total order, as a disjunction: for each key i, the keys
 * before i equal the cursor's values and key i is past its value. Adapters translate each clause;
 * `past` must treat null as the lowest value (first ascending, last descending), as MongoDB sorts.
 */
export interface KeysetClause {
  readonly equal: ReadonlyArray<{ readonly field: string; readonly value: Scalar }>;
  readonly past: { readonly field: string; readonly direction: 'asc' | 'desc'; readonly value: Scalar };
}

export function keysetClauses(order: readonly SortKey[], after: readonly Scalar[]): KeysetClause[] {
  const clauses: KeysetClause[] = [];
  order.forEach((key, index) => {
    // Nothing sorts after null in descending order (null is last), so that clause is empty.
    if (key.direction === 'desc' && after[index] === null) return;
    clauses.push({
      equal: order.slice(0, index).map((previous, j) => ({ field: previous.field, value: after[j] })),
      past: { field: key.field, direction: key.direction, value: after[index] },
    });
  });
  return clauses;
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function checksum(collection: string, order: readonly SortKey[], values: readonly Scalar[]): string {
  const material = JSON.stringify([CURSOR_VERSION, collection, order.map((key) => [key.field, key.direction]), values]);
  return createHash('sha256').update(material).digest('base64url').slice(0, 22);
}
