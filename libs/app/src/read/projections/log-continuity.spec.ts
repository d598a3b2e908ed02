import type { EventStore, ReadStore } from '@asiointitili/core';
import { assertLogReaches, LogBehindCheckpointError } from './log-continuity';
import { ProjectionRunner } from './projection-runner';

const logEndingAt = (head: bigint | null) => ({ headPosition: async () => head }) as unknown as EventStore;

describe('assertLogReaches', () => {
  it('accepts a log that reaches the checkpoint or goes beyond it', async () => {
    await expect(assertLogReaches(logEndingAt(10n), 'read-models', 10n)).resolves.toBeUndefined();
    await expect(assertLogReaches(logEndingAt(11n), 'read-models', 10n)).resolves.toBeUndefined();
  });

  it('accepts any log when nothing was processed yet', async () => {
    await expect(assertLogReaches(logEndingAt(null), 'read-models', null)).resolves.toBeUndefined();
  });

  it('refuses a log whose tail was lost after the read models saw it, naming both positions', async () => {
    const refusal = assertLogReaches(logEndingAt(7n), 'read-models', 10n);
    await expect(refusal).rejects.toBeInstanceOf(LogBehindCheckpointError);
    await expect(refusal).rejects.toThrow(/ends at position 7 but checkpoint "read-models" is at 10/);
  });

  it('refuses an empty log under read models that have processed events', async () => {
    await expect(assertLogReaches(logEndingAt(null), 'read-models', 3n)).rejects.toThrow(/none \(empty\)/);
  });
});

describe('ProjectionRunner.start on a log that lost its tail', () => {
  it('refuses to start rather than skip the positions the lost events had', async () => {
    const subscribeAll = jest.fn();
    const events = { headPosition: async () => 5n, subscribeAll } as unknown as EventStore;
    const store = { ensureIndexes: async () => undefined, checkpoint: async () => 9n } as unknown as ReadStore;
    await expect(new ProjectionRunner(events, store, []).start()).rejects.toBeInstanceOf(LogBehindCheckpointError);
    expect(subscribeAll).not.toHaveBeenCalled();
  });
});
