import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeFilter } from '../shared/filters';
import { totalOrder } from '../shared/keyset';
import { ACTIVE_SCOPE } from '../shared/scoped-read-store';
import { SqliteBackend } from './sqlite-backend';
import { READ_MODELS_FILE, SqliteReadStore } from './sqlite-read-store';

describe('SqliteReadStore (embedded specifics)', () => {
  let dataDir: string;
  const opened: Array<{ close(): unknown }> = [];
  const open = () => {
    const store = new SqliteReadStore({ dataDir });
    opened.push(store);
    return store;
  };
  const inspect = () => {
    const backend = new SqliteBackend(join(dataDir, READ_MODELS_FILE));
    opened.push(backend);
    return backend;
  };

  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'sqlite-read-store-')), 'nested', 'data');
  });

  afterEach(async () => {
    for (const item of opened.splice(0)) await item.close();
    rmSync(join(dataDir, '..', '..'), { recursive: true, force: true });
  });

  it('writes long runs of puts in multi-row statements with the outcome of one write per operation, in order', async () => {
    const store = open();
    const docs = Array.from({ length: 150 }, (_, index) => ({ id: `d${index}`, n: index }));
    await store.write([
      ...docs.slice(0, 100).map((doc) => ({ op: 'put' as const, collection: 'items', doc })),
      { op: 'delete', collection: 'items', id: 'd5' },
      { op: 'put', collection: 'other', doc: { id: 'o1' } },
      ...docs.slice(100).map((doc) => ({ op: 'put' as const, collection: 'items', doc })),
      { op: 'put', collection: 'items', doc: { id: 'd7', n: -7 } },
      { op: 'put', collection: 'items', doc: { id: 'd5', n: -5 } },
      { op: 'delete', collection: 'items', id: 'd9' },
    ]);
    expect(await store.count('items')).toBe(149);
    expect(await store.get('items', 'd5')).toEqual({ id: 'd5', n: -5 });
    expect(await store.get('items', 'd7')).toEqual({ id: 'd7', n: -7 });
    expect(await store.get('items', 'd9')).toBeNull();
    expect(await store.get('items', 'd149')).toEqual({ id: 'd149', n: 149 });
    expect(await store.get('other', 'o1')).toEqual({ id: 'o1' });
  });

  it('keeps synchronous NORMAL while a generation is built, and the page cache back at its default after the swap', async () => {
    const store = open();
    // The settings are the connection's: look at the store's own backend.
    const backend = (store as unknown as { backend: SqliteBackend }).backend;
    const connectionCache = () => (backend as unknown as { db: { pragma(sql: string, options: object): unknown } }).db.pragma('cache_size', { simple: true });
    const defaultCache = connectionCache();
    const generation = await store.beginGeneration();
    expect(backend.settings().synchronous).toBe(1);
    expect(connectionCache()).not.toEqual(defaultCache);
    await generation.store.write([{ op: 'put', collection: 'items', doc: { id: 'a' } }]);
    await generation.activate();
    expect(connectionCache()).toEqual(defaultCache);
  });

  it('keeps its data in <dataDir>/read-models.sqlite, creating the directory, in WAL mode with synchronous NORMAL', async () => {
    const store = open();
    await store.write([{ op: 'put', collection: 'items', doc: { id: 'a' } }]);
    expect(existsSync(join(dataDir, READ_MODELS_FILE))).toBe(true);
    // synchronous is per connection: a fresh backend shows what every connection is given (1 = NORMAL).
    expect(inspect().settings()).toEqual({ journalMode: 'wal', synchronous: 1 });
  });

  it('survives a restart: a store reopened on the same directory sees documents and checkpoints', async () => {
    const first = open();
    await first.write([{ op: 'put', collection: 'items', doc: { id: 'a', n: 1 } }], { name: 'p', position: 9n });
    await first.close();
    const second = open();
    expect(await second.get('items', 'a')).toEqual({ id: 'a', n: 1 });
    expect(await second.checkpoint('p')).toBe(9n);
  });

  it('creates a table on the first write, one per collection and generation, and never on a read', async () => {
    const store = open();
    await store.get('items', 'a');
    await store.find('items', { orderBy: [], limit: 1 });
    expect(inspect().tableNames()).toEqual(['leases', 'meta']);
    await store.write([{ op: 'put', collection: 'items', doc: { id: 'a' } }], { name: 'p', position: 1n });
    expect(inspect().tableNames()).toEqual(['g1__checkpoints', 'g1_items', 'leases', 'meta']);
  });

  it('answers finds on indexed fields from the json_extract expression index', async () => {
    const store = open();
    await store.ensureIndexes([{ collection: 'items', fields: [{ field: 'owner', direction: 'asc' }, { field: 'sentAt', direction: 'desc' }] }]);
    await store.write(Array.from({ length: 50 }, (_, index) => ({ op: 'put' as const, collection: 'items', doc: { id: `d${index}`, owner: `o${index % 5}`, sentAt: `2025-01-${index}` } })));
    const plan = inspect().explainFind(ACTIVE_SCOPE, 'items', normalizeFilter({ owner: 'o1' }), totalOrder([{ field: 'sentAt', direction: 'desc' }]));
    expect(plan.join('\n')).toMatch(/USING INDEX "?g1_items__owner_asc__sentAt_desc__id_desc"?/);
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
  });

  it('reuses prepared statements: repeating a query shape adds nothing to the cache', async () => {
    open();
    const backend = inspect();
    const query = () => backend.find(ACTIVE_SCOPE, 'items', normalizeFilter({ owner: 'x' }), totalOrder([]), null, 5);
    backend.write(ACTIVE_SCOPE, [{ op: 'put', collection: 'items', doc: { id: 'a', owner: 'x' } }], undefined);
    query();
    const afterFirst = backend.cachedStatements;
    for (let round = 0; round < 20; round++) query();
    expect(backend.cachedStatements).toBe(afterFirst);
  });

  it('lets a second process-like connection follow an activation made by the first', async () => {
    const writer = open();
    const reader = open();
    await writer.write([{ op: 'put', collection: 'items', doc: { id: 'old' } }]);
    expect(await reader.get('items', 'old')).toEqual({ id: 'old' });

    const next = await writer.beginGeneration();
    await next.store.write([{ op: 'put', collection: 'items', doc: { id: 'new' } }]);
    expect(await reader.get('items', 'new')).toBeNull();
    await next.activate();

    expect(await reader.get('items', 'new')).toEqual({ id: 'new' });
    expect(await reader.get('items', 'old')).toBeNull();
    await reader.write([{ op: 'put', collection: 'items', doc: { id: 'from-reader' } }]);
    expect(await next.store.get('items', 'from-reader')).toEqual({ id: 'from-reader' });
    expect(inspect().tableNames().filter((name) => name.startsWith('g1_'))).toEqual([]);
  });

  it('drops abandoned older generations too when a newer one is activated', async () => {
    const store = open();
    const abandoned = await store.beginGeneration();
    await abandoned.store.write([{ op: 'put', collection: 'items', doc: { id: 'x' } }]);
    const rebuilt = await store.beginGeneration();
    await rebuilt.store.write([{ op: 'put', collection: 'items', doc: { id: 'y' } }]);
    await rebuilt.activate();
    expect(inspect().tableNames()).toEqual(['g3_items', 'leases', 'meta']);
    await expect(abandoned.activate()).rejects.toThrow(/not newer/);
  });

  it('answers ping until closed, and a generation view does not close the shared connection', async () => {
    const store = open();
    const next = await store.beginGeneration();
    await next.store.close();
    expect(await store.ping()).toBe(true);
    await store.close();
    expect(await store.ping()).toBe(false);
  });
});
