import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { ReadStore } from '@asiointitili/core';
import { createReadStore } from '@asiointitili/read-store';
import { Collections } from '../../read/projections/collections';
import { ATTACHMENT_INDEXES, markerId, type AttachmentRecord, type AttachmentUseDoc } from '../attachment-records';

export interface TempStore {
  readonly dataDir: string;
  readonly store: ReadStore;
  dispose(): Promise<void>;
}

export type StoreTarget = 'embedded' | 'MongoDB';

/**
 * Where the attachment specs run: always on the embedded store, and on MongoDB too when
 * MONGODB_URL is set (FerretDB in CI), whose unique index is what settles racing uses there.
 */
export function storeTargets(suite: string): StoreTarget[] {
  if (process.env.MONGODB_URL?.trim()) return ['embedded', 'MongoDB'];
  // eslint-disable-next-line no-console
  console.log(`SKIPPED: "${suite}" on MongoDB needs MONGODB_URL; it is not set, so it ran on the embedded store only.`);
  return ['embedded'];
}

/** A read store in a fresh directory (or database), with the attachment indexes (the unique marker one included). */
export async function tempReadStore(target: StoreTarget = 'embedded'): Promise<TempStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attachments-'));
  let mongodbUrl: string | undefined;
  if (target === 'MongoDB') {
    const url = new URL(process.env.MONGODB_URL!.trim());
    url.pathname = `/attachments_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
    mongodbUrl = url.toString();
  }
  const store = await createReadStore({ dataDir, mongodbUrl });
  await store.ensureIndexes(ATTACHMENT_INDEXES);
  return {
    dataDir,
    store,
    async dispose() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (mongodbUrl) {
        const client = await MongoClient.connect(mongodbUrl);
        await client.db().dropDatabase().finally(() => client.close());
      }
    },
  };
}

export function uploadRecord(id: string, overrides: Partial<AttachmentRecord> = {}): AttachmentRecord {
  return {
    id,
    owner: 'citizen:c_maija',
    name: `${id}.pdf`,
    contentType: 'application/pdf',
    size: 10,
    sha256: 'a'.repeat(64),
    uploadedAt: '2026-03-02T08:00:00.000Z',
    usedBy: null,
    ...overrides,
  };
}

export async function putRecords(store: ReadStore, ...records: AttachmentRecord[]): Promise<void> {
  await store.write(records.map((doc) => ({ op: 'put' as const, collection: Collections.attachments, doc })));
}

/** What the attachment-uses projection writes when an event references the upload. */
export async function putUse(store: ReadStore, attachmentId: string, usedBy: string): Promise<void> {
  const doc: AttachmentUseDoc = { id: markerId(attachmentId, usedBy), attachmentId, usedBy, agencyId: 'kela', citizenRef: 'c_maija', seq: '1'.padStart(20, '0') };
  await store.write([{ op: 'put', collection: Collections.attachmentUses, doc }]);
}
