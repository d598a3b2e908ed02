import type { Db } from 'mongodb';
import { FERRETDB_STATEMENTS_PER_COMMAND, inRuns, statementsPerCommand } from './write-chunks';

const serverAnswering = (buildInfo: Record<string, unknown>) => ({ admin: () => ({ command: async () => buildInfo }) }) as unknown as Db;

describe('bulk writes on FerretDB go in small commands (its PostgreSQL pool deadlocks on a long one)', () => {
  it('sends a whole collection batch as one command to MongoDB', async () => {
    expect(await statementsPerCommand(serverAnswering({ version: '7.0.12', ok: 1 }))).toBe(Number.POSITIVE_INFINITY);
  });

  it('limits a command to a few statements on FerretDB, which names itself in buildInfo', async () => {
    expect(await statementsPerCommand(serverAnswering({ version: '7.0.77', ferretdbVersion: 'v1.24.2', ok: 1 }))).toBe(FERRETDB_STATEMENTS_PER_COMMAND);
    expect(FERRETDB_STATEMENTS_PER_COMMAND).toBeLessThan(50); // FerretDB's default pool_max_conns
  });

  it('splits operations into runs in their order, every operation once', () => {
    const operations = Array.from({ length: 10 }, (_, index) => index);
    expect(inRuns(operations, 4)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(inRuns(operations, Number.POSITIVE_INFINITY)).toEqual([operations]);
    expect(inRuns([], 4)).toEqual([]);
  });
});
