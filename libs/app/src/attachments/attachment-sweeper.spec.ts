import { Readable } from 'node:stream';
import { ManualClock, type BlobStore } from '@asiointitili/core';
import { FileBlobStore } from '@asiointitili/blob-store';
import { Collections } from '../read/projections/collections';
import { markerId, type AttachmentRecord, type ClaimMarker } from './attachment-records';
import { AttachmentSweeper } from './attachment-sweeper';
import { putRecords, putUse, storeTargets, tempReadStore, uploadRecord, type TempStore } from './testing/attachment-fixtures';

const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;
const UPLOADED = '2026-03-02T08:00:00.000Z';
const at = (offsetMs: number): Date => new Date(Date.parse(UPLOADED) + offsetMs);

describe.each(storeTargets('AttachmentSweeper'))('the sweeper of unused uploads (%s read store)', (target) => {
  let temp: TempStore;
  let blobs: BlobStore;
  let clock: ManualClock;
  let sweeper: AttachmentSweeper;

  beforeEach(async () => {
    temp = await tempReadStore(target);
    blobs = new FileBlobStore({ dataDir: temp.dataDir });
    clock = new ManualClock(UPLOADED);
    sweeper = new AttachmentSweeper({ readStore: temp.store, blobs, clock });
  });
  afterEach(async () => {
    await sweeper.stop();
    await temp.dispose();
  });

  async function upload(id: string, overrides: Partial<AttachmentRecord> = {}): Promise<void> {
    await blobs.put(id, Readable.from([Buffer.from(`content of ${id}`)]), 1024);
    await putRecords(temp.store, uploadRecord(id, overrides));
  }

  const exists = async (id: string): Promise<{ record: boolean; blob: boolean }> => {
    const content = await blobs.get(id);
    content?.destroy();
    return { record: (await temp.store.get(Collections.attachments, id)) !== null, blob: content !== null };
  };

  it('keeps an unused upload at 23 h 59 min', async () => {
    await upload('upload-young');
    clock.set(at(23 * HOUR + 59 * MINUTE));
    expect(await sweeper.sweepOnce()).toEqual({ deleted: [], repaired: [] });
    expect(await exists('upload-young')).toEqual({ record: true, blob: true });
  });

  it('deletes an unused upload, file and record, at 24 h', async () => {
    await upload('upload-old');
    clock.set(at(24 * HOUR));
    expect(await sweeper.sweepOnce()).toEqual({ deleted: ['upload-old'], repaired: [] });
    expect(await exists('upload-old')).toEqual({ record: false, blob: false });
  });

  it('never deletes a used upload, however old', async () => {
    await upload('upload-used', { usedBy: 'm-1' });
    clock.set(at(400 * 24 * HOUR));
    expect(await sweeper.sweepOnce()).toEqual({ deleted: [], repaired: [] });
    expect(await exists('upload-used')).toEqual({ record: true, blob: true });
  });

  it('keeps and repairs an upload the log shows used though its record was never marked (crash before confirm)', async () => {
    await upload('upload-crashed');
    await putUse(temp.store, 'upload-crashed', 'reply:m-1:r-1');
    clock.set(at(25 * HOUR));
    expect(await sweeper.sweepOnce()).toEqual({ deleted: [], repaired: ['upload-crashed'] });
    expect(await exists('upload-crashed')).toEqual({ record: true, blob: true });
    expect((await temp.store.get<AttachmentRecord>(Collections.attachments, 'upload-crashed'))?.usedBy).toBe('reply:m-1:r-1');
  });

  it('keeps and repairs an upload whose claim marker landed but whose record was not updated', async () => {
    await upload('upload-marked');
    const marker: ClaimMarker = { id: markerId('upload-marked', 'application:a-1'), attachmentId: 'upload-marked', usedBy: 'application:a-1', owner: 'citizen:c_maija', claimedAt: UPLOADED };
    await temp.store.write([{ op: 'put', collection: Collections.attachmentClaims, doc: marker }]);
    clock.set(at(24 * HOUR));
    expect(await sweeper.sweepOnce()).toEqual({ deleted: [], repaired: ['upload-marked'] });
    expect((await temp.store.get<AttachmentRecord>(Collections.attachments, 'upload-marked'))?.usedBy).toBe('application:a-1');
  });

  it('sweeps only the expired among many, oldest first, across pages', async () => {
    const ids = Array.from({ length: 450 }, (_, i) => `upload-${String(i).padStart(4, '0')}`);
    // One upload a minute; 24 h 300 min after the first, uploads 0..300 are at least 24 h old.
    await putRecords(temp.store, ...ids.map((id, i) => uploadRecord(id, { uploadedAt: at(i * MINUTE).toISOString() })));
    clock.set(at(24 * HOUR + 300 * MINUTE));
    const report = await sweeper.sweepOnce();
    expect(report.deleted).toEqual(ids.slice(0, 301));
    expect(await temp.store.count(Collections.attachments)).toBe(149);
  });

  it('runs on its own every interval once started, and stops', async () => {
    await upload('upload-old');
    clock.set(at(24 * HOUR));
    const periodic = new AttachmentSweeper({ readStore: temp.store, blobs, clock }, 10);
    await periodic.start();
    try {
      for (let i = 0; i < 200 && (await exists('upload-old')).record; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      await periodic.stop();
    }
    expect(await exists('upload-old')).toEqual({ record: false, blob: false });
  });
});
