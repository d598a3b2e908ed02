import type { IndexSpec, SortKey } from '@asiointitili/core';
import { assertCollectionName, assertFieldName, ID_FIELD } from './names';

export interface RegisteredIndex {
  readonly collection: string;
  readonly fields: readonly SortKey[];
  readonly unique: boolean;
  /** The embedded store adds the document to the index (IndexSpec.covering); not part of `key`, so other stores' index names stay as they were. */
  readonly covering: boolean;
  /** Stable within a process and across adapters: derived from the fields and uniqueness. */
  readonly key: string;
}

/**
 * The indexes `ensureIndexes` was asked for, remembered per store so that every collection a
 * later generation creates (during a rebuild) gets the same indexes, unique constraints included,
 * before its first document arrives.
 */
export class IndexRegistry {
  private readonly byCollection = new Map<string, Map<string, RegisteredIndex>>();

  /** Validates and remembers the specs; returns the ones that need creating (all but id-only ones). */
  register(specs: readonly IndexSpec[]): RegisteredIndex[] {
    const accepted: RegisteredIndex[] = [];
    for (const spec of specs) {
      const index = describe(spec);
      if (index.fields.length === 1 && index.fields[0].field === ID_FIELD) continue; // the primary key already is one
      const existing = this.byCollection.get(index.collection) ?? new Map<string, RegisteredIndex>();
      const fieldsKey = fieldKey(index.fields);
      const clash = [...existing.values()].find((other) => fieldKey(other.fields) === fieldsKey && other.unique !== index.unique);
      if (clash) throw new TypeError(`index on ${index.collection}(${fieldsKey}) requested both unique and not unique`);
      const other = existing.get(index.key);
      if (other && other.covering !== index.covering) throw new TypeError(`index on ${index.collection}(${fieldsKey}) requested both covering and not covering`);
      existing.set(index.key, index);
      this.byCollection.set(index.collection, existing);
      accepted.push(index);
    }
    return accepted;
  }

  forCollection(collection: string): RegisteredIndex[] {
    return [...(this.byCollection.get(collection)?.values() ?? [])];
  }

  collections(): string[] {
    return [...this.byCollection.keys()];
  }
}

function describe(spec: IndexSpec): RegisteredIndex {
  assertCollectionName(spec.collection);
  if (spec.fields.length === 0) throw new TypeError(`index on ${spec.collection} has no fields`);
  const seen = new Set<string>();
  for (const key of spec.fields) {
    assertFieldName(key.field);
    if (key.direction !== 'asc' && key.direction !== 'desc') throw new TypeError(`invalid index direction ${JSON.stringify(key.direction)}`);
    if (seen.has(key.field)) throw new TypeError(`field "${key.field}" appears twice in an index on ${spec.collection}`);
    seen.add(key.field);
  }
  const unique = spec.unique === true;
  // The embedded store appends the document to a covering index: unique over that, it would constrain nothing.
  if (unique && spec.covering === true) throw new TypeError(`index on ${spec.collection} cannot be both unique and covering`);
  const fields = unique ? spec.fields : withIdTiebreak(spec.fields);
  return { collection: spec.collection, fields, unique, covering: spec.covering === true, key: `${fieldKey(fields)}${unique ? '__unique' : ''}` };
}

/**
 * find() always ends its order with `id` in the direction of the last key. Ending a non-unique
 * index the same way lets the database walk the index for the whole order instead of sorting the
 * ties (SQLite: "TEMP B-TREE FOR LAST TERM"; MongoDB: an in-memory SORT stage over every match).
 * Unique indexes stay as asked: with `id` added they would no longer constrain anything.
 *
 * A uniquely indexed field should be present in every document: SQLite and FerretDB let several
 * documents lack it, MongoDB counts missing as null and refuses the second.
 */
function withIdTiebreak(fields: readonly SortKey[]): readonly SortKey[] {
  if (fields.some((key) => key.field === ID_FIELD)) return fields;
  return [...fields, { field: ID_FIELD, direction: fields[fields.length - 1].direction }];
}

function fieldKey(fields: readonly SortKey[]): string {
  return fields.map((key) => `${key.field}_${key.direction}`).join('__');
}
