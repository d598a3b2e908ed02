import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadStore } from './create-read-store';
import { SqliteReadStore } from './embedded/sqlite-read-store';
import { MongoReadStore } from './mongo/mongo-read-store';

describe('createReadStore', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'create-read-store-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('uses the embedded SQLite store when MONGODB_URL is unset or blank', async () => {
    for (const mongodbUrl of [undefined, '', '   ']) {
      const store = createReadStore({ dataDir, mongodbUrl });
      expect(store).toBeInstanceOf(SqliteReadStore);
      await store.close();
    }
  });

  it('uses MongoDB when MONGODB_URL is set, connecting only on first use', async () => {
    const store = createReadStore({ dataDir, mongodbUrl: 'mongodb://127.0.0.1:9/asiointitili' });
    expect(store).toBeInstanceOf(MongoReadStore);
    await store.close();
  });

  it('refuses a URL that is not a MongoDB connection string with an error naming MONGODB_URL', () => {
    expect(() => createReadStore({ dataDir, mongodbUrl: 'mysql://localhost/db' })).toThrow(/MONGODB_URL/);
    expect(() => createReadStore({ dataDir, mongodbUrl: 'mongodb://host:99999999/db' })).toThrow(/MONGODB_URL/);
  });
});
