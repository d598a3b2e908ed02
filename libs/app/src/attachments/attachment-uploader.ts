import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, CLOCK, READ_STORE, type BlobStore, type Clock, type ReadStore } from '@asiointitili/core';
import { MAX_ATTACHMENT_BYTES } from '../http/limits';
import { Collections } from '../read/projections/collections';
import type { AttachmentRecord } from './attachment-records';
import { checkedUpload } from './checked-upload';
import type { DeclaredType } from './content-types';

/** 24 random bytes: 32 URL-safe characters, within ATTACHMENT_ID_PATTERN and the blob-id alphabet. */
export const newAttachmentId = (): string => randomBytes(24).toString('base64url');

/**
 * Stores an upload: checks the content against its declared type while streaming it into the
 * blob store (which counts and hashes it, and refuses it past the limit), then records it.
 * Rejects with ContentMismatchError or BlobTooLargeError, keeping nothing.
 */
@Injectable()
export class AttachmentUploader {
  constructor(
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async upload(owner: string, name: string, type: DeclaredType, source: Readable, maxBytes = MAX_ATTACHMENT_BYTES): Promise<AttachmentRecord> {
    const id = newAttachmentId();
    const upload = await checkedUpload(source, type);
    let stored;
    try {
      stored = await this.blobs.put(id, upload.content, maxBytes);
    } catch (error) {
      await upload.discardRest();
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
