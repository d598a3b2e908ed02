import type Database from 'better-sqlite3';

/**
 * Prepared statements by SQL text. Queries are built from a handful of shapes (collection,
 * filter fields, order, null-ness of cursor values), so a small bounded cache keeps nearly every
 * call from re-parsing SQL; least recently used statements are dropped past the bound.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database, private readonly capacity = 512) {}

  get(sql: string): Database.Statement {
    const cached = this.statements.get(sql);
    if (cached) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = this.db.prepare(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > this.capacity) {
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    return statement;
  }

  get size(): number {
    return this.statements.size;
  }

  clear(): void {
    this.statements.clear();
  }
}
