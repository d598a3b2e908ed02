import type { Doc } from '@asiointitili/core';
import { InvalidDocumentError } from '../errors';

const MAX_ID_LENGTH = 512;

/**
 * Refuses, before anything is written, a document that either adapter would store differently or
 * not at all, so the embedded store never accepts what production refuses:
 * - keys starting with `$` (MongoDB and FerretDB read them as operators; FerretDB rejects them),
 * - keys containing `.` (FerretDB v1 rejects them; MongoDB cannot query them),
 * - a top-level `_id` (the MongoDB adapter keeps the document id there),
 * - values that are not JSON (Date, Buffer, class instances, bigint, NaN, Infinity): SQLite keeps
 *   JSON text, MongoDB would keep BSON types, and the two would read back differently.
 */
export function assertStorableDoc(collection: string, doc: Doc): void {
  if (!isPlainObject(doc)) throw new InvalidDocumentError(collection, '$', 'not a plain object');
  if (typeof doc.id !== 'string' || doc.id.length === 0 || doc.id.length > MAX_ID_LENGTH) {
    throw new InvalidDocumentError(collection, 'id', `must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  }
  if ('_id' in doc) throw new InvalidDocumentError(collection, '_id', 'reserved for the MongoDB adapter; use "id"');
  // Every document of every write passes here (a rebuild: millions), and nearly all are fine: the
  // walk builds a path only on its way back out of a refused value.
  const refusal = refusalIn(doc);
  if (refusal) throw new InvalidDocumentError(collection, `doc${refusal.steps.reverse().join('')}`, refusal.reason);
}

/** Why a value is not storable JSON, with the steps to it innermost first; null when it is storable. */
interface Refusal {
  readonly steps: string[];
  readonly reason: string;
}

const refused = (reason: string): Refusal => ({ steps: [], reason });

function refusalIn(value: unknown): Refusal | null {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : refused('NaN and Infinity are not JSON');
    case 'object': {
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) {
          if (!(index in value)) continue; // a hole is no member (JSON text writes null there)
          const item: unknown = value[index];
          const refusal = item === undefined ? refused('undefined is not JSON') : refusalIn(item);
          if (refusal) return within(refusal, `[${index}]`);
        }
        return null;
      }
      if (!isPlainObject(value)) return refused('only plain objects, arrays and JSON scalars can be stored');
      for (const key of Object.keys(value)) {
        const member = value[key];
        // An undefined member is left out by both adapters (JSON text; the driver's ignoreUndefined).
        const refusal = keyRefusal(key) ?? (member === undefined ? null : refusalIn(member));
        if (refusal) return within(refusal, `.${key}`);
      }
      return null;
    }
    default:
      return refused(`a ${typeof value} is not JSON`);
  }
}

function keyRefusal(key: string): Refusal | null {
  if (key.startsWith('$')) return refused('field names must not start with "$"');
  if (key.includes('.')) return refused('field names must not contain "."');
  if (key.includes('\u0000')) return refused('field names must not contain NUL');
  return null;
}

function within(refusal: Refusal, step: string): Refusal {
  refusal.steps.push(step);
  return refusal;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
