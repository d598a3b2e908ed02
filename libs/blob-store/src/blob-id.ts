/**
 * Blob ids become file names (embedded store) and GridFS file names, so only a safe alphabet is
 * accepted: no `/`, `\`, `.` or NUL can ever reach a path, which rules out traversal outright
 * rather than trying to recognise it.
 */
const BLOB_ID = /^[A-Za-z0-9_-]{1,128}$/;

export class InvalidBlobIdError extends Error {
  constructor() {
    super('invalid blob id: use 1 to 128 of A-Z, a-z, 0-9, _ and -');
    this.name = 'InvalidBlobIdError';
  }
}

export function assertBlobId(id: string): void {
  if (typeof id !== 'string' || !BLOB_ID.test(id)) throw new InvalidBlobIdError();
}

export function assertMaxBytes(maxBytes: number): void {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
}
