import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { BlobTooLargeError } from '@asiointitili/core';

export interface CopiedContent {
  readonly size: number;
  /** Lower-case hex. */
  readonly sha256: string;
}

/**
 * Moves `content` into `write`, one chunk at a time, counting and hashing on the way; rejects
 * with BlobTooLargeError as soon as more than `maxBytes` have arrived, before the excess is
 * written.
 *
 * Each chunk is written (awaited) before the next is read, rather than piping through a Transform:
 * when a copy fails, no write is still in flight, so the caller's clean-up (removing the temp file,
 * deleting GridFS chunks) cannot race a late write that would leave a piece behind. Only one chunk
 * is held at a time, never the whole file.
 *
 * On failure `content` is left as it is, not destroyed: an HTTP layer can still answer 413 on
 * the request's socket, and then decide whether to drain or drop the rest.
 */
export async function meteredCopy(content: Readable, write: (chunk: Buffer) => Promise<void>, maxBytes: number): Promise<CopiedContent> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of content.iterator({ destroyOnReturn: false })) {
    const bytes = asBuffer(chunk);
    size += bytes.length;
    if (size > maxBytes) throw new BlobTooLargeError(maxBytes);
    hash.update(bytes);
    await write(bytes);
  }
  return { size, sha256: hash.digest('hex') };
}

function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  // A view on the same memory, not a copy.
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('blob content must be a stream of bytes or strings');
}

/**
 * Keeps an 'error' on `content` from being an uncaught exception while the store is still
 * opening its file or upload (the request may fail before the first chunk is read). The error is
 * not lost: the stream remembers it and meteredCopy's read rethrows it. Returns the detacher.
 */
export function holdErrors(content: Readable): () => void {
  const ignore = (): void => undefined;
  content.on('error', ignore);
  return () => content.off('error', ignore);
}
