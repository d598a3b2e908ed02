import type Database from 'better-sqlite3';

/**
 * Page cache of a connection while it builds a generation (a rebuild), in KiB. A rebuild writes
 * tens of megabytes per transaction into tables and indexes keyed by random ids; with the default
 * 16 MB cache, SQLite spills pages to the WAL in the middle of a transaction and reads B-tree pages
 * back, and the index builds at the end sort through temporary files.
 */
export const BULK_LOAD_CACHE_KIB = 128 * 1024;

/**
 * Memory-only settings of one connection for as long as it has a generation open (begun, neither
 * activated nor discarded). Nothing here touches durability: journal mode and synchronous stay
 * as they are, because the generation being built shares the file with the live one.
 */
export class BulkLoadSettings {
  private readonly open = new Set<number>();
  private saved: { readonly cacheSize: number; readonly tempStore: number } | null = null;

  constructor(private readonly db: Database.Database) {}

  get active(): boolean {
    return this.saved !== null;
  }

  begin(generation: number): void {
    this.open.add(generation);
    if (this.saved) return;
    this.saved = { cacheSize: this.db.pragma('cache_size', { simple: true }) as number, tempStore: this.db.pragma('temp_store', { simple: true }) as number };
    this.db.pragma(`cache_size = ${-BULK_LOAD_CACHE_KIB}`);
    // Index builds sort in memory rather than in temporary files.
    this.db.pragma('temp_store = MEMORY');
  }

  end(generation: number): void {
    this.open.delete(generation);
    if (this.open.size > 0 || !this.saved) return;
    this.db.pragma(`cache_size = ${this.saved.cacheSize}`);
    this.db.pragma(`temp_store = ${this.saved.tempStore}`);
    this.saved = null;
  }
}
