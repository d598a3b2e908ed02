import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, ReadStore } from '@asiointitili/core';
import { SqliteEventStore } from '@asiointitili/event-store';
import { createReadStore } from '@asiointitili/read-store';
import { assertLogReaches, bindReadStoreToLog, LogBehindCheckpointError, OtherEventLogError } from './log-continuity';
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

describe('bindReadStoreToLog', () => {
  const dirs: string[] = [];
  const closing: Array<{ close(): Promise<void> }> = [];
  const dir = () => {
    const path = mkdtempSync(join(tmpdir(), 'asiointitili-bind-'));
    dirs.push(path);
    return path;
  };
  afterEach(async () => {
    for (const port of closing.splice(0).reverse()) await port.close();
    for (const path of dirs.splice(0)) rmSync(path, { recursive: true, force: true });
  });
  const open = async (eventsDir: string, readDir: string) => {
    const events = SqliteEventStore.open(eventsDir);
    const store = await createReadStore({ dataDir: readDir });
    closing.push(events, store);
    return { events, store };
  };

  it('records the log on first start and accepts the same log on every later start, also after a restart', async () => {
    const [eventsDir, readDir] = [dir(), dir()];
    const first = await open(eventsDir, readDir);
    await bindReadStoreToLog(first.events, first.store);
    await first.store.write([], { name: 'read-models', position: 3n });
    const again = await open(eventsDir, readDir);
    await expect(bindReadStoreToLog(again.events, again.store)).resolves.toBeUndefined();
  });

  it('refuses a read store whose checkpoints were written against another event log, naming both and the remedy', async () => {
    const readDir = dir();
    const original = await open(dir(), readDir);
    await bindReadStoreToLog(original.events, original.store);
    await original.store.write([], { name: 'read-models', position: 12n });
    const other = await open(dir(), readDir);
    const refusal = bindReadStoreToLog(other.events, other.store);
    await expect(refusal).rejects.toBeInstanceOf(OtherEventLogError);
    await expect(refusal).rejects.toThrow(new RegExp(`built from event log ${await original.events.identity()}, but the configured event log is ${await other.events.identity()}`));
    await expect(refusal).rejects.toThrow(/projections rebuild/);
    // Nothing was changed: the original log is still the one recorded.
    await expect(bindReadStoreToLog(original.events, original.store)).resolves.toBeUndefined();
  });
});
