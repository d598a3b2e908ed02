import type { FindQuery, Scalar } from '@asiointitili/core';
import { assertFieldName } from './names';

/** Limits a single `in` list: a query, not a bulk import. */
export const MAX_WHERE_IN_VALUES = 10_000;

export interface Equality {
  readonly field: string;
  readonly value: Scalar;
}

export interface Membership {
  readonly field: string;
  readonly values: readonly Scalar[];
}

export interface Filter {
  readonly equalities: readonly Equality[];
  readonly membership: Membership | null;
}

/** The query's filters, checked once for both adapters (field names end up inside SQL and JSON paths). */
export function normalizeFilter(where: FindQuery['where'], whereIn?: FindQuery['whereIn']): Filter {
  const equalities = Object.entries(where ?? {}).map(([field, value]) => {
    assertFieldName(field);
    assertScalar(field, value);
    return { field, value };
  });
  let membership: Membership | null = null;
  if (whereIn) {
    assertFieldName(whereIn.field);
    if (!Array.isArray(whereIn.values)) throw new TypeError('whereIn.values must be an array');
    if (whereIn.values.length > MAX_WHERE_IN_VALUES) throw new RangeError(`whereIn takes at most ${MAX_WHERE_IN_VALUES} values`);
    whereIn.values.forEach((value) => assertScalar(whereIn.field, value));
    membership = { field: whereIn.field, values: whereIn.values };
  }
  return { equalities, membership };
}

function assertScalar(field: string, value: unknown): asserts value is Scalar {
  const ok = value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
  if (!ok) throw new TypeError(`filter on "${field}" needs a string, finite number, boolean or null`);
}
