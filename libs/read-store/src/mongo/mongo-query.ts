import type { Scalar, SortKey } from '@asiointitili/core';
import type { Document } from 'mongodb';
import type { Filter } from '../shared/filters';
import type { KeysetClause } from '../shared/keyset';
import { ID_FIELD } from '../shared/names';

/**
 * Query documents for the MongoDB adapter, using only operators FerretDB v1 also runs
 * ($and, $or, $in, $gt, $lt, $ne and plain equality). `{ field: null }` matches null and missing
 * alike and null sorts lowest, which is the order the keyset clauses assume.
 *
 * Range operators compare within one BSON type (`$gt: 5` never matches a string), so a sort
 * field must hold one type across the collection (null aside): projections write it that way.
 */

export function mongoField(field: string): string {
  return field === ID_FIELD ? '_id' : field;
}

export function filterQuery(filter: Filter): Document {
  const parts: Document[] = filter.equalities.map(({ field, value }) => equals(field, value));
  if (filter.membership) parts.push({ [mongoField(filter.membership.field)]: { $in: [...filter.membership.values] } });
  return and(parts);
}

/** "Strictly after the cursor": for each key, the earlier keys equal and this one past. */
export function keysetQuery(clauses: readonly KeysetClause[]): Document {
  const branches = clauses.map((clause) => and([...clause.equal.map(({ field, value }) => equals(field, value)), past(clause.past)]));
  // keysetClauses always yields the id clause (ids are never null), so there is at least one branch.
  return branches.length === 1 ? branches[0] : { $or: branches };
}

export function sortSpec(order: readonly SortKey[]): Array<[string, 1 | -1]> {
  return order.map((key) => [mongoField(key.field), key.direction === 'asc' ? 1 : -1]);
}

export function and(parts: readonly Document[]): Document {
  if (parts.length === 0) return {};
  if (parts.length === 1) return parts[0];
  return { $and: [...parts] };
}

function equals(field: string, value: Scalar): Document {
  return { [mongoField(field)]: value };
}

function past({ field, direction, value }: KeysetClause['past']): Document {
  const name = mongoField(field);
  if (value === null) {
    // Ascending, everything non-null follows null; descending, nothing does (keysetClauses drops that case).
    return direction === 'asc' ? { [name]: { $ne: null } } : { [name]: { $in: [] } };
  }
  return direction === 'asc' ? { [name]: { $gt: value } } : { $or: [{ [name]: { $lt: value } }, { [name]: null }] };
}
