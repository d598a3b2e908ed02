/**
 * Logical names (what projections use) and physical names (what the database holds).
 * Every physical collection carries its generation, `g<N>_<collection>`, so a rebuild can fill
 * `g<N+1>_…` beside the live one. Names are checked here because they end up inside SQL
 * identifiers and JSON paths, where they cannot be bound as parameters.
 */

/** Starts with a letter, so no logical name can collide with the reserved `g<N>__checkpoints`. */
const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** Top-level fields only: no dots (FerretDB refuses them in keys) and no `$` (operators). */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const PHYSICAL_NAME = /^g([1-9][0-9]{0,8})_/;

export const ID_FIELD = 'id';

export function assertCollectionName(collection: string): void {
  if (typeof collection !== 'string' || !COLLECTION_NAME.test(collection)) {
    throw new TypeError(`invalid read-model collection name ${JSON.stringify(collection)}: use a letter, then letters, digits, _ or - (at most 64)`);
  }
}

export function assertFieldName(field: string): void {
  if (typeof field !== 'string' || !FIELD_NAME.test(field)) {
    throw new TypeError(`invalid read-model field name ${JSON.stringify(field)}: use a top-level field of letters, digits and _`);
  }
  if (field === '_id') {
    throw new TypeError('the read-model field "_id" does not exist: documents are identified by "id"');
  }
}

export function physicalCollection(generation: number, collection: string): string {
  return `g${generation}_${collection}`;
}

export function physicalCheckpoints(generation: number): string {
  return `g${generation}__checkpoints`;
}

/** The generation a physical name belongs to, or null for names outside the scheme (meta tables). */
export function generationOf(physicalName: string): number | null {
  const match = PHYSICAL_NAME.exec(physicalName);
  return match ? Number(match[1]) : null;
}
