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

  it("recognises the pg driver's lost connection, which has only its message to say so", () => {
    expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransient(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(isTransient(new Error('timeout exceeded when trying to connect'))).toBe(true);
    // The same words in a subclass are someone else's error, not the driver's.
    expect(isTransient(new TypeError('Connection terminated unexpectedly'))).toBe(false);
  });

  it('does not call a bug or bad data transient', () => {
    expect(isTransient(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isTransient(new RangeError('not a position: x'))).toBe(false);
    expect(isTransient(withCode('23505'))).toBe(false); // PostgreSQL: unique violation
    expect(isTransient(withCode('ERR_INVALID_ARG_TYPE'))).toBe(false); // Node's own: a programming error
    expect(isTransient('a string')).toBe(false);
    expect(isTransient(null)).toBe(false);
  });
});
