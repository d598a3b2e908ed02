import Database from 'better-sqlite3';
import { BULK_LOAD_CACHE_KIB, BulkLoadSettings } from './bulk-load-settings';

describe('BulkLoadSettings', () => {
  const settingsOf = (db: Database.Database) => ({
    cacheSize: db.pragma('cache_size', { simple: true }),
    tempStore: db.pragma('temp_store', { simple: true }),
    synchronous: db.pragma('synchronous', { simple: true }),
  });

  it('raises the page cache only while some generation is open, and restores the connection when the last one ends', () => {
    const db = new Database(':memory:');
    const before = settingsOf(db);
    const bulk = new BulkLoadSettings(db);
    bulk.begin(2);
    bulk.begin(3);
    expect(settingsOf(db)).toEqual({ cacheSize: -BULK_LOAD_CACHE_KIB, tempStore: 2, synchronous: before.synchronous });
    bulk.end(2);
    expect(bulk.active).toBe(true);
    bulk.end(3);
    expect(bulk.active).toBe(false);
    expect(settingsOf(db)).toEqual(before);
    bulk.end(3); // ending twice (discard after a failed activate) changes nothing
    expect(settingsOf(db)).toEqual(before);
    db.close();
  });
});
