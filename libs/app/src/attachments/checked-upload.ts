import { Readable } from 'node:stream';
import { ContentMismatchError, HEAD_BYTES, TextContentCheck, checkHead } from './content-check';
import type { DeclaredType } from './content-types';

export interface CheckedUpload {
  /** The uploaded bytes, unchanged, checked against the declared type as they pass. */
  readonly content: Readable;
  /**
   * After a refusal: stops reading the request without destroying it, and discards the rest of
   * its body, so the refusal can still be answered on the connection.
   */
  discardRest(): Promise<void>;
}

/**
 * Peeks at the first HEAD_BYTES of `source` (fewer if the file is shorter) and checks them
 * against the declared type before anything is stored; text is then checked chunk by chunk to
 * the end. Only the head is held in memory, never the whole file.
 *
 * Rejects with ContentMismatchError when the head already gives the content away; a later
 * mismatch (text only) makes `content` fail with it, which aborts the store's write.
 */
export async function checkedUpload(source: Readable, type: DeclaredType): Promise<CheckedUpload> {
  // destroyOnReturn: false, so a refusal can still answer on the request's socket.
  const chunks = source.iterator({ destroyOnReturn: false });
  const discardRest = async (): Promise<void> => {
    await chunks.return?.();
    source.resume();
  };

  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  try {
    while (headLength < HEAD_BYTES) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        break;
      }
      const chunk = asBuffer(next.value);
      head.push(chunk);
      headLength += chunk.length;
    }
    const first = Buffer.concat(head, headLength);
    checkHead(first, type.family, type.mediaType);
    const text = type.family.kind === 'text' ? new TextContentCheck(type.charset ?? 'utf-8') : null;
    text?.feed(first);

    async function* checked(): AsyncGenerator<Buffer> {
      if (first.length > 0) yield first;
      if (!ended) {
        for (;;) {
          const next = await chunks.next();
          if (next.done) break;
          const chunk = asBuffer(next.value);
          text?.feed(chunk);
          yield chunk;
        }
      }
      text?.finish();
    }

    const content = Readable.from(checked(), { objectMode: false });
    return {
      content,
      async discardRest() {
        content.destroy();
        await discardRest();
      },
    };
  } catch (error) {
    if (error instanceof ContentMismatchError) await discardRest();
    throw error;
  }
}

function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('an upload is a stream of bytes');
}
