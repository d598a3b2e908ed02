import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeFilter } from '../shared/filters';
import { totalOrder } from '../shared/keyset';
import { ACTIVE_SCOPE } from '../shared/scoped-read-store';
import { SqliteBackend } from './sqlite-backend';
import { READ_MODELS_FILE, SqliteReadStore } from './sqlite-read-store';

/** The inbox's shape: owner, a boolean flag, newest first. */
const INBOX_INDEX = { collection: 'items', fields: [{ field: 'owner', direction: 'asc' as const }, { field: 'flag', direction: 'asc' as const }, { field: 'sentAt', direction: 'desc' as const }] };

describe('SqliteReadStore query plans for boolean equalities', () => {
  let dataDir: string;
  let store: SqliteReadStore;
  let backend: SqliteBackend;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sqlite-plans-'));
    store = new SqliteReadStore({ dataDir });
    await store.ensureIndexes([INBOX_INDEX]);
    await store.write([
      { op: 'put', collection: 'items', doc: { id: 'a', owner: 'o', flag: true, sentAt: '2026-01-01' } },
      { op: 'put', collection: 'items', doc: { id: 'b', owner: 'o', flag: false, sentAt: '2026-01-02' } },
      { op: 'put', collection: 'items', doc: { id: 'c', owner: 'o', flag: 1, sentAt: '2026-01-03' } },
      { op: 'put', collection: 'items', doc: { id: 'd', owner: 'o', flag: true, sentAt: '2026-01-04' } },
    ]);
    backend = new SqliteBackend(join(dataDir, READ_MODELS_FILE));
  });
  afterEach(async () => {
    backend.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeks the index on a boolean field and keeps its order: no temporary sort however long the inbox', () => {
    const plan = backend.explainFind(ACTIVE_SCOPE, 'items', normalizeFilter({ owner: 'o', flag: true }), totalOrder([{ field: 'sentAt', direction: 'desc' }])).join('\n');
    expect(plan).toMatch(/USING INDEX "?g1_items__owner_asc__flag_asc__sentAt_desc__id_desc"? \(<expr>=\? AND <expr>=\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('still refuses the number 1 for true (and 0 for false)', async () => {
    const trues = await store.find('items', { where: { owner: 'o', flag: true }, orderBy: [{ field: 'sentAt', direction: 'desc' }], limit: 10 });
    expect(trues.items.map((doc) => doc.id)).toEqual(['d', 'a']);
    const falses = await store.find('items', { where: { owner: 'o', flag: false }, orderBy: [{ field: 'sentAt', direction: 'desc' }], limit: 10 });
    expect(falses.items.map((doc) => doc.id)).toEqual(['b']);
  });
});
