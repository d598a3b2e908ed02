import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { BlobTooLargeError, type BlobStore } from '@asiointitili/core';
import { FileBlobStore, GridFsBlobStore, InvalidBlobIdError } from '@asiointitili/blob-store';
import { mongoClientForSuite, testDatabaseName } from '../support/ferretdb';
import { describeWithServer } from '../support/server-suites';

/**
 * One behaviour, every adapter: files in DATA_DIR always, GridFS when MONGODB_URL is set.
 * Each test gets its own directory or database, so "nothing kept" can be checked by looking at
 * everything the store holds.
 */
export interface BlobStoreFixture {
  readonly store: BlobStore;
  /**
   * One entry per stored blob version plus one per leftover (temporary file, GridFS chunk without
   * its files document), to prove that nothing is kept and that a replaced version is gone.
   */
  storedObjects(): Promise<string[]>;
  dispose(): Promise<void>;
}

const KIB = 1024;

/** A stream of `data` in pieces of `pieceSize`, as an HTTP request arrives. */
function streamOf(data: Buffer, pieceSize = 16 * KIB): Readable {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += pieceSize) pieces.push(data.subarray(offset, offset + pieceSize));
  return Readable.from(pieces);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export function blobStoreContract(adapterName: string, createFixture: () => Promise<BlobStoreFixture>): void {
  describe(`blob store contract [${adapterName}]`, () => {
    let fixture: BlobStoreFixture;
    let store: BlobStore;

    beforeEach(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture?.dispose();
    });

    it(`[${adapterName}] gives back exactly the bytes put, with their size and SHA-256`, async () => {
      // Larger than one GridFS chunk (255 KiB) and not a multiple of it, arriving in odd pieces.
      const data = randomBytes(700 * KIB + 123);
      const info = await store.put('att-1', streamOf(data, 10_007), 10 * KIB * KIB);
      expect(info).toEqual({ id: 'att-1', size: data.length, sha256: sha256(data) });
      const back = await store.get('att-1');
      expect(back).not.toBeNull();
      const bytes = await readAll(back as Readable);
      expect(bytes.equals(data)).toBe(true);
    });

    it(`[${adapterName}] stores a 0-byte blob with the SHA-256 of nothing`, async () => {
      const info = await store.put('empty', Readable.from([]), 100);
      expect(info).toEqual({ id: 'empty', size: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
      const back = await store.get('empty');
      expect(back).not.toBeNull();
      expect((await readAll(back as Readable)).length).toBe(0);
    });

    it(`[${adapterName}] accepts exactly maxBytes`, async () => {
      const data = randomBytes(64 * KIB);
      const info = await store.put('exact', streamOf(data, 1000), data.length);
      expect(info.size).toBe(data.length);
      expect((await readAll((await store.get('exact')) as Readable)).equals(data)).toBe(true);
    });

    it(`[${adapterName}] rejects maxBytes + 1 with BlobTooLargeError and keeps nothing`, async () => {
      const data = randomBytes(300 * KIB + 1);
      const put = store.put('too-big', streamOf(data, 7 * KIB), data.length - 1);
      await expect(put).rejects.toBeInstanceOf(BlobTooLargeError);
      await expect(put).rejects.toMatchObject({ limit: data.length - 1 });
      expect(await store.get('too-big')).toBeNull();
      expect(await fixture.storedObjects()).toEqual([]);
    });

    it(`[${adapterName}] stops reading an endless upload once past maxBytes, and leaves the stream undestroyed for the caller`, async () => {
      let produced = 0;
      const endless = new Readable({
        read() {
          produced += KIB;
          this.push(Buffer.alloc(KIB, 1));
        },
      });
      await expect(store.put('endless', endless, 50 * KIB)).rejects.toBeInstanceOf(BlobTooLargeError);
      // Read ahead is bounded by the stream's buffer, not by the size of the upload.
      expect(produced).toBeLessThan(50 * KIB + 256 * KIB);
      expect(endless.destroyed).toBe(false);
      endless.destroy();
      expect(await fixture.storedObjects()).toEqual([]);
    });

    it(`[${adapterName}] keeps nothing when the upload stream fails midway, and reports its error`, async () => {
      const failing = new Readable({ read() {} });
      failing.push(randomBytes(300 * KIB));
      setImmediate(() => failing.destroy(new Error('client went away')));
      await expect(store.put('broken', failing, 10 * KIB * KIB)).rejects.toThrow(/client went away/);
      expect(await store.get('broken')).toBeNull();
      expect(await fixture.storedObjects()).toEqual([]);
    });

    it(`[${adapterName}] replaces the content when the same id is put again`, async () => {
      await store.put('same', streamOf(Buffer.from('first version, longer')), 100);
      const info = await store.put('same', streamOf(Buffer.from('second')), 100);
      expect(info.size).toBe(6);
      expect((await readAll((await store.get('same')) as Readable)).toString()).toBe('second');
      expect(await fixture.storedObjects()).toHaveLength(1);
    });

    it(`[${adapterName}] answers null for an id it does not hold`, async () => {
      expect(await store.get('never-stored')).toBeNull();
    });

    it(`[${adapterName}] deletes a blob, and deleting a missing one is harmless`, async () => {
      await store.put('gone', streamOf(Buffer.from('bye')), 100);
      await store.delete('gone');
      expect(await store.get('gone')).toBeNull();
      await expect(store.delete('gone')).resolves.toBeUndefined();
      expect(await fixture.storedObjects()).toEqual([]);
    });

    it(`[${adapterName}] refuses ids that could leave its storage (path traversal) or are empty or too long`, async () => {
      const bad = ['../escape', '..', '.', 'a/b', 'a\\b', '/etc/passwd', 'a.b', 'x\u0000y', '', 'ä', 'a b', 'x'.repeat(129)];
      for (const id of bad) {
        await expect(store.put(id, streamOf(Buffer.from('x')), 10)).rejects.toBeInstanceOf(InvalidBlobIdError);
        await expect(store.get(id)).rejects.toBeInstanceOf(InvalidBlobIdError);
        await expect(store.delete(id)).rejects.toBeInstanceOf(InvalidBlobIdError);
      }
      expect(await fixture.storedObjects()).toEqual([]);
      // The whole alphabet that is allowed works, up to 128 characters.
      const longest = `${'Az09_-'.repeat(21)}ab`;
      expect(longest).toHaveLength(128);
      await expect(store.put(longest, streamOf(Buffer.from('ok')), 10)).resolves.toMatchObject({ size: 2 });
      await expect(store.put('a', streamOf(Buffer.from('one-character id')), 100)).resolves.toMatchObject({ id: 'a' });
    });

    it(`[${adapterName}] refuses a negative or fractional maxBytes`, async () => {
      await expect(store.put('x', streamOf(Buffer.from('x')), -1)).rejects.toBeInstanceOf(RangeError);
      await expect(store.put('x', streamOf(Buffer.from('x')), 1.5)).rejects.toBeInstanceOf(RangeError);
    });

    it(`[${adapterName}] accepts string chunks as UTF-8`, async () => {
      const info = await store.put('text', Readable.from(['Hyvä ', 'päätös']), 100);
      const expected = Buffer.from('Hyvä päätös', 'utf8');
      expect(info).toEqual({ id: 'text', size: expected.length, sha256: sha256(expected) });
    });

    it(`[${adapterName}] answers ping`, async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}

function listFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory)) {
      const path = join(directory, entry);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(root, path));
    }
  };
  walk(root);
  return found.sort();
}

blobStoreContract('embedded files', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'blob-store-contract-'));
  const store = new FileBlobStore({ dataDir });
  return {
    store,
    // Everything under the data directory, so a file escaping blobs/ would show up too.
    async storedObjects() {
      return listFiles(dataDir);
    },
    async dispose() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describeWithServer('MONGODB_URL', 'blob store contract on MongoDB GridFS', (url) => {
  const client = mongoClientForSuite(url);

  blobStoreContract('mongodb gridfs', async () => {
    const db = client().db(testDatabaseName('bs'));
    const store = new GridFsBlobStore({ db });
    return {
      store,
      async storedObjects() {
        const files = await db.collection('blobs.files').find({}, { projection: { _id: 1, filename: 1 } }).toArray();
        const chunks = await db.collection('blobs.chunks').find({}, { projection: { _id: 1, files_id: 1 } }).toArray();
        const fileIds = new Set(files.map((doc) => String(doc._id)));
        const orphans = chunks.filter((chunk) => !fileIds.has(String(chunk.files_id)));
        return [...files.map((doc) => `file:${String(doc.filename)}`), ...orphans.map((chunk) => `orphan chunk:${String(chunk._id)}`)];
      },
      async dispose() {
        await store.close();
        await db.dropDatabase();
      },
    };
  });
});
