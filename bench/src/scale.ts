import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EVENTS_FILE_NAME } from '@asiointitili/event-store';
import { READ_MODELS_FILE } from '@asiointitili/read-store';
import { startWorker } from '../../apps/worker/src/worker';
import { startApi } from './api-server';
import { sleep } from './child-server';
import { AGENCY_ID, openBenchRuntime, prepareData } from './fixture';
import { runLoad } from './load';
import { runPaced } from './paced-load';
import { describeMachine, type Machine } from './machine';
import type { BenchOptions } from './options';
import { measureRebuild } from './rebuild-measure';
import { writeScaleDoc } from './report';
import { inboxRequests, SendSequence } from './requests';
import { seedMessages } from './seed';

export interface ScaleRow {
  readonly messages: number;
  readonly seedSeconds: number;
  readonly sendP50Ms: number;
  readonly sendP99Ms: number;
  readonly inboxP50Ms: number;
  readonly inboxP99Ms: number;
  readonly rebuildEvents: number;
  readonly rebuildSeconds: number;
  readonly rebuildEventsPerSec: number;
  readonly rssMb: number;
  readonly eventsFileMb: number;
  readonly readModelsFileMb: number;
}

export interface ScaleSummary {
  readonly machine: Machine;
  readonly sendRate: number;
  readonly inboxRate: number;
  readonly levels: readonly ScaleRow[];
}

const log = (message: string) => process.stderr.write(`[bench:scale] ${message}\n`);

/**
 * The cost-growth table: for each level, fill the log up to that many messages (through the
 * send handler in this process, with the projections running beside it), then start the server
 * and measure send latency at the fixed rate and inbox latency at the fixed inbox rate, its
 * memory, and a full rebuild of everything stored.
 */
export async function runScale(options: BenchOptions): Promise<ScaleSummary> {
  const machine = describeMachine();
  const data = await prepareData(options.citizens);
  const runId = `scale-${Date.now().toString(36)}`;
  const sends = new SendSequence(data, runId);
  let seeded = 0;
  const levels: ScaleRow[] = [];
  for (const level of options.scaleLevels) {
    const missing = level - seeded - sends.created;
    const started = performance.now();
    if (missing > 0) {
      log(`filling up to ${level} messages (${missing} more)`);
      await fill(data.dataDir, data.hetus, runId, seeded, missing);
      seeded += missing;
    }
    const seedSeconds = Math.round((performance.now() - started) / 100) / 10;
    const api = await startApi(data.dataDir);
    await runLoad({ baseUrl: api.baseUrl, connections: 16, durationS: 2, next: sends.next, onAnswer: sends.onAnswer });
    const sendFixed = await runPaced({ baseUrl: api.baseUrl, connections: options.connections, rate: options.scaleSendRate, durationS: options.durationS, next: sends.next, onAnswer: sends.onAnswer });
    const inboxFixed = await runPaced({ baseUrl: api.baseUrl, connections: options.connections, rate: options.inboxRate, durationS: options.durationS, next: inboxRequests(data) });
    const memory = api.memory();
    await api.stop();
    const rebuild = await measureRebuild(data.dataDir);
    const row: ScaleRow = {
      messages: level,
      seedSeconds,
      sendP50Ms: sendFixed.latencyMs.p50,
      sendP99Ms: sendFixed.latencyMs.p99,
      inboxP50Ms: inboxFixed.latencyMs.p50,
      inboxP99Ms: inboxFixed.latencyMs.p99,
      rebuildEvents: rebuild.events,
      rebuildSeconds: rebuild.seconds,
      rebuildEventsPerSec: rebuild.eventsPerSec,
      rssMb: memory.peakRssMb,
      eventsFileMb: fileMb(join(data.dataDir, EVENTS_FILE_NAME)),
      readModelsFileMb: fileMb(join(data.dataDir, READ_MODELS_FILE)),
    };
    log(JSON.stringify(row));
    levels.push(row);
  }
  const summary: ScaleSummary = { machine, sendRate: options.scaleSendRate, inboxRate: options.inboxRate, levels };
  if (options.writeDoc) writeScaleDoc(summary, options);
  if (!options.keepData) rmSync(data.dataDir, { recursive: true, force: true });
  return summary;
}

export async function fill(dataDir: string, hetus: readonly string[], runId: string, from: number, count: number): Promise<void> {
  const runtime = await openBenchRuntime(dataDir);
  const worker = await startWorker(runtime);
  try {
    await seedMessages(runtime, hetus, AGENCY_ID, runId, from, count);
    const head = await runtime.events.headPosition();
    while (head !== null && (runtime.projections.checkpoint() ?? -1n) < head) await sleep(100);
  } finally {
    await worker.stop();
    await runtime.close();
  }
}

function fileMb(file: string): number {
  // The WAL is part of the data until a checkpoint folds it in.
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  return Math.round((size(file) + size(`${file}-wal`)) / 2 ** 20);
}
