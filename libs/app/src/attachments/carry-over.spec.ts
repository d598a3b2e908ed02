import { Collections } from '../read/projections/collections';
import { markerId, type ClaimMarker } from './attachment-records';
import { carryOverUploads } from './carry-over';
import { putRecords, storeTargets, tempReadStore, uploadRecord, type TempStore } from './testing/attachment-fixtures';

describe.each(storeTargets('carryOverUploads'))('carrying uploads over a read-model rebuild (%s)', (target) => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await tempReadStore(target);
  });
  afterEach(() => temp.dispose());

  it('copies every upload record and claim marker into the new generation, which the swap then keeps', async () => {
    const records = Array.from({ length: 1003 }, (_, i) => uploadRecord(`upload-${String(i).padStart(5, '0')}`));
    await putRecords(temp.store, ...records);
    const marker: ClaimMarker = { id: markerId('upload-00000', 'm-1'), attachmentId: 'upload-00000', usedBy: 'm-1', owner: 'citizen:c_maija', claimedAt: '2026-03-02T08:00:00.000Z' };
    await temp.store.write([{ op: 'put', collection: Collections.attachmentClaims, doc: marker }]);

    const generation = await temp.store.beginGeneration();
    expect(await carryOverUploads(temp.store, generation.store)).toBe(1004);
    await generation.activate();

    expect(await temp.store.count(Collections.attachments)).toBe(1003);
    expect(await temp.store.get(Collections.attachments, 'upload-01002')).toEqual(records[1002]);
    expect(await temp.store.get(Collections.attachmentClaims, marker.id)).toEqual(marker);
  });

  it('keeps the unique index on claim markers in the new generation', async () => {
    const generation = await temp.store.beginGeneration();
    await carryOverUploads(temp.store, generation.store);
    const first: ClaimMarker = { id: markerId('upload-a', 'm-1'), attachmentId: 'upload-a', usedBy: 'm-1', owner: 'o', claimedAt: 't' };
    await generation.store.write([{ op: 'put', collection: Collections.attachmentClaims, doc: first }]);
    // Compared by outcome, not error class: under jest, better-sqlite3's error class belongs to
    // whichever test file loaded it first in the worker.
    const second = await generation.store
      .write([{ op: 'put', collection: Collections.attachmentClaims, doc: { ...first, id: markerId('upload-a', 'm-2'), usedBy: 'm-2' } }])
      .then(() => 'written', () => 'refused');
    expect(second).toBe('refused');
    await generation.discard();
  });
});
