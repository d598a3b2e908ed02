/**
 * Errors the read-model adapters raise beyond the port's InvalidCursorError. Both adapters raise
 * the same classes, so callers never look at driver-specific codes.
 */

/** A write would give two documents the same value of a unique index (or created such an index over duplicates). */
export class DuplicateKeyError extends Error {
  constructor(readonly collection: string, cause?: unknown) {
    super(`duplicate key in read-model collection "${collection}"`, { cause });
    this.name = 'DuplicateKeyError';
  }
}

/** A document that one of the adapters could not store faithfully; refused before anything is written. */
export class InvalidDocumentError extends Error {
  constructor(readonly collection: string, readonly path: string, reason: string) {
    super(`document for "${collection}" refused at ${path}: ${reason}`);
    this.name = 'InvalidDocumentError';
  }
}
