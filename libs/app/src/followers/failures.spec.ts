import { isTransient } from './failures';

const withCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
class MongoServerSelectionError extends Error {}
class MongoNetworkError extends Error {}

describe('isTransient', () => {
  it('recognises a store that is down, busy or failing over', () => {
    expect(isTransient(withCode('ECONNREFUSED'))).toBe(true);
    expect(isTransient(withCode('SQLITE_BUSY'))).toBe(true);
    expect(isTransient(withCode('57P01'))).toBe(true); // PostgreSQL: admin shutdown
    expect(isTransient(withCode('08006'))).toBe(true); // PostgreSQL: connection failure
    expect(isTransient(new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017'))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { name: 'NotLeaderError' }))).toBe(true);
    expect(isTransient(new Error('wrapped', { cause: new MongoNetworkError('reset') }))).toBe(true);
  });

  it('does not call a bug or bad data transient', () => {
    expect(isTransient(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isTransient(new RangeError('not a position: x'))).toBe(false);
    expect(isTransient(withCode('23505'))).toBe(false); // PostgreSQL: unique violation
    expect(isTransient('a string')).toBe(false);
    expect(isTransient(null)).toBe(false);
  });
});
