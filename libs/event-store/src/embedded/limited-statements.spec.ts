import Database from 'better-sqlite3';
import { LimitedStatements } from './limited-statements';

describe('LimitedStatements', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY)');
  const insert = db.prepare('INSERT INTO t (n) VALUES (?)');
  for (let n = 1; n <= 50; n++) insert.run(n);
  const statements = new LimitedStatements<{ n: number }>(db);
  const read = (limit: number, after = 0) => statements.get('SELECT n FROM t WHERE n > ? ORDER BY n', limit).all(after).map((row) => row.n);
  afterAll(() => db.close());

  it('limits each read to its own limit, reusing one statement per limit', () => {
    expect(read(0)).toEqual([]);
    expect(read(3)).toEqual([1, 2, 3]);
    expect(read(3, 10)).toEqual([11, 12, 13]);
    expect(statements.get('SELECT n FROM t WHERE n > ? ORDER BY n', 3)).toBe(statements.get('SELECT n FROM t WHERE n > ? ORDER BY n', 3));
  });

  it('still limits correctly past the number of limits it keeps statements for', () => {
    for (let limit = 1; limit <= 45; limit++) expect(read(limit, 5)).toHaveLength(limit);
    expect(read(44, 1)).toEqual(Array.from({ length: 44 }, (_, i) => i + 2));
  });

  it('refuses a limit that is not a non-negative integer (it is written into the SQL)', () => {
    expect(() => read(-1)).toThrow(RangeError);
    expect(() => read(1.5)).toThrow(RangeError);
    expect(() => read(Number.NaN)).toThrow(RangeError);
  });
});
