import { MongoClient, type Db } from 'mongodb';
import { describeWithServer } from '../../../../test/support/server-suites';
import { testDatabaseName } from '../../../../test/support/ferretdb';
import { MongoReadStore } from './mongo-read-store';

describeWithServer('MONGODB_URL', 'MongoReadStore (MongoDB specifics)', (url) => {
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    client = new MongoClient(url);
    await client.connect();
  });

  beforeEach(() => {
    db = client.db(testDatabaseName('rsm'));
  });

  afterEach(async () => {
    await db.dropDatabase();
  });

  afterAll(async () => {
    await client?.close();
  });

  it('keeps the document id in _id only, and the checkpoint position as a decimal string', async () => {
    const store = new MongoReadStore({ db });
    await store.write([{ op: 'put', collection: 'items', doc: { id: 'a', n: 1 } }], { name: 'p', position: 2n ** 60n });
    expect(await db.collection('g1_items').findOne({ _id: 'a' as never })).toEqual({ _id: 'a', n: 1 });
    expect(await db.collection('g1__checkpoints').findOne({ _id: 'p' as never })).toEqual({ _id: 'p', position: (2n ** 60n).toString() });
  });

  it('creates the registered indexes with id appended to non-unique ones and unique ones as asked', async () => {
    const store = new MongoReadStore({ db });
    await store.ensureIndexes([
      { collection: 'items', fields: [{ field: 'owner', direction: 'asc' }, { field: 'sentAt', direction: 'desc' }] },
      { collection: 'items', fields: [{ field: 'email', direction: 'asc' }], unique: true },
    ]);
    const indexes = await db.collection('g1_items').listIndexes().toArray();
    const byName = new Map(indexes.map((index) => [index.name as string, index]));
    expect(byName.get('owner_asc__sentAt_desc__id_desc')?.key).toEqual({ owner: 1, sentAt: -1, _id: -1 });
    expect(byName.get('email_asc__unique')?.key).toEqual({ email: 1 });
    expect(byName.get('email_asc__unique')?.unique).toBe(true);
  });

  it('lets another process follow an activation once its generation cache expires', async () => {
    const cacheMs = 150;
    const writer = new MongoReadStore({ db, generationCacheMs: cacheMs });
    const reader = new MongoReadStore({ db, generationCacheMs: cacheMs });
    await writer.write([{ op: 'put', collection: 'items', doc: { id: 'old' } }]);
    expect(await reader.get('items', 'old')).toEqual({ id: 'old' });

    const next = await writer.beginGeneration();
    await next.store.write([{ op: 'put', collection: 'items', doc: { id: 'new' } }]);
    const started = Date.now();
    await next.activate();
    // activate() waits out the other processes' cache before dropping the old collections.
    expect(Date.now() - started).toBeGreaterThanOrEqual(cacheMs);

    expect(await reader.get('items', 'new')).toEqual({ id: 'new' });
    expect(await reader.get('items', 'old')).toBeNull();
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((entry) => entry.name);
    expect(names.filter((name) => name.startsWith('g1_'))).toEqual([]);
  });

  it('refuses to activate a generation older than the active one', async () => {
    const store = new MongoReadStore({ db, generationCacheMs: 10 });
    const older = await store.beginGeneration();
    const newer = await store.beginGeneration();
    await newer.activate();
    await expect(older.activate()).rejects.toThrow(/cannot be activated/);
  });
});
