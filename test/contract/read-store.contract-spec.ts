import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { MongoClient } from 'mongodb';
import { FencedOffError, InvalidCursorError, type Doc, type ReadStore, type Scalar, type SortKey } from '@asiointitili/core';
import { DuplicateKeyError, InvalidDocumentError, MongoReadStore, SqliteReadStore } from '@asiointitili/read-store';
import { SqliteBackend } from '../../libs/read-store/src/embedded/sqlite-backend';
import { READ_MODELS_FILE } from '../../libs/read-store/src/embedded/sqlite-read-store';
import { testDatabaseName } from '../support/ferretdb';
import { describeWithServer } from '../support/server-suites';

/**
 * One behaviour, every adapter: the embedded SQLite store always, MongoDB (or FerretDB) when
 * MONGODB_URL is set. Every test gets a store of its own (a fresh directory or database), because
 * activating a generation drops everything older in the whole store.
 */
export interface ReadStoreFixture {
  readonly store: ReadStore;
  /** Physical table/collection names, to see that a replaced generation is really gone. */
  physicalNames(): Promise<string[]>;
  /** Closes the store and removes its directory or database. */
  dispose(): Promise<void>;
}

interface Item extends Doc {
  readonly kind?: string;
  readonly rank?: number | null;
  readonly label?: string | null;
  readonly flag?: boolean;
}

const ITEMS = 'items';

export function readStoreContract(adapterName: string, createFixture: () => Promise<ReadStoreFixture>): void {
  describe(`read store contract [${adapterName}]`, () => {
    let fixture: ReadStoreFixture;
    let store: ReadStore;

    beforeEach(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture?.dispose();
    });

    const put = (collection: string, ...docs: Doc[]) => store.write(docs.map((doc) => ({ op: 'put' as const, collection, doc })));
    const ids = (docs: readonly Doc[]) => docs.map((doc) => doc.id);

    /** Every page of a query, following `next` until it is null. */
    async function allPages(orderBy: readonly SortKey[], limit: number, where?: Readonly<Record<string, Scalar>>): Promise<{ pages: Doc[][]; items: Doc[] }> {
      const pages: Doc[][] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Doc[]; next: string | null } = await store.find(ITEMS, { orderBy, limit, cursor, where });
        pages.push(page.items);
        cursor = page.next;
        if (pages.length > 1000) throw new Error('pagination does not end');
      } while (cursor !== null);
      return { pages, items: pages.flat() };
    }

    describe('documents', () => {
      it(`[${adapterName}] returns a put document by id, and null for an unknown id or a collection never written`, async () => {
        await put(ITEMS, { id: 'a', kind: 'x', rank: 1 });
        expect(await store.get(ITEMS, 'a')).toEqual({ id: 'a', kind: 'x', rank: 1 });
        expect(await store.get(ITEMS, 'missing')).toBeNull();
        expect(await store.get('never_written', 'a')).toBeNull();
      });

      it(`[${adapterName}] replaces the whole document on a second put (no merge)`, async () => {
        await put(ITEMS, { id: 'a', kind: 'x', rank: 1 });
        await put(ITEMS, { id: 'a', label: 'only this' });
        expect(await store.get(ITEMS, 'a')).toEqual({ id: 'a', label: 'only this' });
      });

      it(`[${adapterName}] deletes a document, and deleting an unknown id changes nothing`, async () => {
        await put(ITEMS, { id: 'a' }, { id: 'b' });
        await store.write([{ op: 'delete', collection: ITEMS, id: 'a' }, { op: 'delete', collection: ITEMS, id: 'nope' }]);
        expect(await store.get(ITEMS, 'a')).toBeNull();
        expect(await store.get(ITEMS, 'b')).toEqual({ id: 'b' });
      });

      it(`[${adapterName}] applies a put and a delete of the same id in batch order`, async () => {
        await store.write([
          { op: 'put', collection: ITEMS, doc: { id: 'a', rank: 1 } },
          { op: 'delete', collection: ITEMS, id: 'a' },
          { op: 'put', collection: ITEMS, doc: { id: 'b', rank: 1 } },
          { op: 'put', collection: ITEMS, doc: { id: 'b', rank: 2 } },
        ]);
        expect(await store.get(ITEMS, 'a')).toBeNull();
        expect(await store.get(ITEMS, 'b')).toEqual({ id: 'b', rank: 2 });
      });

      it(`[${adapterName}] getMany returns found documents in the order asked, leaving out missing ids and repeating none`, async () => {
        await put(ITEMS, { id: 'a' }, { id: 'b' }, { id: 'c' });
        expect(ids(await store.getMany(ITEMS, ['c', 'missing', 'a', 'c']))).toEqual(['c', 'a']);
        expect(await store.getMany(ITEMS, [])).toEqual([]);
        expect(await store.getMany('never_written', ['a'])).toEqual([]);
      });

      it(`[${adapterName}] round-trips nested objects, arrays, unicode, numbers and booleans unchanged`, async () => {
        const doc = {
          id: 'nested',
          title: 'Päätös – 決定 😀',
          amount: -12.5,
          big: 2 ** 53 - 1,
          yes: true,
          no: false,
          nothing: null,
          tags: ['a', 'b', ''],
          empty: {},
          emptyList: [],
          attachments: [{ id: 'att-1', size: 10, meta: { pages: [1, 2, 3], ok: true } }],
          deep: { level1: { level2: { level3: ['x', { y: null }] } } },
        };
        await put(ITEMS, doc);
        expect(await store.get(ITEMS, 'nested')).toEqual(doc);
      });

      it(`[${adapterName}] leaves out members that are undefined, as JSON does`, async () => {
        await put(ITEMS, { id: 'u', kept: 1, dropped: undefined });
        const stored = await store.get<Doc>(ITEMS, 'u');
        expect(stored).toEqual({ id: 'u', kept: 1 });
        expect(stored && 'dropped' in stored).toBe(false);
      });

      it(`[${adapterName}] refuses a field name beginning with "$", at any depth, and writes nothing of that batch`, async () => {
        const attempts: Doc[] = [{ id: 'bad1', $set: 1 }, { id: 'bad2', nested: { $where: 'x' } }, { id: 'bad3', list: [{ $gt: 1 }] }];
        for (const bad of attempts) {
          await expect(store.write([{ op: 'put', collection: ITEMS, doc: { id: 'ok' } }, { op: 'put', collection: ITEMS, doc: bad }])).rejects.toBeInstanceOf(InvalidDocumentError);
        }
        expect(await store.get(ITEMS, 'ok')).toBeNull();
        expect(await store.count(ITEMS)).toBe(0);
      });

      it(`[${adapterName}] refuses dotted field names, a top-level _id, a missing id and values that are not JSON`, async () => {
        const attempts: unknown[] = [
          { id: 'dot', 'a.b': 1 },
          { id: 'under', _id: 'x' },
          { rank: 1 },
          { id: '' },
          { id: 'date', at: new Date(0) },
          { id: 'nan', n: Number.NaN },
          { id: 'inf', n: Number.POSITIVE_INFINITY },
          { id: 'big', n: 1n },
        ];
        for (const bad of attempts) {
          await expect(store.write([{ op: 'put', collection: ITEMS, doc: bad as Doc }])).rejects.toBeInstanceOf(InvalidDocumentError);
        }
        expect(await store.count(ITEMS)).toBe(0);
      });

      it(`[${adapterName}] refuses collection names that are not plain identifiers`, async () => {
        for (const name of ['', '_hidden', 'a.b', 'a b', '$x', '../x', 'x"; DROP TABLE meta; --']) {
          await expect(store.get(name, 'a')).rejects.toThrow(/collection name/);
        }
      });
    });

    describe('find', () => {
      const seedBasic = () =>
        put(
          ITEMS,
          { id: 'i1', kind: 'letter', rank: 3, flag: true, label: 'c' },
          { id: 'i2', kind: 'letter', rank: 1, flag: false, label: 'a' },
          { id: 'i3', kind: 'parcel', rank: 2, flag: true, label: 'b' },
          { id: 'i4', kind: 'parcel', rank: 1, flag: true, label: null },
          { id: 'i5', kind: 'notice' },
        );

      it(`[${adapterName}] filters by equality on several fields at once`, async () => {
        await seedBasic();
        const page = await store.find<Item>(ITEMS, { where: { kind: 'parcel', flag: true, rank: 2 }, orderBy: [], limit: 10 });
        expect(ids(page.items)).toEqual(['i3']);
      });

      it(`[${adapterName}] matches booleans strictly and null against null or missing fields`, async () => {
        await seedBasic();
        await put(ITEMS, { id: 'i6', kind: 'odd', flag: 1 as unknown as boolean });
        expect(ids((await store.find(ITEMS, { where: { flag: true }, orderBy: [], limit: 10 })).items)).toEqual(['i1', 'i3', 'i4']);
        expect(ids((await store.find(ITEMS, { where: { flag: false }, orderBy: [], limit: 10 })).items)).toEqual(['i2']);
        expect(ids((await store.find(ITEMS, { where: { label: null }, orderBy: [], limit: 10 })).items)).toEqual(['i4', 'i5', 'i6']);
        expect(ids((await store.find(ITEMS, { where: { id: 'i2' }, orderBy: [], limit: 10 })).items)).toEqual(['i2']);
      });

      it(`[${adapterName}] filters with whereIn, alone, with null, with where, and matches nothing for an empty list`, async () => {
        await seedBasic();
        const find = (query: Parameters<ReadStore['find']>[1]) => store.find(ITEMS, query).then((page) => ids(page.items));
        expect(await find({ whereIn: { field: 'kind', values: ['letter', 'notice'] }, orderBy: [], limit: 10 })).toEqual(['i1', 'i2', 'i5']);
        expect(await find({ whereIn: { field: 'label', values: ['a', null] }, orderBy: [], limit: 10 })).toEqual(['i2', 'i4', 'i5']);
        expect(await find({ whereIn: { field: 'rank', values: [1, 99] }, where: { kind: 'parcel' }, orderBy: [], limit: 10 })).toEqual(['i4']);
        expect(await find({ whereIn: { field: 'id', values: ['i5', 'i1', 'zz'] }, orderBy: [], limit: 10 })).toEqual(['i1', 'i5']);
        expect(await find({ whereIn: { field: 'kind', values: [] }, orderBy: [], limit: 10 })).toEqual([]);
      });

      it(`[${adapterName}] orders ascending and descending with null and missing values lowest, ties broken by id`, async () => {
        await seedBasic();
        const asc = await store.find(ITEMS, { orderBy: [{ field: 'rank', direction: 'asc' }], limit: 10 });
        expect(ids(asc.items)).toEqual(['i5', 'i2', 'i4', 'i3', 'i1']);
        const desc = await store.find(ITEMS, { orderBy: [{ field: 'rank', direction: 'desc' }], limit: 10 });
        expect(ids(desc.items)).toEqual(['i1', 'i3', 'i4', 'i2', 'i5']);
      });

      it(`[${adapterName}] orders by several keys in mixed directions`, async () => {
        await seedBasic();
        const page = await store.find(ITEMS, {
          orderBy: [
            { field: 'kind', direction: 'asc' },
            { field: 'rank', direction: 'desc' },
          ],
          limit: 10,
        });
        expect(ids(page.items)).toEqual(['i1', 'i2', 'i5', 'i3', 'i4']);
      });

      it(`[${adapterName}] orders strings by code point (byte-wise UTF-8), not by locale`, async () => {
        const labels = ['b', 'B', 'a', 'ä', 'z', '€', '😀', 'Z', ''];
        await put(ITEMS, ...labels.map((label, index) => ({ id: `s${index}`, label })));
        const page = await store.find<Item>(ITEMS, { orderBy: [{ field: 'label', direction: 'asc' }], limit: 20 });
        const expected = [...labels].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
        expect(page.items.map((item) => item.label)).toEqual(expected);
      });

      it(`[${adapterName}] gives limit 1 one item and a cursor, an exact limit all items and no cursor, a larger limit the same`, async () => {
        await seedBasic();
        const orderBy: SortKey[] = [{ field: 'id', direction: 'asc' }];
        const one = await store.find(ITEMS, { orderBy, limit: 1 });
        expect(ids(one.items)).toEqual(['i1']);
        expect(one.next).not.toBeNull();
        const exact = await store.find(ITEMS, { orderBy, limit: 5 });
        expect(ids(exact.items)).toEqual(['i1', 'i2', 'i3', 'i4', 'i5']);
        expect(exact.next).toBeNull();
        const over = await store.find(ITEMS, { orderBy, limit: 500 });
        expect(ids(over.items)).toEqual(['i1', 'i2', 'i3', 'i4', 'i5']);
        expect(over.next).toBeNull();
      });

      it(`[${adapterName}] refuses a limit below 1 or not an integer`, async () => {
        for (const limit of [0, -1, 1.5, Number.NaN]) {
          await expect(store.find(ITEMS, { orderBy: [], limit })).rejects.toBeInstanceOf(RangeError);
        }
      });

      it(`[${adapterName}] returns an empty last page for an empty or never-written collection`, async () => {
        expect(await store.find('never_written', { orderBy: [], limit: 5 })).toEqual({ items: [], next: null });
      });

      it(`[${adapterName}] pages through items sharing sort values with no duplicates or gaps, ascending and descending`, async () => {
        // 23 items over 3 ranks (and some without a rank): most neighbours tie on the sort key.
        const docs = Array.from({ length: 23 }, (_, index) => ({ id: `p${String(index).padStart(2, '0')}`, rank: index % 4 === 3 ? null : index % 3, kind: index % 2 ? 'odd' : 'even' }));
        await put(ITEMS, ...docs.reverse());
        for (const direction of ['asc', 'desc'] as const) {
          const orderBy: SortKey[] = [{ field: 'rank', direction }];
          const full = await store.find(ITEMS, { orderBy, limit: 100 });
          expect(full.items).toHaveLength(23);
          for (const limit of [1, 2, 4, 7, 22, 23]) {
            const { pages, items } = await allPages(orderBy, limit);
            expect(ids(items)).toEqual(ids(full.items));
            expect(new Set(ids(items)).size).toBe(23);
            expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
          }
        }
      });

      it(`[${adapterName}] pages through a multi-key order with a filter`, async () => {
        const docs = Array.from({ length: 30 }, (_, index) => ({ id: `m${index}`, kind: ['a', 'b'][index % 2], label: ['x', 'y', null][index % 3], rank: index % 5 }));
        await put(ITEMS, ...docs);
        const orderBy: SortKey[] = [
          { field: 'label', direction: 'desc' },
          { field: 'rank', direction: 'asc' },
        ];
        const full = await store.find(ITEMS, { where: { kind: 'a' }, orderBy, limit: 100 });
        expect(full.items).toHaveLength(15);
        const { items } = await allPages(orderBy, 4, { kind: 'a' });
        expect(ids(items)).toEqual(ids(full.items));
      });

      it(`[${adapterName}] keeps a cursor stable when items are inserted before and after it`, async () => {
        await put(ITEMS, ...Array.from({ length: 6 }, (_, index) => ({ id: `k${index}`, rank: index })));
        const orderBy: SortKey[] = [{ field: 'rank', direction: 'asc' }];
        const first = await store.find(ITEMS, { orderBy, limit: 3 });
        expect(ids(first.items)).toEqual(['k0', 'k1', 'k2']);
        await put(ITEMS, { id: 'early', rank: 0 }, { id: 'late', rank: 10 });
        await store.write([{ op: 'delete', collection: ITEMS, id: 'k2' }]);
        const second = await store.find(ITEMS, { orderBy, limit: 3, cursor: first.next });
        expect(ids(second.items)).toEqual(['k3', 'k4', 'k5']);
        const third = await store.find(ITEMS, { orderBy, limit: 3, cursor: second.next });
        expect(ids(third.items)).toEqual(['late']);
        expect(third.next).toBeNull();
      });

      it(`[${adapterName}] resumes strictly after given sort values (after), with a filter, and refuses after together with a cursor`, async () => {
        await put(ITEMS, ...Array.from({ length: 6 }, (_, index) => ({ id: `p${index}`, seq: `0${index}`, owner: index % 2 === 0 ? 'a' : 'b' })));
        const orderBy: SortKey[] = [{ field: 'seq', direction: 'asc' }];
        const page = await store.find(ITEMS, { where: { owner: 'a' }, orderBy, limit: 10, after: ['00', 'p0'] });
        expect(ids(page.items)).toEqual(['p2', 'p4']);
        const fromBetween = await store.find(ITEMS, { orderBy, limit: 2, after: ['02', 'p2'] });
        expect(ids(fromBetween.items)).toEqual(['p3', 'p4']);
        const past = await store.find(ITEMS, { orderBy, limit: 2, after: ['05', 'p5'] });
        expect(past.items).toEqual([]);
        expect(past.next).toBeNull();
        await expect(store.find(ITEMS, { orderBy, limit: 2, after: ['00'] })).rejects.toThrow(TypeError);
        await expect(store.find(ITEMS, { orderBy, limit: 2, after: ['00', 'p0'], cursor: page.next ?? 'x' })).rejects.toThrow(TypeError);
      });

      it(`[${adapterName}] pages any mix of values, nulls and ties exactly like one big sorted read (property)`, async () => {
        const alphabet = ['a', 'b', 'B', 'ä', '😀'];
        const docArb = fc.record({
          rank: fc.option(fc.integer({ min: -2, max: 2 }), { nil: null }),
          label: fc.option(fc.constantFrom(...alphabet), { nil: undefined }),
        });
        let round = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.array(docArb, { minLength: 0, maxLength: 25 }),
            fc.constantFrom<SortKey['direction']>('asc', 'desc'),
            fc.constantFrom<SortKey['direction']>('asc', 'desc'),
            fc.integer({ min: 1, max: 6 }),
            async (generated, rankDirection, labelDirection, limit) => {
              const collection = `prop${++round}`;
              const docs = generated.map((fields, index) => ({ id: `d${index}`, ...fields }));
              if (docs.length > 0) await put(collection, ...docs);
              const orderBy: SortKey[] = [
                { field: 'rank', direction: rankDirection },
                { field: 'label', direction: labelDirection },
              ];
              const seen: Doc[] = [];
              let cursor: string | null = null;
              do {
                const page: { items: Doc[]; next: string | null } = await store.find(collection, { orderBy, limit, cursor });
                seen.push(...page.items);
                cursor = page.next;
              } while (cursor !== null);
              expect(ids(seen)).toEqual(ids(referenceSort(docs, orderBy)));
            },
          ),
          { numRuns: 25 },
        );
      });

      it(`[${adapterName}] refuses garbage, foreign and tampered cursors with InvalidCursorError`, async () => {
        await put(ITEMS, { id: 'a', rank: 1 }, { id: 'b', rank: 2 }, { id: 'c', rank: 3 });
        await put('others', { id: 'a', rank: 1 }, { id: 'b', rank: 2 });
        const orderBy: SortKey[] = [{ field: 'rank', direction: 'asc' }];
        const { next } = await store.find(ITEMS, { orderBy, limit: 1 });
        expect(next).not.toBeNull();
        const cursor = next as string;
        const refused = (query: Parameters<ReadStore['find']>[1], collection = ITEMS) => expect(store.find(collection, query)).rejects.toBeInstanceOf(InvalidCursorError);

        await refused({ orderBy, limit: 1, cursor: 'not-a-cursor' });
        await refused({ orderBy, limit: 1, cursor: '' });
        await refused({ orderBy, limit: 1, cursor: '!!!' });
        await refused({ orderBy, limit: 1, cursor: 'x'.repeat(5000) });
        await refused({ orderBy, limit: 1, cursor: Buffer.from('{"v":1}').toString('base64url') });
        await refused({ orderBy, limit: 1, cursor }, 'others');
        await refused({ orderBy: [{ field: 'rank', direction: 'desc' }], limit: 1, cursor });
        await refused({ orderBy: [{ field: 'label', direction: 'asc' }], limit: 1, cursor });

        // Edit the values but keep the checksum: the checksum covers the values.
        const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k: unknown[] };
        payload.k = [0, 'a'];
        await refused({ orderBy, limit: 1, cursor: Buffer.from(JSON.stringify(payload)).toString('base64url') });

        // The untouched cursor still works.
        expect(ids((await store.find(ITEMS, { orderBy, limit: 5, cursor })).items)).toEqual(['b', 'c']);
      });

      it(`[${adapterName}] refuses sort and filter fields that are not top-level identifiers`, async () => {
        await expect(store.find(ITEMS, { orderBy: [{ field: 'a.b', direction: 'asc' }], limit: 1 })).rejects.toThrow(/field name/);
        await expect(store.find(ITEMS, { where: { "x') OR 1=1 --": 1 }, orderBy: [], limit: 1 })).rejects.toThrow(/field name/);
        await expect(store.find(ITEMS, { where: { $where: 1 }, orderBy: [], limit: 1 })).rejects.toThrow(/field name/);
      });

      it(`[${adapterName}] counts all documents or those matching a filter`, async () => {
        await seedBasic();
        expect(await store.count(ITEMS)).toBe(5);
        expect(await store.count(ITEMS, { kind: 'parcel' })).toBe(2);
        expect(await store.count(ITEMS, { kind: 'parcel', rank: 1 })).toBe(1);
        expect(await store.count(ITEMS, { label: null })).toBe(2);
        expect(await store.count('never_written')).toBe(0);
      });
    });

    describe('indexes', () => {
      const uniqueEmail = { collection: 'accounts', fields: [{ field: 'email', direction: 'asc' as const }], unique: true };

      it(`[${adapterName}] creates indexes idempotently`, async () => {
        await store.ensureIndexes([uniqueEmail, { collection: ITEMS, fields: [{ field: 'kind', direction: 'asc' }, { field: 'rank', direction: 'desc' }] }]);
        await store.ensureIndexes([uniqueEmail, { collection: ITEMS, fields: [{ field: 'kind', direction: 'asc' }, { field: 'rank', direction: 'desc' }] }]);
        await put(ITEMS, { id: 'a', kind: 'x', rank: 1 }, { id: 'b', kind: 'x', rank: 1 });
        expect(await store.count(ITEMS, { kind: 'x' })).toBe(2);
      });

      it(`[${adapterName}] rejects a write that breaks a unique index with DuplicateKeyError, storing neither the clash nor the checkpoint`, async () => {
        await store.ensureIndexes([uniqueEmail]);
        await put('accounts', { id: 'a1', email: 'x@example.fi' });
        await expect(
          store.write([{ op: 'put', collection: 'accounts', doc: { id: 'a2', email: 'x@example.fi' } }], { name: 'accounts', position: 7n }),
        ).rejects.toBeInstanceOf(DuplicateKeyError);
        expect(await store.get('accounts', 'a2')).toBeNull();
        expect(await store.checkpoint('accounts')).toBeNull();
        // Updating the holder of the value itself is no clash.
        await put('accounts', { id: 'a1', email: 'x@example.fi', name: 'renamed' });
        expect(await store.get('accounts', 'a1')).toEqual({ id: 'a1', email: 'x@example.fi', name: 'renamed' });
      });

      it(`[${adapterName}] refuses to create a unique index over existing duplicates with DuplicateKeyError`, async () => {
        await put('accounts', { id: 'a1', email: 'same' }, { id: 'a2', email: 'same' });
        await expect(store.ensureIndexes([uniqueEmail])).rejects.toBeInstanceOf(DuplicateKeyError);
      });
    });

    describe('batches and checkpoints', () => {
      it(`[${adapterName}] writes a batch across collections with its checkpoint`, async () => {
        await store.write(
          [
            { op: 'put', collection: ITEMS, doc: { id: 'a' } },
            { op: 'put', collection: 'others', doc: { id: 'b' } },
            { op: 'delete', collection: ITEMS, id: 'zz' },
          ],
          { name: 'main', position: 42n },
        );
        expect(await store.get(ITEMS, 'a')).toEqual({ id: 'a' });
        expect(await store.get('others', 'b')).toEqual({ id: 'b' });
        expect(await store.checkpoint('main')).toBe(42n);
        expect(await store.checkpoint('unknown')).toBeNull();
      });

      it(`[${adapterName}] stores a checkpoint alone, overwrites it, and keeps names apart`, async () => {
        await store.write([], { name: 'one', position: 1n });
        await store.write([], { name: 'two', position: 2n });
        await store.write([], { name: 'one', position: 10n });
        expect(await store.checkpoint('one')).toBe(10n);
        expect(await store.checkpoint('two')).toBe(2n);
      });

      it(`[${adapterName}] round-trips checkpoint positions beyond 2^53 exactly`, async () => {
        for (const position of [0n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 64n + 12345n]) {
          await store.write([], { name: 'big', position });
          expect(await store.checkpoint('big')).toBe(position);
        }
      });

      it(`[${adapterName}] refuses a negative or non-bigint checkpoint position`, async () => {
        await expect(store.write([], { name: 'neg', position: -1n })).rejects.toBeInstanceOf(RangeError);
        await expect(store.write([], { name: 'num', position: 5 as unknown as bigint })).rejects.toBeInstanceOf(TypeError);
        expect(await store.checkpoint('neg')).toBeNull();
      });
    });

    describe('generations (rebuild)', () => {
      it(`[${adapterName}] keeps a new generation invisible until activated, then serves it and drops the old one`, async () => {
        await store.ensureIndexes([{ collection: ITEMS, fields: [{ field: 'kind', direction: 'asc' }], unique: true }]);
        await store.write([{ op: 'put', collection: ITEMS, doc: { id: 'old', kind: 'o' } }], { name: 'proj', position: 100n });
        const before = await fixture.physicalNames();

        const next = await store.beginGeneration();
        expect(next.generation).toBeGreaterThan(1);
        await next.store.write([{ op: 'put', collection: ITEMS, doc: { id: 'new', kind: 'n' } }], { name: 'proj', position: 5n });

        // Invisible to the main store; the generation sees only its own documents and checkpoint.
        expect(await store.get(ITEMS, 'new')).toBeNull();
        expect(await store.get(ITEMS, 'old')).toEqual({ id: 'old', kind: 'o' });
        expect(await store.checkpoint('proj')).toBe(100n);
        expect(await next.store.get(ITEMS, 'old')).toBeNull();
        expect(await next.store.checkpoint('proj')).toBe(5n);
        // The new generation has the registered unique index before anyone asked again.
        await expect(next.store.write([{ op: 'put', collection: ITEMS, doc: { id: 'dup', kind: 'n' } }])).rejects.toBeInstanceOf(DuplicateKeyError);

        await next.activate();
        expect(await store.get(ITEMS, 'new')).toEqual({ id: 'new', kind: 'n' });
        expect(await store.get(ITEMS, 'old')).toBeNull();
        expect(await store.checkpoint('proj')).toBe(5n);
        expect(ids((await store.find(ITEMS, { orderBy: [], limit: 10 })).items)).toEqual(['new']);

        const after = await fixture.physicalNames();
        for (const name of before.filter((physical) => physical.startsWith('g1_'))) expect(after).not.toContain(name);
        expect(after.some((name) => name.startsWith(`g${next.generation}_`))).toBe(true);

        // Writes through the main store now land in the activated generation.
        await put(ITEMS, { id: 'later', kind: 'l' });
        expect(await next.store.get(ITEMS, 'later')).toEqual({ id: 'later', kind: 'l' });
        await expect(next.activate()).rejects.toThrow(/already activated/);
        await expect(next.discard()).rejects.toThrow(/active/);
      });

      it(`[${adapterName}] discards a generation without touching the active one`, async () => {
        await put(ITEMS, { id: 'live' });
        const next = await store.beginGeneration();
        await next.store.write([{ op: 'put', collection: ITEMS, doc: { id: 'draft' } }], { name: 'proj', position: 1n });
        expect((await fixture.physicalNames()).some((name) => name.startsWith(`g${next.generation}_`))).toBe(true);

        await next.discard();
        expect((await fixture.physicalNames()).some((name) => name.startsWith(`g${next.generation}_`))).toBe(false);
        expect(await store.get(ITEMS, 'live')).toEqual({ id: 'live' });
        await expect(next.store.get(ITEMS, 'draft')).rejects.toThrow(/discarded/);
        await expect(next.activate()).rejects.toThrow(/discarded/);

        // A later rebuild gets a fresh number and starts empty.
        const again = await store.beginGeneration();
        expect(again.generation).toBeGreaterThan(next.generation);
        expect(await again.store.get(ITEMS, 'draft')).toBeNull();
        await again.discard();
      });

      it(`[${adapterName}] refuses to begin a generation from a generation's view`, async () => {
        const next = await store.beginGeneration();
        await expect(next.store.beginGeneration()).rejects.toThrow(/main read store/);
        await next.discard();
      });
    });

    describe('leases and fenced writes (the active worker of a fleet)', () => {
      const T0 = 1_800_000_000_000;
      const TTL = 5_000;

      it(`[${adapterName}] gives a free lease to the first claimant at epoch 1, renews it for its holder and refuses it to others until it expires`, async () => {
        expect(await store.claimLease('worker', 'a', TTL, T0)).toEqual({ name: 'worker', holder: 'a', epoch: 1, expiresAt: T0 + TTL });
        expect(await store.claimLease('worker', 'b', TTL, T0 + 1000)).toMatchObject({ holder: 'a', epoch: 1 });
        expect(await store.claimLease('worker', 'a', TTL, T0 + 2000)).toEqual({ name: 'worker', holder: 'a', epoch: 1, expiresAt: T0 + 2000 + TTL });
        expect(await store.claimLease('worker', 'b', TTL, T0 + 2000 + TTL - 1)).toMatchObject({ holder: 'a', epoch: 1 });
        // Expired: taken over at the next epoch, which is the fencing token.
        expect(await store.claimLease('worker', 'b', TTL, T0 + 2000 + TTL + 1)).toMatchObject({ holder: 'b', epoch: 2 });
        expect(await store.claimLease('worker', 'a', TTL, T0 + 2000 + TTL + 2)).toMatchObject({ holder: 'b', epoch: 2 });
      });

      it(`[${adapterName}] hands a released lease on at once, and a lease of a holder known dead before it expires`, async () => {
        await store.claimLease('worker', 'a', TTL, T0);
        await store.releaseLease('worker', 'a', 1);
        expect(await store.claimLease('worker', 'b', TTL, T0 + 1)).toMatchObject({ holder: 'b', epoch: 2 });
        expect(await store.claimLease('worker', 'c', TTL, T0 + 2, { takeOverFrom: 'b' })).toMatchObject({ holder: 'c', epoch: 3 });
        await store.releaseLease('worker', 'b', 2); // no longer b's: changes nothing
        expect(await store.claimLease('worker', 'd', TTL, T0 + 3)).toMatchObject({ holder: 'c', epoch: 3 });
      });

      it(`[${adapterName}] lets exactly one of many concurrent claimants have the lease`, async () => {
        const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => store.claimLease('worker', `w${i}`, TTL, T0)));
        const holders = new Set(claims.map((lease) => lease.holder));
        expect(holders.size).toBe(1);
        expect(claims.every((lease) => lease.epoch === 1)).toBe(true);
      });

      it(`[${adapterName}] refuses a fenced write from a holder that lost the lease, and keeps what the new holder wrote`, async () => {
        await store.claimLease('worker', 'old', TTL, T0);
        await store.write([{ op: 'put', collection: ITEMS, doc: { id: 'x', label: 'old' } }], { name: 'proj', position: 5n }, { lease: 'worker', epoch: 1 });
        await store.claimLease('worker', 'new', TTL, T0 + TTL + 1);
        await store.write([{ op: 'put', collection: ITEMS, doc: { id: 'x', label: 'new' } }], { name: 'proj', position: 9n }, { lease: 'worker', epoch: 2 });

        // The paused old holder wakes up and writes the batch it had computed.
        const stale = store.write([{ op: 'put', collection: ITEMS, doc: { id: 'x', label: 'stale' } }, { op: 'delete', collection: ITEMS, id: 'x' }], { name: 'proj', position: 7n }, { lease: 'worker', epoch: 1 });
        await expect(stale).rejects.toBeInstanceOf(FencedOffError);
        expect(await store.get(ITEMS, 'x')).toEqual({ id: 'x', label: 'new' });
        expect(await store.checkpoint('proj')).toBe(9n);
        // Unfenced writes (the API's own records) are not affected.
        await store.write([{ op: 'put', collection: ITEMS, doc: { id: 'y' } }]);
        expect(await store.get(ITEMS, 'y')).toEqual({ id: 'y' });
      });
    });

    it(`[${adapterName}] answers ping`, async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}

/** The order the adapters promise: null (and missing) lowest, strings by UTF-8 bytes, then id. */
function referenceSort(docs: readonly Doc[], orderBy: readonly SortKey[]): Doc[] {
  const order = [...orderBy, { field: 'id', direction: orderBy[orderBy.length - 1].direction }];
  const compareValues = (x: unknown, y: unknown): number => {
    const a = x ?? null;
    const b = y ?? null;
    if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
  };
  return [...docs].sort((left, right) => {
    for (const key of order) {
      const result = compareValues(left[key.field], right[key.field]);
      if (result !== 0) return key.direction === 'asc' ? result : -result;
    }
    return 0;
  });
}

readStoreContract('embedded sqlite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'read-store-contract-'));
  const store = new SqliteReadStore({ dataDir });
  return {
    store,
    async physicalNames() {
      const inspector = new SqliteBackend(join(dataDir, READ_MODELS_FILE));
      try {
        return inspector.tableNames();
      } finally {
        inspector.close();
      }
    },
    async dispose() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describeWithServer('MONGODB_URL', 'read store contract on MongoDB', (url) => {
  let client: MongoClient;

  beforeAll(async () => {
    client = new MongoClient(url, { ignoreUndefined: true });
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
  });

  readStoreContract('mongodb', async () => {
    const db = client.db(testDatabaseName('rs'));
    // A short generation cache keeps activation quick; the wait before dropping is tested as such.
    const store = new MongoReadStore({ db, generationCacheMs: 20 });
    return {
      store,
      async physicalNames() {
        return (await db.listCollections({}, { nameOnly: true }).toArray()).map((entry) => entry.name);
      },
      async dispose() {
        await store.close();
        await db.dropDatabase();
      },
    };
  });
});
