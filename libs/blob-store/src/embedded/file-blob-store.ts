import { randomUUID } from 'node:crypto';
import { constants, mkdirSync } from 'node:fs';
import { access, mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobInfo, BlobStore } from '@asiointitili/core';
import { assertBlobId, assertMaxBytes } from '../blob-id';
import { holdErrors, meteredCopy } from '../metered-copy';

export const BLOBS_DIRECTORY = 'blobs';

export interface FileBlobStoreOptions {
  /** DATA_DIR: blobs live in `<dataDir>/blobs/<first two characters of the id>/<id>`. */
  readonly dataDir: string;
}

/**
 * The embedded attachment store: one file per blob. A blob appears under its name only complete
 * and on disk: it is written to a temporary file beside it, fsynced, then renamed (atomic within
 * a directory), and the directory is fsynced so the rename survives a crash. The two-character
 * prefix directories keep any one directory from holding millions of entries.
 */
export class FileBlobStore implements BlobStore {
  readonly root: string;

  constructor(options: FileBlobStoreOptions) {
    this.root = join(options.dataDir, BLOBS_DIRECTORY);
    mkdirSync(this.root, { recursive: true });
  }

  async put(id: string, content: Readable, maxBytes: number): Promise<BlobInfo> {
    assertBlobId(id);
    assertMaxBytes(maxBytes);
    const release = holdErrors(content);
    try {
      return await this.store(id, content, maxBytes);
    } finally {
      release();
    }
  }

  async get(id: string): Promise<Readable | null> {
    assertBlobId(id);
    let handle: FileHandle;
    try {
      // Opening first, then streaming from the handle: a delete after this point cannot break the read.
      handle = await open(join(this.directoryOf(id), id), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return handle.createReadStream();
  }

  async delete(id: string): Promise<void> {
    assertBlobId(id);
    await rm(join(this.directoryOf(id), id), { force: true });
  }

  async ping(): Promise<boolean> {
    try {
      await access(this.root, constants.R_OK | constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // Nothing held open between calls.
  }

  private async store(id: string, content: Readable, maxBytes: number): Promise<BlobInfo> {
    const directory = this.directoryOf(id);
    await mkdir(directory, { recursive: true });
    // Ids never contain ".", so no temporary name can be mistaken for a blob.
    const temporary = join(directory, `.${id}.${randomUUID()}.tmp`);
    const handle = await open(temporary, 'wx');
    try {
      const copied = await meteredCopy(content, (chunk) => writeFully(handle, chunk), maxBytes);
      await handle.sync();
      await handle.close();
      await rename(temporary, join(directory, id));
      await syncDirectory(directory);
      return { id, size: copied.size, sha256: copied.sha256 };
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
      throw error;
    }
  }

  private directoryOf(id: string): string {
    return join(this.root, id.slice(0, 2));
  }
}

async function writeFully(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/** Makes a rename durable. Some platforms cannot fsync a directory; the file itself is synced already. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM/EINVAL on platforms without directory fsync: nothing more can be done.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
