import { performance } from 'node:perf_hooks';
import type { EventStore, ReadStore } from '@asiointitili/core';
import { carryOverCollections, carryOverUploads } from '../attachments/carry-over';
import { OPERATIONAL_WEBHOOK_COLLECTIONS } from '../webhooks/webhook-records';
import { PROCESS_MANAGER_CHECKPOINTS } from '../legal-time/process-managers';
import { READ_MODEL_PROJECTIONS } from './projections';
import type { Projection } from './projections/projection';
import { FoldingWrites } from './projections/folding-writes';
import { readStoreFollowsLog, recordLogIdentity } from './projections/log-continuity';
import { READ_MODELS_CHECKPOINT } from './projections/projection-runner';

/**
 * Events folded in memory and written in one read-store transaction. Large, because each document
 * is written once per window however many of the window's events touch it.
 */
export const DEFAULT_REBUILD_BATCH = 20_000;

/** Events read from the log at a time (a window is read in chunks of this size). */
const READ_CHUNK = 2_000;

export interface RebuildProgress {
  readonly generation: number;
  readonly events: number;
  readonly batches: number;
  /** Global position of the last event applied. */
  readonly position: bigint;
}

export interface RebuildOptions {
  readonly projections?: readonly Projection[];
  readonly batchSize?: number;
  /** Milliseconds on a monotonic clock, for the rate (performance.now by default; a benchmark may pass its own). */
  readonly now?: () => number;
  /** Called after each batch is written to the new generation, before the swap. */
  readonly onBatch?: (progress: RebuildProgress) => void | Promise<void>;
}

export interface RebuildReport {
  readonly generation: number;
  readonly events: number;
  readonly batches: number;
  /** Position the new generation is caught up to (null for an empty log). */
  readonly position: bigint | null;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

/**
 * The live read models moved while the rebuild ran: a projection runner (a worker, or `npm start`
 * without WORKER=off) is still following the log. Swapping now could lose the events it applied to
 * the old generation meanwhile, so the new generation is discarded instead.
 */
export class LiveProjectionsError extends Error {
  constructor(
    readonly before: bigint | null,
    readonly after: bigint | null,
  ) {
    super(
      `the live read models advanced during the rebuild (checkpoint ${String(before)} → ${String(after)}): a projection runner is still running. ` +
        'Stop the workers (and any API started without WORKER=off), run the rebuild, then start them again. Nothing was swapped.',
    );
    this.name = 'LiveProjectionsError';
  }
}

/**
 * Rebuilds every read model from the log into a fresh read-store generation and swaps it in once
 * caught up to the head. Until the swap, every reader keeps seeing the old generation; the swap is
 * one step in the read store (`activate`), after which the old generation is dropped.
 *
 * The live projection runners must be stopped meanwhile (docs/evidence.md, "Rebuilding the read
 * models": stop workers, rebuild, start): a runner keeps its position in memory and writes to whatever generation is active, so
 * after a swap it would carry on from its own position and never re-apply events the rebuild
 * missed. As a guard, the rebuild refuses to swap (LiveProjectionsError) when the live checkpoint
 * moved while it ran. After the swap, the new generation's checkpoint is where a restarted worker
 * continues, so events appended during the rebuild are applied then.
 */
export async function rebuildReadModels(events: EventStore, readStore: ReadStore, options: RebuildOptions = {}): Promise<RebuildReport> {
  const projections = options.projections ?? READ_MODEL_PROJECTIONS;
  const batchSize = options.batchSize ?? DEFAULT_REBUILD_BATCH;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const now = options.now ?? (() => performance.now());

  const liveBefore = await readStore.checkpoint(READ_MODELS_CHECKPOINT);
  const started = now();
  const generation = await readStore.beginGeneration();
  try {
    // Each window of `batchSize` events is folded in memory and written once, with the checkpoint.
    const writes = new FoldingWrites(generation.store);
    let after: bigint | undefined;
    let inWindow = 0;
    let count = 0;
    let batches = 0;
    const flush = async (position: bigint): Promise<void> => {
      await writes.flush({ name: READ_MODELS_CHECKPOINT, position });
      inWindow = 0;
      batches++;
      await options.onBatch?.({ generation: generation.generation, events: count, batches, position });
    };
    for (;;) {
      const chunk = await events.readAll({ after, maxCount: Math.min(READ_CHUNK, batchSize - inWindow) });
      if (chunk.length === 0) break;
      for (const event of chunk) {
        for (const projection of projections) await projection.apply(event, writes);
      }
      after = chunk[chunk.length - 1]!.position;
      count += chunk.length;
      inWindow += chunk.length;
      if (inWindow >= batchSize) await flush(after);
    }
    if (inWindow > 0) await flush(after!);
    // Indexes are built once over the loaded documents rather than maintained on every write of
    // the catch-up: projections read only by id while applying events, never through an index.
    await generation.store.ensureIndexes(projections.flatMap((projection) => projection.indexes));
    const liveAfter = await readStore.checkpoint(READ_MODELS_CHECKPOINT);
    if (liveAfter !== liveBefore) throw new LiveProjectionsError(liveBefore, liveAfter);
    // Checkpoints and delivery cursors are positions: they carry over only from read models of this same log.
    if (await readStoreFollowsLog(events, readStore)) await carryOverOperationalState(readStore, generation.store);
    else await carryOverUploads(readStore, generation.store);
    await recordLogIdentity(generation.store, await events.identity());
    await generation.activate();
    const seconds = (now() - started) / 1000;
    return {
      generation: generation.generation,
      events: count,
      batches,
      position: after ?? null,
      seconds,
      // A rebuild of a tiny log can take less than the clock's resolution.
      eventsPerSecond: count / Math.max(seconds, 0.001),
    };
  } catch (error) {
    await generation.discard().catch(() => undefined);
    throw error;
  }
}

/**
 * What lives in the read store but is not a projection of the log, and so must be copied into a
 * rebuilt generation: pending uploads (and their claim markers), the webhooks' delivery cursors
 * (or every agency would get its whole feed again), and the process managers' checkpoints, so
 * that they do not re-read the whole log after the swap.
 */
async function carryOverOperationalState(from: ReadStore, to: ReadStore): Promise<void> {
  await carryOverUploads(from, to);
  await carryOverCollections(from, to, OPERATIONAL_WEBHOOK_COLLECTIONS);
  for (const name of PROCESS_MANAGER_CHECKPOINTS) {
    const position = await from.checkpoint(name);
    if (position !== null) await to.write([], { name, position });
  }
}
