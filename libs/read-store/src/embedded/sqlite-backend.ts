import Database from 'better-sqlite3';
import { FencedOffError, type Checkpoint, type Doc, type Fence, type IndexSpec, type Lease, type SortKey, type WriteOp } from '@asiointitili/core';
import { assertNever } from '@asiointitili/domain/decider';
import { DuplicateKeyError } from '../errors';
import type { Filter } from '../shared/filters';
import { IndexRegistry, type RegisteredIndex } from '../shared/index-registry';
import type { KeysetClause } from '../shared/keyset';
import { decideClaim } from '../shared/leases';
import type { ReadModelBackend, Scope } from '../shared/scoped-read-store';
import { generationOf, physicalCheckpoints, physicalCollection } from '../shared/names';
import { filterSql, indexColumnsSql, keysetSql, orderSql, quoteIdentifier, type Fragment } from './sqlite-sql';
import { StatementCache } from './statement-cache';
import { UPSERT_ROWS, upsertRows, upsertSql } from './multi-row-upsert';
import { BulkLoadSettings } from './bulk-load-settings';

const ACTIVE = 'active_generation';
/** Highest generation ever begun; numbers are never reused, so a discarded rebuild cannot leak into the next. */
const LATEST = 'latest_generation';

/**
 * The SQLite database behind SqliteReadStore and its generation views: one connection, the
 * prepared-statement cache, and every operation parameterised by a Scope. Synchronous, as
 * better-sqlite3 is; ScopedReadStore turns it into the port's promises.
 *
 * The active generation is read from `meta` inside the same transaction as the data it selects,
 * so a reader in this or another process never pairs an old generation number with a snapshot in
 * which that generation has already been dropped.
 */
export class SqliteBackend implements ReadModelBackend {
  private readonly indexes = new IndexRegistry();
  private readonly db: Database.Database;
  private readonly statements: StatementCache;
  /** Physical tables known to exist; only tables of a generation that is dropped ever leave it. */
  private readonly knownTables = new Set<string>();
  private readonly transaction: Database.Transaction<(work: () => unknown) => unknown>;
  private readonly bulkLoad: BulkLoadSettings;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL may lose the last transactions on power loss (never corrupts, in WAL mode). That is
    // acceptable here and only here: read models are rebuildable from the event log, and the
    // checkpoint is written in the same transaction as the documents, so a lost tail is re-applied.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const seed = this.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
    seed.run(ACTIVE, '1');
    seed.run(LATEST, '1');
    // Leases belong to the store, not to a read-model generation: a rebuild never resets an epoch.
    this.db.exec('CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, epoch INTEGER NOT NULL, expires_at INTEGER NOT NULL)');
    this.statements = new StatementCache(this.db);
    this.bulkLoad = new BulkLoadSettings(this.db);
    this.transaction = this.db.transaction((work: () => unknown) => work());
  }

  get cachedStatements(): number {
    return this.statements.size;
  }

  get(scope: Scope, collection: string, id: string): Doc | null {
    return this.read(() => {
      const table = this.existingTable(scope, collection);
      if (!table) return null;
      const row = this.statements.get(`SELECT doc FROM ${quoteIdentifier(table)} WHERE id = ?`).get(id) as { doc: string } | undefined;
      return row ? (JSON.parse(row.doc) as Doc) : null;
    });
  }

  getMany(scope: Scope, collection: string, ids: readonly string[]): Doc[] {
    return this.read(() => {
      const table = this.existingTable(scope, collection);
      if (!table) return [];
      const rows = this.statements
        .get(`SELECT doc FROM ${quoteIdentifier(table)} WHERE id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(ids)) as Array<{ doc: string }>;
      return rows.map((row) => JSON.parse(row.doc) as Doc);
    });
  }

  /** Up to `limit` documents matching the filter, strictly after the keyset clauses (if any), in `order`. */
  find(scope: Scope, collection: string, filter: Filter, order: readonly SortKey[], after: readonly KeysetClause[] | null, limit: number): Doc[] {
    const conditions: Fragment[] = [filterSql(filter)];
    if (after) conditions.push(keysetSql(after));
    const sqlWhere = conditions.map((fragment) => `(${fragment.sql})`).join(' AND ');
    const params = conditions.flatMap((fragment) => fragment.params);
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`find: limit must be a non-negative integer, got ${limit}`);
    return this.read(() => {
      const table = this.existingTable(scope, collection);
      if (!table) return [];
      // The limit is written into the SQL, not bound: SQLite re-prepares a statement on every bind
      // of a LIMIT parameter (libs/event-store/src/embedded/limited-statements.ts). Pages use a
      // few sizes, so the statement cache holds one statement per size.
      const sql = `SELECT doc FROM ${quoteIdentifier(table)} WHERE ${sqlWhere} ORDER BY ${orderSql(order)} LIMIT ${limit}`;
      const rows = this.statements.get(sql).all(...params) as Array<{ doc: string }>;
      return rows.map((row) => JSON.parse(row.doc) as Doc);
    });
  }

  count(scope: Scope, collection: string, filter: Filter): number {
    const condition = filterSql(filter);
    return this.read(() => {
      const table = this.existingTable(scope, collection);
      if (!table) return 0;
      const row = this.statements.get(`SELECT count(*) AS n FROM ${quoteIdentifier(table)} WHERE ${condition.sql}`).get(...condition.params) as { n: number };
      return row.n;
    });
  }

  /**
   * All operations, then the checkpoint, in one transaction: either all of it is visible or none.
   * A fence is checked inside the same transaction (SQLite has one writer at a time, in this and
   * every other process on the file), so a fenced-off write changes nothing.
   */
  write(scope: Scope, ops: readonly WriteOp[], checkpoint: Checkpoint | undefined, fence?: Fence): void {
    this.writeTransaction(() => {
      if (fence) {
        const current = this.readLease(fence.lease);
        if (current?.epoch !== fence.epoch) throw new FencedOffError(fence, current?.epoch ?? null);
      }
      const generation = this.resolve(scope);
      // Operations come grouped by collection (a projection batch's order): the table is looked up
      // once per run of one collection, and a run of puts goes in multi-row upserts.
      let table = '';
      let collection: string | undefined;
      const puts: string[] = [];
      const writePuts = (): void => {
        for (let from = 0; from < puts.length; ) {
          const rows = upsertRows(puts.length / 2 - from / 2);
          const params = puts.slice(from, from + 2 * rows);
          const upsert = this.statements.get(upsertSql(table, rows));
          this.onDuplicate(collection!, () => upsert.run(params));
          from += 2 * rows;
        }
        puts.length = 0;
      };
      for (const op of ops) {
        if (op.collection !== collection) {
          writePuts();
          collection = op.collection;
          table = quoteIdentifier(this.ensureTable(generation, collection));
        }
        switch (op.op) {
          case 'put':
            puts.push(op.doc.id, JSON.stringify(op.doc));
            // Written as soon as a statement is full: the serialised documents of a whole batch are never held at once.
            if (puts.length === 2 * UPSERT_ROWS) writePuts();
            break;
          case 'delete':
            // Ops apply in order: the puts before a delete of the same id must land first.
            writePuts();
            this.statements.get(`DELETE FROM ${table} WHERE id = ?`).run(op.id);
            break;
          default:
            assertNever(op);
        }
      }
      writePuts();
      if (checkpoint) {
        const table = quoteIdentifier(this.ensureCheckpointTable(generation));
        this.statements
          .get(`INSERT INTO ${table} (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position`)
          .run(checkpoint.name, checkpoint.position.toString());
      }
    });
  }

  claimLease(name: string, holder: string, ttlMs: number, now: number, takeOverFrom: string | undefined): Lease {
    return this.writeTransaction(() => {
      const decision = decideClaim(this.readLease(name), name, holder, ttlMs, now, takeOverFrom);
      if (decision.kind !== 'held-by-other') {
        const { lease } = decision;
        this.statements
          .get('INSERT INTO leases (name, holder, epoch, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, epoch = excluded.epoch, expires_at = excluded.expires_at')
          .run(lease.name, lease.holder, lease.epoch, lease.expiresAt);
      }
      return decision.lease;
    });
  }

  releaseLease(name: string, holder: string, epoch: number): void {
    this.writeTransaction(() => this.statements.get('UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ? AND epoch = ?').run(name, holder, epoch));
  }

  private readLease(name: string): Lease | null {
    const row = this.statements.get('SELECT holder, epoch, expires_at FROM leases WHERE name = ?').get(name) as { holder: string; epoch: number; expires_at: number } | undefined;
    return row ? { name, holder: row.holder, epoch: Number(row.epoch), expiresAt: Number(row.expires_at) } : null;
  }

  checkpoint(scope: Scope, name: string): string | null {
    return this.read(() => {
      const table = physicalCheckpoints(this.resolve(scope));
      if (!this.tableExists(table)) return null;
      const row = this.statements.get(`SELECT position FROM ${quoteIdentifier(table)} WHERE name = ?`).get(name) as { position: string } | undefined;
      return row ? row.position : null;
    });
  }

  ensureIndexes(scope: Scope, specs: readonly IndexSpec[]): void {
    const indexes = this.indexes.register(specs);
    this.writeTransaction(() => {
      const generation = this.resolve(scope);
      for (const index of indexes) {
        const table = this.ensureTable(generation, index.collection);
        this.createIndex(table, index);
      }
    });
  }

  /** Reserves a new generation number and creates its indexed tables, so constraints hold from the first write. */
  beginGeneration(): number {
    const generation = this.writeTransaction(() => {
      const next = Math.max(this.readMeta(LATEST), this.readMeta(ACTIVE)) + 1;
      this.writeMeta(LATEST, next);
      for (const collection of this.indexes.collections()) this.ensureTable(next, collection);
      return next;
    });
    // After the commit: changing temp_store discards the connection's temporary database, which no statement uses then.
    this.bulkLoad.begin(generation);
    return generation;
  }

  /** Switches readers to `generation` and drops every older one, in one transaction. */
  activateGeneration(generation: number): void {
    this.writeTransaction(() => {
      const active = this.readMeta(ACTIVE);
      if (generation <= active) throw new Error(`read-model generation ${generation} is not newer than the active generation ${active}`);
      if (generation > this.readMeta(LATEST)) throw new Error(`read-model generation ${generation} was never begun`);
      this.writeMeta(ACTIVE, generation);
      this.dropTables((tableGeneration) => tableGeneration < generation);
    });
    this.bulkLoad.end(generation);
  }

  discardGeneration(generation: number): void {
    this.writeTransaction(() => {
      if (generation === this.readMeta(ACTIVE)) throw new Error(`read-model generation ${generation} is active and cannot be discarded`);
      this.dropTables((tableGeneration) => tableGeneration === generation);
    });
    this.bulkLoad.end(generation);
  }

  /** Durability settings of this connection, for tests and diagnostics. */
  settings(): { readonly journalMode: string; readonly synchronous: number } {
    return {
      journalMode: this.db.pragma('journal_mode', { simple: true }) as string,
      synchronous: this.db.pragma('synchronous', { simple: true }) as number,
    };
  }

  /** Physical table names, for tests and diagnostics. */
  tableNames(): string[] {
    return (this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);
  }

  /** The query plan SQLite picks for a find, for tests that check the expression indexes are used. */
  explainFind(scope: Scope, collection: string, filter: Filter, order: readonly SortKey[]): string[] {
    const condition = filterSql(filter);
    const table = quoteIdentifier(physicalCollection(this.resolve(scope), collection));
    const rows = this.db.prepare(`EXPLAIN QUERY PLAN SELECT doc FROM ${table} WHERE ${condition.sql} ORDER BY ${orderSql(order)} LIMIT 10`).all(...condition.params) as Array<{ detail: string }>;
    return rows.map((row) => row.detail);
  }

  ping(): boolean {
    if (!this.db.open) return false;
    try {
      return (this.statements.get('SELECT 1 AS ok').get() as { ok: number }).ok === 1;
    } catch {
      return false;
    }
  }

  close(): void {
    if (!this.db.open) return;
    this.statements.clear();
    this.db.close();
  }

  private read<T>(work: () => T): T {
    // A deferred transaction: one consistent snapshot for the meta lookup and the data.
    return this.transaction(work) as T;
  }

  private writeTransaction<T>(work: () => T): T {
    // IMMEDIATE takes the write lock up front, so two writers queue on busy_timeout instead of
    // failing when a read transaction tries to upgrade.
    return this.transaction.immediate(work) as T;
  }

  private resolve(scope: Scope): number {
    return scope.kind === 'active' ? this.readMeta(ACTIVE) : scope.generation;
  }

  private readMeta(key: string): number {
    const row = this.statements.get('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    if (!row) throw new Error(`read-model store meta "${key}" is missing`);
    return Number(row.value);
  }

  private writeMeta(key: string, value: number): void {
    this.statements.get('UPDATE meta SET value = ? WHERE key = ?').run(String(value), key);
  }

  /** The physical table for reading, or null when nothing was ever written to it (reads never create tables). */
  private existingTable(scope: Scope, collection: string): string | null {
    const table = physicalCollection(this.resolve(scope), collection);
    return this.tableExists(table) ? table : null;
  }

  private tableExists(table: string): boolean {
    if (this.knownTables.has(table)) return true;
    const found = this.statements.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    if (found) this.knownTables.add(table);
    return found;
  }

  private ensureTable(generation: number, collection: string): string {
    const table = physicalCollection(generation, collection);
    if (this.knownTables.has(table)) return table;
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
    for (const index of this.indexes.forCollection(collection)) this.createIndex(table, index);
    this.knownTables.add(table);
    return table;
  }

  private ensureCheckpointTable(generation: number): string {
    const table = physicalCheckpoints(generation);
    if (this.knownTables.has(table)) return table;
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (name TEXT PRIMARY KEY, position TEXT NOT NULL)`);
    this.knownTables.add(table);
    return table;
  }

  private createIndex(table: string, index: RegisteredIndex): void {
    const plain = `${table}__${index.key}`;
    if (!index.covering) {
      this.onDuplicate(index.collection, () =>
        this.db.exec(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quoteIdentifier(plain)} ON ${quoteIdentifier(table)} (${indexColumnsSql(index.fields)})`),
      );
      return;
    }
    // With `doc` as its last column the index holds everything a find selects, so a page is read
    // from the index alone (one key's entries sit side by side) instead of one table row per
    // document. A name of its own: a store indexed before the index covered gets it built here,
    // and its plain twin dropped, which serves no query the covering one does not.
    this.db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${plain}__doc`)} ON ${quoteIdentifier(table)} (${indexColumnsSql(index.fields)}, doc)`);
    this.db.exec(`DROP INDEX IF EXISTS ${quoteIdentifier(plain)}`);
  }

  private dropTables(shouldDrop: (generation: number) => boolean): void {
    for (const table of this.tableNames()) {
      const generation = generationOf(table);
      if (generation === null || !shouldDrop(generation)) continue;
      this.db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(table)}`);
      this.knownTables.delete(table);
    }
    // Statements compiled against dropped tables are useless now; let them go.
    this.statements.clear();
  }

  private onDuplicate<T>(collection: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      // Match on the code, not the class: better-sqlite3's SqliteError class is per module instance,
      // and a second copy of the module (jest loads one per test file) makes instanceof fail.
      if ((error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateKeyError(collection, error as Error);
      throw error;
    }
  }
}
