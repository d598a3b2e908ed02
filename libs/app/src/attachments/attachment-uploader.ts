import { randomBytes } from 'node:crypto';
import { Transform, pipeline, type Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, CLOCK, MALWARE_SCANNER, READ_STORE, type BlobStore, type Clock, type MalwareScanner, type ReadStore, type ScanSession } from '@asiointitili/core';
import { MAX_ATTACHMENT_BYTES } from '../http/limits';
import { Collections } from '../read/projections/collections';
import type { AttachmentRecord } from './attachment-records';
import { checkedUpload } from './checked-upload';
import type { DeclaredType } from './content-types';

/** 24 random bytes: 32 URL-safe characters, within ATTACHMENT_ID_PATTERN and the blob-id alphabet. */
export const newAttachmentId = (): string => randomBytes(24).toString('base64url');

/** The scanner found malware: nothing of the upload was kept. The signature is for the log and the answer. */
export class MalwareDetectedError extends Error {
  constructor(readonly signature: string) {
    super(`malware detected: ${signature}`);
    this.name = 'MalwareDetectedError';
  }
}

/**
 * Stores an upload: checks the content against its declared type while streaming it into the
 * blob store (which counts and hashes it, and refuses it past the limit) and, in the same pass,
 * into the malware scanner; then records it. Rejects with ContentMismatchError,
 * BlobTooLargeError, MalwareDetectedError or MalwareScannerUnavailableError, keeping nothing.
 */
@Injectable()
export class AttachmentUploader {
  constructor(
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(MALWARE_SCANNER) private readonly scanner: MalwareScanner,
  ) {}

  async upload(owner: string, name: string, type: DeclaredType, source: Readable, maxBytes = MAX_ATTACHMENT_BYTES): Promise<AttachmentRecord> {
    const id = newAttachmentId();
    const upload = await checkedUpload(source, type);
    let scan: ScanSession;
    try {
      // Fail closed: no scanner, no upload (MalwareScannerUnavailableError → 503).
      scan = await this.scanner.session();
    } catch (error) {
      await upload.discardRest();
      throw error;
    }
    let stored;
    try {
      // pipeline, not pipe: a content mismatch found mid-stream must fail the store's write.
      stored = await this.blobs.put(id, pipeline(upload.content, scanned(scan), () => undefined), maxBytes);
    } catch (error) {
      scan.abort();
      await upload.discardRest();
      throw error;
    }
    try {
      const verdict = await scan.finish();
      if (!verdict.clean) throw new MalwareDetectedError(verdict.signature);
    } catch (error) {
      // Infected, or no verdict: the stored bytes go, nothing refers to them.
      await this.blobs.delete(id).catch(() => undefined);
      throw error;
    }
    const record: AttachmentRecord = {
      id,
      owner,
      name,
      contentType: type.contentType,
      size: stored.size,
      sha256: stored.sha256,
      uploadedAt: this.clock.now().toISOString(),
      usedBy: null,
    };
    try {
      await this.store.write([{ op: 'put', collection: Collections.attachments, doc: record }]);
    } catch (error) {
      // Without its record no one could use or sweep the file: take it back.
      await this.blobs.delete(id).catch(() => undefined);
      throw error;
    }
    return record;
  }
}

/** Passes each chunk on once the scanner has taken it: the scan keeps pace with the hashing store. */
function scanned(scan: ScanSession): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      scan.write(chunk).then(
        () => callback(null, chunk),
        (error: unknown) => callback(error as Error),
      );
    },
  });
}
