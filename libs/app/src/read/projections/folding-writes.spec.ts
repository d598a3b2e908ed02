import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '@asiointitili/read-store';
import { FoldingWrites } from './folding-writes';

describe('FoldingWrites (the rebuild batch)', () => {
  let dir: string;
  let store: SqliteReadStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'asiointitili-folding-'));
    store = new SqliteReadStore({ dataDir: dir });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a document this rebuild never wrote as missing without asking the store', async () => {
    const reads = jest.spyOn(store, 'get');
    const writes = new FoldingWrites(store);
    await expect(writes.get('messages', 'm-1')).resolves.toBeNull();
    expect(reads).not.toHaveBeenCalled();
  });

  it('writes each document touched in a window once, in its last state, with the checkpoint', async () => {
    const write = jest.spyOn(store, 'write');
    const writes = new FoldingWrites(store);
    writes.put('messages', { id: 'm-1', n: 1 });
    writes.put('messages', { id: 'm-1', n: 2 });
    await expect(writes.get('messages', 'm-1')).resolves.toEqual({ id: 'm-1', n: 2 });
    writes.put('messages', { id: 'm-2', n: 1 });
    await writes.flush({ name: 'read-models', position: 3n });
    expect(write).toHaveBeenCalledTimes(1);
    expect(write.mock.calls[0]![0]).toEqual([
      { op: 'put', collection: 'messages', doc: { id: 'm-1', n: 2 } },
      { op: 'put', collection: 'messages', doc: { id: 'm-2', n: 1 } },
    ]);
    expect(writes.writes).toBe(2);
    await expect(store.checkpoint('read-models')).resolves.toBe(3n);
  });

  it('reads a document written by an earlier window back from the store', async () => {
    const writes = new FoldingWrites(store);
    writes.put('messages', { id: 'm-1', n: 1 });
    await writes.flush({ name: 'read-models', position: 1n });
    const reads = jest.spyOn(store, 'get');
    await expect(writes.get('messages', 'm-1')).resolves.toEqual({ id: 'm-1', n: 1 });
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('deletes from the store only what an earlier window wrote', async () => {
    const write = jest.spyOn(store, 'write');
    const writes = new FoldingWrites(store);
    writes.put('deadlines', { id: 'd-1' });
    await writes.flush({ name: 'read-models', position: 1n });
    writes.delete('deadlines', 'd-1');
    writes.put('deadlines', { id: 'd-2' });
    writes.delete('deadlines', 'd-2');
    await writes.flush({ name: 'read-models', position: 2n });
    expect(write.mock.calls[1]![0]).toEqual([{ op: 'delete', collection: 'deadlines', id: 'd-1' }]);
    await expect(store.get('deadlines', 'd-1')).resolves.toBeNull();
    await expect(writes.get('deadlines', 'd-1')).resolves.toBeNull();
  });
});
