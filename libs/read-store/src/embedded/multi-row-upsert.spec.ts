import Database from 'better-sqlite3';
import { UPSERT_ROWS, upsertRows, upsertSql } from './multi-row-upsert';

describe('multi-row upserts', () => {
  it('cut any run into at most seven statement sizes: full statements, then powers of two', () => {
    const cut = (n: number): number[] => {
      const sizes: number[] = [];
      for (let left = n; left > 0; left -= sizes[sizes.length - 1]!) sizes.push(upsertRows(left));
      return sizes;
    };
    expect(cut(1)).toEqual([1]);
    expect(cut(7)).toEqual([4, 2, 1]);
    expect(cut(2 * UPSERT_ROWS + 3)).toEqual([UPSERT_ROWS, UPSERT_ROWS, 2, 1]);
    const sizes = new Set<number>();
    for (let n = 1; n <= 300; n++) cut(n).forEach((size) => sizes.add(size));
    expect([...sizes].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(() => upsertRows(0)).toThrow(RangeError);
  });

  it('apply rows in order, so a repeated id keeps its last document, as one statement per document would', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
    db.prepare(upsertSql('t', 1)).run('a', 'old');
    db.prepare(upsertSql('t', 3)).run('a', 'first', 'b', 'b1', 'a', 'last');
    expect(db.prepare('SELECT id, doc FROM t ORDER BY id').all()).toEqual([{ id: 'a', doc: 'last' }, { id: 'b', doc: 'b1' }]);
    db.close();
  });
});
