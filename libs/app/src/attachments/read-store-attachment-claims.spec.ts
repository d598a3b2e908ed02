import { Logger } from '@nestjs/common';
import { ManualClock } from '@asiointitili/core';
import { ProblemException } from '../http/problem';
import { Collections } from '../read/projections/collections';
import { UNUSED_UPLOAD_TTL_MS, CLAIM_MARGIN_MS } from './attachment-lifetime';
import type { AttachmentRecord, ClaimMarker } from './attachment-records';
import { ReadStoreAttachmentClaims } from './read-store-attachment-claims';
import { putRecords, putUse, storeTargets, tempReadStore, uploadRecord, type TempStore } from './testing/attachment-fixtures';

const MAIJA = 'citizen:c_maija';
const UPLOADED = '2026-03-02T08:00:00.000Z';

describe.each(storeTargets('ReadStoreAttachmentClaims'))('ReadStoreAttachmentClaims (%s)', (target) => {
  let temp: TempStore;
  let clock: ManualClock;
  let claims: ReadStoreAttachmentClaims;

  beforeEach(async () => {
    temp = await tempReadStore(target);
    clock = new ManualClock('2026-03-02T09:00:00.000Z');
    claims = new ReadStoreAttachmentClaims(temp.store, clock);
    await claims.onModuleInit();
  });
  afterEach(() => temp.dispose());

  async function refusal(owner: string, ids: string[]): Promise<{ errors: { field: string; problem: string }[]; attachments: string[] }> {
    const error = await claims.claim(owner, ids).then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof ProblemException)) throw new Error(`expected a refusal, got ${String(error)}`);
    expect(error.problem).toMatchObject({ status: 422, type: 'urn:asiointitili:problem:attachment-not-usable' });
    return error.problem as never;
  }

  const record = (id: string) => temp.store.get<AttachmentRecord>(Collections.attachments, id);

  it('turns the uploader’s unused ids into the refs an event stores, in the order given', async () => {
    await putRecords(temp.store, uploadRecord('upload-b'), uploadRecord('upload-a', { name: 'a.txt', contentType: 'text/plain; charset=utf-8', size: 3 }));
    expect(await claims.claim(MAIJA, ['upload-a', 'upload-b'])).toEqual([
      { id: 'upload-a', name: 'a.txt', contentType: 'text/plain; charset=utf-8', size: 3, sha256: 'a'.repeat(64) },
      { id: 'upload-b', name: 'upload-b.pdf', contentType: 'application/pdf', size: 10, sha256: 'a'.repeat(64) },
    ]);
  });

  it('claims nothing for no ids', async () => {
    expect(await claims.claim(MAIJA, [])).toEqual([]);
  });

  it('refuses unknown and someone else’s ids in the same words, listing every bad id', async () => {
    await putRecords(temp.store, uploadRecord('upload-own'), uploadRecord('upload-kela', { owner: 'agency:kela' }));
    const problem = await refusal(MAIJA, ['upload-own', 'upload-kela', 'upload-none']);
    expect(problem.attachments).toEqual(['upload-kela', 'upload-none']);
    expect(problem.errors).toEqual([
      { field: 'attachments[1]', problem: 'there is no upload upload-kela of yours' },
      { field: 'attachments[2]', problem: 'there is no upload upload-none of yours' },
    ]);
  });

  it('refuses an id listed twice', async () => {
    await putRecords(temp.store, uploadRecord('upload-a'));
    const problem = await refusal(MAIJA, ['upload-a', 'upload-a']);
    expect(problem.errors).toEqual([{ field: 'attachments[1]', problem: 'upload-a is listed more than once' }]);
  });

  it('refuses an id once confirmed used, and leaves a refused command’s uploads usable', async () => {
    await putRecords(temp.store, uploadRecord('upload-a'));
    await claims.claim(MAIJA, ['upload-a']); // the command is then refused: no confirm
    await claims.claim(MAIJA, ['upload-a']);
    await claims.confirm(MAIJA, ['upload-a'], 'm-1');
    expect((await record('upload-a'))?.usedBy).toBe('m-1');
    expect((await refusal(MAIJA, ['upload-a'])).errors[0]!.problem).toBe('upload-a was already used; upload the file again');
  });

  it('refuses an id the log shows used even when confirm never ran (a crash after the append)', async () => {
    await putRecords(temp.store, uploadRecord('upload-a'));
    await putUse(temp.store, 'upload-a', 'application:a-1');
    expect((await refusal(MAIJA, ['upload-a'])).attachments).toEqual(['upload-a']);
  });

  it('can be claimed until 5 minutes before the 24 hours are over, and not from then on', async () => {
    await putRecords(temp.store, uploadRecord('upload-a', { uploadedAt: UPLOADED }));
    const deadline = Date.parse(UPLOADED) + UNUSED_UPLOAD_TTL_MS - CLAIM_MARGIN_MS;
    clock.set(new Date(deadline - 1));
    await expect(claims.claim(MAIJA, ['upload-a'])).resolves.toHaveLength(1);
    clock.set(new Date(deadline));
    expect((await refusal(MAIJA, ['upload-a'])).errors[0]!.problem).toBe('upload-a has expired; upload the file again');
  });

  it('keeps the first of two racing uses: the second marker clashes, is logged, and changes nothing', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await putRecords(temp.store, uploadRecord('upload-a'));
    // Both commands passed `claim` before either confirmed.
    await claims.claim(MAIJA, ['upload-a']);
    await claims.claim(MAIJA, ['upload-a']);
    await claims.confirm(MAIJA, ['upload-a'], 'm-first');
    await claims.confirm(MAIJA, ['upload-a'], 'm-second');
    expect((await record('upload-a'))?.usedBy).toBe('m-first');
    const markers = await temp.store.find<ClaimMarker>(Collections.attachmentClaims, { where: { attachmentId: 'upload-a' }, orderBy: [{ field: 'id', direction: 'asc' }], limit: 10 });
    expect(markers.items.map((m) => m.usedBy)).toEqual(['m-first']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('upload-a was referenced concurrently by m-second and m-first'));
    warn.mockRestore();
  });

  it('lands exactly one marker when two uses confirm at the same moment', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await putRecords(temp.store, uploadRecord('upload-a'));
    await Promise.all([claims.confirm(MAIJA, ['upload-a'], 'm-one'), claims.confirm(MAIJA, ['upload-a'], 'm-two')]);
    const markers = await temp.store.find<ClaimMarker>(Collections.attachmentClaims, { where: { attachmentId: 'upload-a' }, orderBy: [{ field: 'id', direction: 'asc' }], limit: 10 });
    expect(markers.items).toHaveLength(1);
    expect((await record('upload-a'))?.usedBy).toBe(markers.items[0]!.usedBy);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('confirms the same use again without a clash (a retried command)', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await putRecords(temp.store, uploadRecord('upload-a'));
    await claims.confirm(MAIJA, ['upload-a'], 'm-1');
    await claims.confirm(MAIJA, ['upload-a'], 'm-1');
    expect((await record('upload-a'))?.usedBy).toBe('m-1');
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('never throws from confirm, even when the store fails (the event is appended by then)', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(temp.store, 'write').mockRejectedValueOnce(new Error('store down'));
    await expect(claims.confirm(MAIJA, ['upload-a'], 'm-1')).resolves.toBeUndefined();
    expect(error).toHaveBeenCalledWith(expect.stringContaining('store down'));
    error.mockRestore();
  });
});
