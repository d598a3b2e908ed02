import type { Scalar, SortKey } from '@asiointitili/core';
import type { Filter } from '../shared/filters';
import type { KeysetClause } from '../shared/keyset';
import { ID_FIELD } from '../shared/names';

/**
 * SQL fragments over `(id TEXT PRIMARY KEY, doc TEXT)` tables. Field names reach this module
 * already checked (letters, digits, _), so they are inlined into the JSON path: an expression
 * index is used only when the query repeats its expression, which a bound path would not.
 *
 * Comparisons follow MongoDB where it matters for pagination: a missing field is null and null
 * sorts first ascending, last descending (SQLite's own NULL order), strings compare byte-wise
 * (SQLite BINARY collation on UTF-8, MongoDB's simple collation). json_extract turns JSON
 * true/false into 1/0, so booleans are bound as 1/0 when compared and tested with json_type
 * for equality, which keeps `true` from matching the number 1.
 */

export type SqlValue = string | number | null;

export interface Fragment {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

const NEVER: Fragment = { sql: '0', params: [] };
const ALWAYS: Fragment = { sql: '1', params: [] };

export function fieldExpr(field: string): string {
  return field === ID_FIELD ? 'id' : `json_extract(doc, '$.${field}')`;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function filterSql(filter: Filter): Fragment {
  const parts = filter.equalities.map(({ field, value }) => equalsSql(field, value));
  if (filter.membership) parts.push(inSql(filter.membership.field, filter.membership.values));
  return and(parts);
}

export function keysetSql(clauses: readonly KeysetClause[]): Fragment {
  return or(clauses.map((clause) => and([...clause.equal.map(({ field, value }) => equalsSql(field, value)), pastSql(clause.past)])));
}

export function orderSql(order: readonly SortKey[]): string {
  return order.map((key) => `${fieldExpr(key.field)} ${key.direction === 'asc' ? 'ASC' : 'DESC'}`).join(', ');
}

export function indexColumnsSql(fields: readonly SortKey[]): string {
  return orderSql(fields);
}

function equalsSql(field: string, value: Scalar): Fragment {
  if (field === ID_FIELD) {
    // ids are always strings; comparing the TEXT column with a number would coerce it.
    return typeof value === 'string' ? { sql: 'id = ?', params: [value] } : NEVER;
  }
  if (value === null) return { sql: `${fieldExpr(field)} IS NULL`, params: [] };
  if (typeof value === 'boolean') {
    // json_type alone is exact but no index covers it; the json_extract equality in front lets an
    // index on the field seek (and keep its order for ORDER BY), json_type still refuses a number 1.
    return { sql: `${fieldExpr(field)} = ${value ? 1 : 0} AND json_type(doc, '$.${field}') = '${value ? 'true' : 'false'}'`, params: [] };
  }
  return { sql: `${fieldExpr(field)} = ?`, params: [value] };
}

function inSql(field: string, values: readonly Scalar[]): Fragment {
  if (field === ID_FIELD) {
    const ids = values.filter((value): value is string => typeof value === 'string');
    return ids.length === 0 ? NEVER : { sql: 'id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(ids)] };
  }
  const parts: Fragment[] = [];
  const plain = values.filter((value) => typeof value === 'string' || typeof value === 'number');
  if (plain.length > 0) parts.push({ sql: `${fieldExpr(field)} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(plain)] });
  if (values.includes(true)) parts.push(equalsSql(field, true));
  if (values.includes(false)) parts.push(equalsSql(field, false));
  if (values.includes(null)) parts.push(equalsSql(field, null));
  return or(parts);
}

/** Strictly past `value` in the key's direction, null being the lowest value. */
function pastSql(past: KeysetClause['past']): Fragment {
  const expr = fieldExpr(past.field);
  if (past.value === null) {
    // Ascending: everything non-null follows null. Descending: nothing follows null (keysetClauses drops that case).
    return past.direction === 'asc' ? { sql: `${expr} IS NOT NULL`, params: [] } : NEVER;
  }
  const bound = toSqlValue(past.value);
  return past.direction === 'asc'
    ? { sql: `${expr} > ?`, params: [bound] }
    : { sql: `(${expr} < ? OR ${expr} IS NULL)`, params: [bound] };
}

/** better-sqlite3 binds no booleans; json_extract yields 1/0 for them. */
function toSqlValue(value: Scalar): SqlValue {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

function and(parts: readonly Fragment[]): Fragment {
  if (parts.length === 0) return ALWAYS;
  if (parts.length === 1) return parts[0];
  return { sql: parts.map((part) => `(${part.sql})`).join(' AND '), params: parts.flatMap((part) => part.params) };
}

function or(parts: readonly Fragment[]): Fragment {
  if (parts.length === 0) return NEVER;
  if (parts.length === 1) return parts[0];
  return { sql: parts.map((part) => `(${part.sql})`).join(' OR '), params: parts.flatMap((part) => part.params) };
}
