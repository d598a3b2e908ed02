import type { DtoPlan } from './dto-plan';

/** A member value plainToInstance copies as it is (with no @Type on the member). */
type Scalar = string | number | boolean | null;

/**
 * The instance class-transformer's plainToInstance (default options, no implicit conversion)
 * builds of `plain` for the shapes modelled here, or undefined for any other shape:
 *
 * - `plain` is a plain object (JSON's, or the null-prototype one of a query string), every key a
 *   property the plan knows (an extra key is a whitelist error the slow path words);
 * - a member with @Type is a plain object (built as that class), or, where the declared type is
 *   an array, an array without holes of plain objects;
 * - any other member is JSON-like: a string, number, boolean or null (copied as it is), an array
 *   without holes (a new array) or an object with Object's prototype (a new plain object) of such
 *   values; an object with a `__proto__`, `constructor` or `prototype` key is left to the slow
 *   path, because the pipe deletes those keys in place before transforming.
 *
 * The steps are plainToInstance's own: `new type()`, then each key of the value in
 * `Object.keys` order assigned to the instance.
 */
export function buildInstance(plan: DtoPlan, plain: unknown): object | undefined {
  if (!isPlainObject(plain)) return undefined;
  const instance = new plan.type() as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    const property = plan.properties.get(key);
    if (!property) return undefined;
    const value = plain[key];
    let copy: unknown;
    if (property.nested) {
      copy = Array.isArray(value) ? (property.nestedArray ? buildArray(value, (item) => buildInstance(property.nested as DtoPlan, item)) : undefined) : buildInstance(property.nested, value);
    } else {
      copy = copyUntyped(value);
    }
    if (copy === undefined) return undefined;
    instance[key] = copy;
  }
  return instance;
}

/** What plainToInstance makes of a member without @Type: a deep copy of arrays and plain objects. */
function copyUntyped(value: unknown): unknown {
  if (isScalar(value)) return value;
  if (Array.isArray(value)) return buildArray(value, copyUntyped);
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (UNSAFE_KEYS.has(key)) return undefined;
    const item = copyUntyped((value as Record<string, unknown>)[key]);
    if (item === undefined) return undefined;
    copy[key] = item;
  }
  return copy;
}

const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function buildArray(items: readonly unknown[], build: (item: unknown) => unknown): unknown[] | undefined {
  const copy: unknown[] = [];
  for (let index = 0; index < items.length; index += 1) {
    if (!(index in items)) return undefined; // a hole: Nest closes the gaps in place first, the slow path does that
    const item = build(items[index]);
    if (item === undefined) return undefined;
    copy.push(item);
  }
  return copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
