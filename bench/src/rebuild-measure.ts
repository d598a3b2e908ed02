import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEventStore } from '@asiointitili/event-store';
import { SqliteReadStore } from '@asiointitili/read-store';
import { rebuildReadModels } from '@asiointitili/app/read/rebuild';

export interface RebuildMeasurement {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
}

/**
 * A full rebuild of the read models from the log in `dataDir` with the product's own rebuild
 * (libs/app/src/read/rebuild.ts, what `cli projections rebuild` runs), into a fresh embedded read
 * store in a temporary directory, so the measured store starts empty as after a lost read-model file.
 */
export async function measureRebuild(dataDir: string, options: { readonly batchSize?: number } = {}): Promise<RebuildMeasurement> {
  const events = createEventStore({ dataDir });
  const target = mkdtempSync(join(tmpdir(), 'asiointitili-rebuild-'));
  const store = new SqliteReadStore({ dataDir: target });
  try {
    const started = performance.now();
    const report = await rebuildReadModels(events, store, { batchSize: options.batchSize });
    const seconds = (performance.now() - started) / 1000;
    return { events: report.events, seconds: Math.round(seconds * 100) / 100, eventsPerSec: Math.round(report.events / seconds) };
  } finally {
    await store.close();
    await events.close();
    rmSync(target, { recursive: true, force: true });
  }
}
