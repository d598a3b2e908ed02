import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GridFSBucket, ObjectId, type Collection, type Db, type GridFSBucketWriteStream, type GridFSChunk, type GridFSFile } from 'mongodb';
import type { BlobInfo, BlobStore } from '@asiointitili/core';
import { assertBlobId, assertMaxBytes } from '../blob-id';
import { holdErrors, meteredCopy } from '../metered-copy';

export const DEFAULT_BUCKET = 'blobs';

export interface GridFsBlobStoreOptions {
  readonly db: Db;
  /** GridFS bucket: collections `<bucket>.files` and `<bucket>.chunks`. Default `blobs`. */
  readonly bucketName?: string;
  /** Run by close(), e.g. to close the MongoClient the store owns. */
  readonly onClose?: () => Promise<void>;
}

/**
 * Attachments in MongoDB GridFS (also FerretDB v1). The blob id is the GridFS file name; each
 * upload gets a fresh ObjectId, and only once it is complete are older uploads under the same
 * name deleted, so a reader sees the old content or the new, never a mix. A failed or too large
 * upload deletes the chunks it wrote and never writes its files document.
 */
export class GridFsBlobStore implements BlobStore {
  private readonly db: Db;
  private readonly bucket: GridFSBucket;
  private readonly files: Collection<GridFSFile>;
  private readonly chunks: Collection<GridFSChunk>;
  private readonly onClose: (() => Promise<void>) | undefined;

  constructor(options: GridFsBlobStoreOptions) {
    const bucketName = options.bucketName ?? DEFAULT_BUCKET;
    this.db = options.db;
    this.bucket = new GridFSBucket(options.db, { bucketName });
    this.files = options.db.collection<GridFSFile>(`${bucketName}.files`);
    this.chunks = options.db.collection<GridFSChunk>(`${bucketName}.chunks`);
    this.onClose = options.onClose;
  }

  async put(id: string, content: Readable, maxBytes: number): Promise<BlobInfo> {
    assertBlobId(id);
    assertMaxBytes(maxBytes);
    const release = holdErrors(content);
    try {
      return await this.upload(id, content, maxBytes);
    } finally {
      release();
    }
  }

  async get(id: string): Promise<Readable | null> {
    assertBlobId(id);
    const latest = await this.files.find({ filename: id }, { sort: { uploadDate: -1, _id: -1 }, limit: 1, projection: { _id: 1 } }).next();
    return latest ? this.bucket.openDownloadStream(latest._id) : null;
  }

  async delete(id: string): Promise<void> {
    assertBlobId(id);
    await this.deleteVersions(id, null);
  }

  async ping(): Promise<boolean> {
    try {
      const reply = await this.db.command({ ping: 1 }, { timeoutMS: 2000 });
      return reply.ok === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.onClose?.();
  }

  private async upload(id: string, content: Readable, maxBytes: number): Promise<BlobInfo> {
    const fileId = new ObjectId();
    const upload = this.bucket.openUploadStream(id, { id: fileId });
    // Failures surface through the write callbacks and `finished`; this only keeps a late
    // 'error' event from becoming an uncaught exception.
    upload.on('error', () => undefined);
    try {
      const copied = await meteredCopy(content, (chunk) => writeChunk(upload, chunk), maxBytes);
      upload.end();
      await finished(upload);
      await this.deleteVersions(id, fileId);
      return { id, size: copied.size, sha256: copied.sha256 };
    } catch (error) {
      // meteredCopy awaits every write, so no chunk insert is still in flight here.
      upload.destroy();
      await this.deleteUpload(fileId);
      throw error;
    }
  }

  /** Deletes every stored upload of `id` except `keep`: files document first, so no reader finds a file without chunks. */
  private async deleteVersions(id: string, keep: ObjectId | null): Promise<void> {
    const filter = keep ? { filename: id, _id: { $ne: keep } } : { filename: id };
    const versions = await this.files.find(filter, { projection: { _id: 1 } }).toArray();
    for (const version of versions) await this.deleteUpload(version._id);
  }

  private async deleteUpload(fileId: ObjectId): Promise<void> {
    await this.files.deleteOne({ _id: fileId });
    await this.chunks.deleteMany({ files_id: fileId });
  }
}

function writeChunk(upload: GridFSBucketWriteStream, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    upload.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}
