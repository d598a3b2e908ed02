import type { Readable } from 'node:stream';

/**
 * Attachment bytes. Adapters: embedded (files in DATA_DIR/blobs) and MongoDB (GridFS).
 * Events carry only the metadata and SHA-256; content lives here.
 */
export interface BlobInfo {
  readonly id: string;
  readonly size: number;
  readonly sha256: string;
}

export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`blob exceeds ${limit} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

export interface BlobStore {
  /**
   * Streams `content` into the store under `id`, computing size and SHA-256 on the way; never
   * holds the whole file in memory. Rejects with BlobTooLargeError (and keeps nothing) once more
   * than `maxBytes` arrive.
   */
  put(id: string, content: Readable, maxBytes: number): Promise<BlobInfo>;
  /** A readable stream of the content, or null when there is no such blob. */
  get(id: string): Promise<Readable | null>;
  delete(id: string): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const BLOB_STORE = Symbol('BLOB_STORE');
