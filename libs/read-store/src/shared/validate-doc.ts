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
  // Every document of every write passes here (a rebuild: millions), and nearly all are fine. The
  // quick walk builds no paths; only a refused document is walked again to say where it fails.
  if (!isStorableValue(doc)) assertJsonValue(collection, doc, 'doc');
}

/** The same rules as assertJsonValue, answered yes or no without naming the place. */
export function isStorableValue(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) {
          const item: unknown = value[index];
          if (item === undefined || !isStorableValue(item)) return false;
        }
        return true;
      }
      if (!isPlainObject(value)) return false;
      const keys = Object.keys(value);
      for (let index = 0; index < keys.length; index++) {
        const key = keys[index]!;
        if (key.charCodeAt(0) === 36 /* $ */ || key.includes('.') || key.includes('\u0000')) return false;
        const member = value[key];
        if (member !== undefined && !isStorableValue(member)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

function assertJsonValue(collection: string, value: unknown, path: string): void {
  if (value === null) return;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidDocumentError(collection, path, 'NaN and Infinity are not JSON');
      return;
    case 'object':
      if (Array.isArray(value)) {
        value.forEach((item, index) => {
          if (item === undefined) throw new InvalidDocumentError(collection, `${path}[${index}]`, 'undefined is not JSON');
          assertJsonValue(collection, item, `${path}[${index}]`);
        });
        return;
      }
      if (!isPlainObject(value)) throw new InvalidDocumentError(collection, path, 'only plain objects, arrays and JSON scalars can be stored');
      for (const [key, member] of Object.entries(value)) {
        const memberPath = `${path}.${key}`;
        if (key.startsWith('$')) throw new InvalidDocumentError(collection, memberPath, 'field names must not start with "$"');
        if (key.includes('.')) throw new InvalidDocumentError(collection, memberPath, 'field names must not contain "."');
        if (key.includes('\u0000')) throw new InvalidDocumentError(collection, memberPath, 'field names must not contain NUL');
        // An undefined member is left out by both adapters (JSON text; the driver's ignoreUndefined).
        if (member !== undefined) assertJsonValue(collection, member, memberPath);
      }
      return;
    default:
      throw new InvalidDocumentError(collection, path, `a ${typeof value} is not JSON`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
