import Database from 'better-sqlite3';
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

/** The inbox items' shape: owner, newest first, read page by page. */
const COVERING_INDEX = { collection: 'lines', fields: [{ field: 'owner', direction: 'asc' as const }, { field: 'sentAt', direction: 'desc' as const }], covering: true };
const PLAIN_INDEX_NAME = 'g1_lines__owner_asc__sentAt_desc__id_desc';
const COVERING_INDEX_NAME = `${PLAIN_INDEX_NAME}__doc`;

describe('SqliteReadStore covering indexes', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sqlite-covering-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const lines = [
    { id: 'a', owner: 'o', sentAt: '2026-01-01', subject: 'first' },
    { id: 'b', owner: 'o', sentAt: '2026-01-03', subject: 'third' },
    { id: 'c', owner: 'p', sentAt: '2026-01-02', subject: 'other owner' },
    { id: 'd', owner: 'o', sentAt: '2026-01-02', subject: 'second' },
  ];
  const indexNames = (): string[] => {
    const db = new Database(join(dataDir, READ_MODELS_FILE), { readonly: true });
    try {
      return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'g1_lines' AND sql IS NOT NULL ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);
    } finally {
      db.close();
    }
  };

  it('reads a page of one owner from the index alone, in its order, never from the table', async () => {
    const store = new SqliteReadStore({ dataDir });
    await store.ensureIndexes([COVERING_INDEX]);
    await store.write(lines.map((doc) => ({ op: 'put' as const, collection: 'lines', doc })));
    const backend = new SqliteBackend(join(dataDir, READ_MODELS_FILE));
    try {
      const plan = backend.explainFind(ACTIVE_SCOPE, 'lines', normalizeFilter({ owner: 'o' }), totalOrder([{ field: 'sentAt', direction: 'desc' }])).join('\n');
      expect(plan).toMatch(new RegExp(`USING COVERING INDEX "?${COVERING_INDEX_NAME}"? \\(<expr>=\\?\\)`));
      expect(plan).not.toMatch(/TEMP B-TREE/);
    } finally {
      backend.close();
    }
    const first = await store.find('lines', { where: { owner: 'o' }, orderBy: [{ field: 'sentAt', direction: 'desc' }], limit: 2 });
    expect(first.items).toEqual([lines[1], lines[3]]);
    const second = await store.find('lines', { where: { owner: 'o' }, orderBy: [{ field: 'sentAt', direction: 'desc' }], limit: 2, cursor: first.next ?? undefined });
    expect(second).toEqual({ items: [lines[0]], next: null });
    await store.close();
  });

  it('replaces the plain index of a store indexed before the index covered, keeping its documents', async () => {
    const before = new SqliteReadStore({ dataDir });
    await before.ensureIndexes([{ ...COVERING_INDEX, covering: false }]);
    await before.write(lines.map((doc) => ({ op: 'put' as const, collection: 'lines', doc })));
    await before.close();
    expect(indexNames()).toEqual([PLAIN_INDEX_NAME]);

    const after = new SqliteReadStore({ dataDir });
    await after.ensureIndexes([COVERING_INDEX]);
    expect(indexNames()).toEqual([COVERING_INDEX_NAME]);
    const page = await after.find('lines', { where: { owner: 'o' }, orderBy: [{ field: 'sentAt', direction: 'desc' }], limit: 10 });
    expect(page.items.map((doc) => doc.id)).toEqual(['b', 'd', 'a']);
    await after.close();
  });
});
