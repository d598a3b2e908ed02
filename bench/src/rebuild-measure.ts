import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEventStore } from '@asiointitili/event-store';
import { SqliteReadStore } from '@asiointitili/read-store';
import { READ_MODEL_PROJECTIONS } from '@asiointitili/app/read/projections';
import { ProjectionRunner } from '@asiointitili/app/read/projections/projection-runner';

/** Events per read-store transaction in the rebuild; the live runner's subscription uses 500. */
export const REBUILD_BATCH = 1000;

export interface RebuildMeasurement {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
}

/**
 * A full rebuild of the read models from the log in `dataDir`, into a fresh embedded read store
 * in a temporary directory (so the measured store starts empty, as after a lost read-model file):
 * read the whole log in batches and apply each with ProjectionRunner.applyBatch, which writes the
 * batch and its checkpoint in one transaction, exactly as the live runner does.
 */
export async function measureRebuild(dataDir: string): Promise<RebuildMeasurement> {
  const events = createEventStore({ dataDir });
  const target = mkdtempSync(join(tmpdir(), 'asiointitili-rebuild-'));
  const store = new SqliteReadStore({ dataDir: target });
  try {
    const runner = new ProjectionRunner(events, store, READ_MODEL_PROJECTIONS, { checkpointName: 'bench-rebuild' });
    await store.ensureIndexes(READ_MODEL_PROJECTIONS.flatMap((projection) => projection.indexes));
    const started = performance.now();
    let after: bigint | undefined;
    let count = 0;
    for (;;) {
      const batch = await events.readAll({ after, maxCount: REBUILD_BATCH });
      if (batch.length === 0) break;
      await runner.applyBatch(batch);
      count += batch.length;
      after = batch[batch.length - 1]!.position;
    }
    const seconds = (performance.now() - started) / 1000;
    return { events: count, seconds: Math.round(seconds * 100) / 100, eventsPerSec: Math.round(count / seconds) };
  } finally {
    await store.close();
    await events.close();
    rmSync(target, { recursive: true, force: true });
  }
}
