import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FileBlobStore } from './file-blob-store';

describe('FileBlobStore (embedded specifics)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'file-blob-store-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps a blob at <dataDir>/blobs/<first two characters>/<id>, with no temporary file left', async () => {
    const store = new FileBlobStore({ dataDir });
    await store.put('Xy7-attachment', Readable.from([Buffer.from('content')]), 100);
    expect(readdirSync(join(dataDir, 'blobs'))).toEqual(['Xy']);
    expect(readdirSync(join(dataDir, 'blobs', 'Xy'))).toEqual(['Xy7-attachment']);
  });

  it('creates the blobs directory at start so ping reports a writable store', async () => {
    const store = new FileBlobStore({ dataDir: join(dataDir, 'fresh') });
    expect(existsSync(join(dataDir, 'fresh', 'blobs'))).toBe(true);
    expect(await store.ping()).toBe(true);
    rmSync(join(dataDir, 'fresh'), { recursive: true });
    expect(await store.ping()).toBe(false);
  });

  it('never touches a path outside its directory for a traversal id', async () => {
    const store = new FileBlobStore({ dataDir: join(dataDir, 'inner') });
    await expect(store.put('../../outside', Readable.from([Buffer.from('x')]), 10)).rejects.toThrow(/invalid blob id/);
    await expect(store.delete('../inner')).rejects.toThrow(/invalid blob id/);
    expect(readdirSync(dataDir)).toEqual(['inner']);
    expect(existsSync(join(dataDir, 'inner'))).toBe(true);
  });
});
