import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createReadStore } from '@asiointitili/read-store';
import { startApi, waitForCatchUp } from './api-server';
import type { ChildServer } from './child-server';
import { prepareData } from './fixture';
import { runLoad, type LoadResult } from './load';
import type { BenchOptions } from './options';
import { runPaced } from './paced-load';
import { startProductionStores } from './production-stores';
import { inboxRequests, SendSequence } from './requests';
import { round, summarise } from './stats';
import { VisibilityProbe } from './visibility-probe';

export interface ProductionResult {
  readonly stores: string;
  readonly citizens: number;
  readonly seedSeconds: number;
  /** From starting the API until its worker had projected the seeded log (the API is ready then). */
  readonly startSeconds: number;
  readonly phaseSeconds: number;
  readonly sendRps: number;
  readonly sendMaxP99Ms: number;
  /** API process only: the worker's share would need it to catch up, which on FerretDB takes longer than the phase. */
  readonly cpuPerSendApiUs: number;
  /** Seconds the worker needed after the maximum-throughput phase to apply what it sent, or null if not within the bound. */
  readonly catchUpAfterMaxSeconds: number | null;
  /** The same after the fixed-rate phase: null means the inbox was read while the worker still caught up. */
  readonly catchUpBeforeInboxSeconds: number | null;
  readonly fixedRate: number;
  readonly fixedRateAchieved: number;
  readonly sendP50Ms: number;
  readonly sendP99Ms: number;
  readonly lagSamples: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  readonly lagNeverSeen: number;
  readonly inboxRate: number;
  readonly inboxP50Ms: number;
  readonly inboxP99Ms: number;
  readonly non2xx: Readonly<Record<string, number>>;
}

export type ProductionOutcome = ProductionResult | { readonly skipped: string };

/** The longest the phase waits for the worker to catch up before going on without it (it keeps the whole bench within minutes). */
const CATCH_UP_BOUND_MS = 30_000;
/** The lag probe polls FerretDB less often than the embedded file: it competes with the worker for the same server. */
const PROBE_INTERVAL_MS = 20;

const log = (message: string) => process.stderr.write(`[bench:production] ${message}\n`);

/**
 * The production shape beside the embedded default (issue 16, item 5): the same API and worker
 * processes with events in PostgreSQL and read models on FerretDB, each phase shorter than the
 * embedded run's (BENCH_PRODUCTION_DURATION): maximum send throughput, sends at the fixed rate
 * with the projection lag, inbox reads at the fixed inbox rate. Skipped with a reason when
 * PostgreSQL or FerretDB is not there. The databases are created for the run and dropped after.
 */
export async function runProductionPhase(options: BenchOptions): Promise<ProductionOutcome> {
  const stores = await startProductionStores(options.postgresUrl, options.ferretDbBinary);
  if ('skipped' in stores) return stores;
  log(stores.describe);
  let api: ChildServer | undefined;
  let dataDir: string | undefined;
  try {
    const citizens = Math.min(options.citizens, options.productionCitizens);
    const data = await prepareData(citizens, stores.env);
    dataDir = data.dataDir; // keys and blobs; the rest is in the two databases
    log(`seeded ${citizens} citizens in ${data.seedSeconds} s`);
    const starting = performance.now();
    api = await startApi(data.dataDir, { stores: stores.env });
    const startSeconds = round((performance.now() - starting) / 1000);
    log(`API ready (its worker projected the seeded log) after ${startSeconds} s`);
    const non2xx: Record<string, number> = {};
    const tally = (phase: string, result: LoadResult) => {
      for (const [status, count] of Object.entries(result.statuses)) if (!status.startsWith('2')) non2xx[`${phase}:${status}`] = count;
      if (result.errors > 0) non2xx[`${phase}:errors`] = result.errors;
    };
    const baseUrl = api.baseUrl;
    const seconds = options.productionDurationS;
    const sends = new SendSequence(data, `production-${Date.now().toString(36)}`);
    const sendLoad = (durationS: number, connections: number) => runLoad({ baseUrl, connections, durationS, next: sends.next, onAnswer: sends.onAnswer });

    tally('warmup', await sendLoad(2, 16));
    await catchUp(baseUrl);
    const cpuBefore = api.cpuSeconds();
    const sendMax = await sendLoad(seconds, options.connections);
    const cpuPerSendApiUs = Math.round(((api.cpuSeconds().server - cpuBefore.server) * 1e6) / Math.max(1, sendMax.requests));
    tally('send', sendMax);
    const catchUpAfterMaxSeconds = await catchUp(baseUrl);
    log(`send max: ${sendMax.rps}/s (p99 ${sendMax.latencyMs.p99} ms, API CPU ${cpuPerSendApiUs} µs per send); worker caught up ${catchUpAfterMaxSeconds === null ? `not within ${CATCH_UP_BOUND_MS / 1000} s` : `after ${catchUpAfterMaxSeconds} s`}`);

    const probeStore = createReadStore({ dataDir: data.dataDir, mongodbUrl: stores.env.MONGODB_URL });
    const probe = new VisibilityProbe(probeStore, PROBE_INTERVAL_MS);
    let answered = 0;
    probe.start();
    const fixed = await runPaced({
      baseUrl,
      connections: options.connections,
      rate: options.fixedRate,
      durationS: seconds,
      next: sends.next,
      onAnswer: (status, body, at) => {
        sends.onAnswer(status);
        if (status === 201 && answered++ % options.lagSampleEvery === 0) probe.track((JSON.parse(body) as { id: string }).id, at);
      },
    });
    tally('fixed', fixed);
    const lag = await probe.finish();
    await probeStore.close();
    const lagSummary = summarise(lag.lagsMs);
    log(`fixed ${options.fixedRate}/s: achieved ${fixed.rps}/s, p50 ${fixed.latencyMs.p50} ms, p99 ${fixed.latencyMs.p99} ms; lag p99 ${lagSummary.p99} ms (${lag.neverSeen} of ${lagSummary.count + lag.neverSeen} not seen within 10 s)`);

    const catchUpBeforeInboxSeconds = await catchUp(baseUrl);
    const inbox = inboxRequests(data);
    tally('inbox-warmup', await runLoad({ baseUrl, connections: 16, durationS: 2, next: inbox }));
    const inboxFixed = await runPaced({ baseUrl, connections: options.connections, rate: options.inboxRate, durationS: seconds, next: inbox });
    tally('inbox-fixed', inboxFixed);
    log(`inbox at ${options.inboxRate}/s: p50 ${inboxFixed.latencyMs.p50} ms, p99 ${inboxFixed.latencyMs.p99} ms${catchUpBeforeInboxSeconds === null ? ' (the worker was still catching up)' : ''}`);
    return {
      stores: stores.describe,
      citizens,
      seedSeconds: data.seedSeconds,
      startSeconds,
      phaseSeconds: seconds,
      sendRps: sendMax.rps,
      sendMaxP99Ms: sendMax.latencyMs.p99,
      cpuPerSendApiUs,
      catchUpAfterMaxSeconds,
      catchUpBeforeInboxSeconds,
      fixedRate: options.fixedRate,
      fixedRateAchieved: fixed.rps,
      sendP50Ms: fixed.latencyMs.p50,
      sendP99Ms: fixed.latencyMs.p99,
      lagSamples: lagSummary.count,
      lagP50Ms: lagSummary.p50,
      lagP99Ms: lagSummary.p99,
      lagMaxMs: lagSummary.max,
      lagNeverSeen: lag.neverSeen,
      inboxRate: options.inboxRate,
      inboxP50Ms: inboxFixed.latencyMs.p50,
      inboxP99Ms: inboxFixed.latencyMs.p99,
      non2xx,
    };
  } finally {
    await api?.stop();
    await stores.stop();
    if (dataDir && !options.keepData) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Seconds until the worker has applied the whole log, or null when that takes longer than the bound. */
async function catchUp(baseUrl: string): Promise<number | null> {
  const started = performance.now();
  try {
    await waitForCatchUp(baseUrl, CATCH_UP_BOUND_MS);
    return round((performance.now() - started) / 1000);
  } catch {
    return null;
  }
}
