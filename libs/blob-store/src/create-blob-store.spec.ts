import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlobStore } from './create-blob-store';
import { FileBlobStore } from './embedded/file-blob-store';
import { GridFsBlobStore } from './mongo/gridfs-blob-store';

describe('createBlobStore', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'create-blob-store-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('uses files in DATA_DIR when MONGODB_URL is unset or blank', () => {
    expect(createBlobStore({ dataDir })).toBeInstanceOf(FileBlobStore);
    expect(createBlobStore({ dataDir, mongodbUrl: ' ' })).toBeInstanceOf(FileBlobStore);
  });

  it('uses GridFS when MONGODB_URL is set, connecting only on first use', async () => {
    const store = createBlobStore({ dataDir, mongodbUrl: 'mongodb://127.0.0.1:9/asiointitili' });
    expect(store).toBeInstanceOf(GridFsBlobStore);
    await store.close();
  });

  it('refuses a URL that is not a MongoDB connection string with an error naming MONGODB_URL', () => {
    expect(() => createBlobStore({ dataDir, mongodbUrl: 'file:///tmp/x' })).toThrow(/MONGODB_URL/);
  });
});
