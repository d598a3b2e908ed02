import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteReadStore } from '@asiointitili/read-store';
import { startApi, startHello, waitForCatchUp } from './api-server';
import { prepareData, type BenchData } from './fixture';
import { runLoad, type LoadResult } from './load';
import { runPaced } from './paced-load';
import { describeMachine, type Machine } from './machine';
import type { BenchOptions } from './options';
import { quantileAtMostMs, routeBuckets } from './server-latency';
import { summariseProfile, type ProfileLine } from './profile-summary';
import { runProductionPhase, type ProductionOutcome } from './production-phase';
import { measureRebuild } from './rebuild-measure';
import { writeBenchDoc } from './report';
import { BulkSequence, inboxRequests, recipientCheckBody, SendSequence } from './requests';
import { round, summarise } from './stats';
import { VisibilityProbe } from './visibility-probe';

/** The route templates the API's HTTP histogram labels the measured requests with. */
const SEND_ROUTE = '/v1/agency/messages';
const INBOX_ROUTE = '/v1/citizen/messages';

export interface BenchSummary {
  readonly baselineRps: number;
  readonly sendRps: number;
  readonly sendToBaseline: number;
  readonly sendP99Ms: number;
  readonly projectionLagP99Ms: number;
  readonly inboxRps: number;
  readonly inboxP99Ms: number;
  readonly rebuildEventsPerSec: number;
  readonly rssMb: number;
  readonly details: BenchDetails;
}

export interface BenchDetails {
  readonly quick: boolean;
  readonly machine: Machine;
  readonly citizens: number;
  readonly seedSeconds: number;
  readonly baselineP99Ms: number;
  readonly sendMaxP99Ms: number;
  /** Group commit at maximum throughput: appends (commands) per durable write transaction. */
  readonly appendsPerCommit: number;
  /**
   * CPU time per request (user + system, from /proc) of the API process and of its worker child
   * process, over the maximum-throughput phases: unlike rates, unaffected by what else the shared
   * machine runs, so comparable between runs.
   */
  readonly cpuPerSendUs: CpuPerRequest;
  readonly cpuPerInboxReadUs: CpuPerRequest;
  readonly fixedRate: number;
  readonly fixedRateAchieved: number;
  readonly fixedRateSeconds: number;
  readonly sendP50Ms: number;
  readonly lagSamples: number;
  readonly lagP50Ms: number;
  readonly lagMaxMs: number;
  readonly lagNeverSeen: number;
  readonly messagesStored: number;
  readonly inboxRate: number;
  readonly inboxP50Ms: number;
  readonly inboxMaxThroughputP99Ms: number;
  /**
   * The same fixed-rate phases timed inside the API (its HTTP histogram, first middleware to last
   * byte): the bucket bound the p99 falls under, so "at most". Null when nothing was counted.
   */
  readonly sendServerP99AtMostMs: number | null;
  readonly inboxServerP99AtMostMs: number | null;
  readonly inboxDuringSendsP99Ms: number;
  readonly recipientCheck10kP50Ms: number;
  readonly recipientCheck10kMaxMs: number;
  readonly bulkSendMessagesPerSec: number | null;
  readonly rebuildEvents: number;
  readonly rebuildSeconds: number;
  readonly rssAfterRunMb: number;
  readonly non2xx: Readonly<Record<string, number>>;
  readonly profile: readonly ProfileLine[] | null;
  /** The production shape's phases (events in PostgreSQL, read models on FerretDB), or why they did not run. */
  readonly production: ProductionOutcome;
  /** The 1-minute load average when the run ended: another process busy meanwhile shows here. */
  readonly loadAverageAtEnd: string;
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

export async function runBench(options: BenchOptions): Promise<BenchSummary> {
  const machine = describeMachine();
  log(`machine: ${machine.nproc} × ${machine.cpuModel}, ${machine.memoryGb} GB, node ${machine.node}, load ${machine.loadAverage}`);
  const non2xx: Record<string, number> = {};
  const tally = (phase: string, result: LoadResult) => {
    for (const [status, count] of Object.entries(result.statuses)) if (!status.startsWith('2')) non2xx[`${phase}:${status}`] = count;
    if (result.errors > 0) non2xx[`${phase}:errors`] = result.errors;
  };

  log(`seeding ${options.citizens} consenting citizens`);
  const data = await prepareData(options.citizens);
  log(`seeded in ${data.seedSeconds} s (${Math.round((options.citizens * 2) / data.seedSeconds)} commands/s through the handlers)`);

  // 1. Baseline: hello-world on the same stack, same connections and duration.
  const hello = await startHello();
  await runLoad({ baseUrl: hello.baseUrl, connections: options.connections, durationS: 2, next: () => ({ method: 'GET', path: '/hello', headers: {} }) });
  const baseline = await runLoad({ baseUrl: hello.baseUrl, connections: options.connections, durationS: options.durationS, next: () => ({ method: 'GET', path: '/hello', headers: {} }) });
  await hello.stop();
  log(`baseline: ${baseline.rps} req/s, p99 ${baseline.latencyMs.p99} ms`);

  const profileDir = options.profile ? mkdtempSync(join(tmpdir(), 'asiointitili-profile-')) : undefined;
  const api = await startApi(data.dataDir, { profileDir });
  const sends = new SendSequence(data, `bench-${Date.now().toString(36)}`);
  const sendLoad = (extra: { connections?: number; durationS?: number; amount?: number }) =>
    runLoad({ baseUrl: api.baseUrl, connections: extra.connections ?? options.connections, durationS: extra.durationS, amount: extra.amount, next: sends.next, onAnswer: sends.onAnswer });
  const sendPaced = (durationS: number, onAnswer?: (status: number, body: string, at: number) => void) =>
    runPaced({
      baseUrl: api.baseUrl,
      connections: options.connections,
      rate: options.fixedRate,
      durationS,
      next: sends.next,
      onAnswer: (status, body, at) => {
        sends.onAnswer(status);
        onAnswer?.(status, body, at);
      },
    });

  // 2. Warm-up (JIT, statement caches), then maximum send throughput.
  tally('warmup', await sendLoad({ connections: 16, durationS: 2 }));
  const before = await writeCounts(api.baseUrl);
  const cpuBeforeSends = api.cpuSeconds();
  const sendMax = await sendLoad({ durationS: options.durationS });
  const after = await writeCounts(api.baseUrl);
  // The worker's share is counted once it has applied what the phase sent.
  await waitForCatchUp(api.baseUrl);
  const cpuPerSend = cpuPerRequest(cpuBeforeSends, api.cpuSeconds(), sendMax.requests);
  const appendsPerCommit = round((after.appends - before.appends) / Math.max(1, after.transactions - before.transactions), 1);
  tally('send', sendMax);
  log(`send max: ${sendMax.rps} req/s, p99 ${sendMax.latencyMs.p99} ms; group commit: ${appendsPerCommit} appends per fsync; CPU per send: API ${cpuPerSend.serverUs} µs, worker ${cpuPerSend.workerUs} µs`);

  // 3. The tax-day rate: latency of each send and the lag until it is in the inbox.
  const probeStore = new SqliteReadStore({ dataDir: data.dataDir });
  const probe = new VisibilityProbe(probeStore);
  let answered = 0;
  probe.start();
  const sendBucketsBefore = await routeBuckets(api.baseUrl, 'POST', SEND_ROUTE, 201);
  const fixed = await sendPaced(options.fixedRateS, (status, body, at) => {
    if (status !== 201 || answered++ % options.lagSampleEvery !== 0) return;
    probe.track((JSON.parse(body) as { id: string }).id, at);
  });
  tally('fixed', fixed);
  const sendServerP99AtMostMs = quantileAtMostMs(sendBucketsBefore, await routeBuckets(api.baseUrl, 'POST', SEND_ROUTE, 201), 0.99);
  const lag = await probe.finish();
  await probeStore.close();
  const lagSummary = summarise(lag.lagsMs);
  log(`fixed ${options.fixedRate}/s: achieved ${fixed.rps}/s (generator late by up to ${fixed.maxDispatchDelayMs} ms), p50 ${fixed.latencyMs.p50} ms, p99 ${fixed.latencyMs.p99} ms; lag p99 ${lagSummary.p99} ms over ${lagSummary.count} samples`);

  // 4. Fill up to the inbox size, then read inboxes.
  const missing = options.inboxMessages - sends.created;
  if (missing > 0) {
    log(`topping up ${missing} messages`);
    tally('topup', await sendLoad({ amount: missing }));
  }
  await waitForCatchUp(api.baseUrl);
  const inbox = inboxRequests(data);
  const inboxLoad = (extra: { durationS: number; connections?: number }) =>
    runLoad({ baseUrl: api.baseUrl, connections: extra.connections ?? options.connections, durationS: extra.durationS, next: inbox });
  const inboxPaced = (durationS: number, rate: number) => runPaced({ baseUrl: api.baseUrl, connections: options.connections, rate, durationS, next: inbox });
  tally('inbox-warmup', await inboxLoad({ durationS: 2, connections: 16 }));
  const cpuBeforeReads = api.cpuSeconds();
  const inboxMax = await inboxLoad({ durationS: options.durationS });
  const cpuPerInboxRead = cpuPerRequest(cpuBeforeReads, api.cpuSeconds(), inboxMax.requests);
  tally('inbox', inboxMax);
  const inboxBucketsBefore = await routeBuckets(api.baseUrl, 'GET', INBOX_ROUTE, 200);
  const inboxFixed = await inboxPaced(options.durationS, options.inboxRate);
  const inboxServerP99AtMostMs = quantileAtMostMs(inboxBucketsBefore, await routeBuckets(api.baseUrl, 'GET', INBOX_ROUTE, 200), 0.99);
  tally('inbox-fixed', inboxFixed);
  log(`inbox: max ${inboxMax.rps} req/s (p99 ${inboxMax.latencyMs.p99} ms, CPU per read: API ${cpuPerInboxRead.serverUs} µs); at ${options.inboxRate}/s p50 ${inboxFixed.latencyMs.p50} ms, p99 ${inboxFixed.latencyMs.p99} ms`);

  // 5. Citizens reading while the agency sends at the tax-day rate.
  const [inboxBusy, sendBusy] = await Promise.all([
    inboxPaced(options.durationS, Math.round(options.inboxRate / 2)),
    sendPaced(options.durationS),
  ]);
  tally('inbox-busy', inboxBusy);
  tally('send-busy', sendBusy);
  log(`inbox during ${options.fixedRate} sends/s: p99 ${inboxBusy.latencyMs.p99} ms (sends p99 ${sendBusy.latencyMs.p99} ms)`);

  // 6. The bulk recipient check at API.md's limit.
  const recipientTimes = await timeRecipientCheck(api.baseUrl, data, options.quick ? 3 : 10);
  log(`recipient check of 10,000: p50 ${recipientTimes.p50} ms, max ${recipientTimes.max} ms`);

  // 7. Bulk sending, where the server offers it.
  const bulkRate = await measureBulkSend(api.baseUrl, data, options);

  await waitForCatchUp(api.baseUrl);
  const memory = api.memory();
  await api.stop();
  const profile = profileDir ? summariseProfile(join(profileDir, readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))!)) : null;

  // 8. Full projection rebuild of everything the run wrote.
  log('rebuilding the read models from the log');
  const rebuild = await measureRebuild(data.dataDir);
  log(`rebuild: ${rebuild.events} events in ${rebuild.seconds} s = ${rebuild.eventsPerSec} events/s`);

  // 9. The production shape, beside the embedded default.
  const production: ProductionOutcome = options.production ? await runProductionPhase(options) : { skipped: 'BENCH_PRODUCTION=0' };
  if ('skipped' in production) log(`production shape (PostgreSQL + FerretDB) skipped: ${production.skipped}`);

  const summary: BenchSummary = {
    baselineRps: baseline.rps,
    sendRps: sendMax.rps,
    sendToBaseline: round(sendMax.rps / baseline.rps),
    sendP99Ms: fixed.latencyMs.p99,
    projectionLagP99Ms: lagSummary.p99,
    inboxRps: inboxMax.rps,
    inboxP99Ms: inboxFixed.latencyMs.p99,
    rebuildEventsPerSec: rebuild.eventsPerSec,
    rssMb: memory.peakRssMb,
    details: {
      quick: options.quick,
      machine,
      citizens: options.citizens,
      seedSeconds: data.seedSeconds,
      baselineP99Ms: baseline.latencyMs.p99,
      sendMaxP99Ms: sendMax.latencyMs.p99,
      appendsPerCommit,
      cpuPerSendUs: cpuPerSend,
      cpuPerInboxReadUs: cpuPerInboxRead,
      fixedRate: options.fixedRate,
      fixedRateAchieved: fixed.rps,
      fixedRateSeconds: options.fixedRateS,
      sendP50Ms: fixed.latencyMs.p50,
      lagSamples: lagSummary.count,
      lagP50Ms: lagSummary.p50,
      lagMaxMs: lagSummary.max,
      lagNeverSeen: lag.neverSeen,
      messagesStored: sends.created + (bulkRate?.created ?? 0),
      inboxRate: options.inboxRate,
      inboxP50Ms: inboxFixed.latencyMs.p50,
      inboxMaxThroughputP99Ms: inboxMax.latencyMs.p99,
      sendServerP99AtMostMs,
      inboxServerP99AtMostMs,
      inboxDuringSendsP99Ms: inboxBusy.latencyMs.p99,
      recipientCheck10kP50Ms: recipientTimes.p50,
      recipientCheck10kMaxMs: recipientTimes.max,
      bulkSendMessagesPerSec: bulkRate?.messagesPerSec ?? null,
      rebuildEvents: rebuild.events,
      rebuildSeconds: rebuild.seconds,
      rssAfterRunMb: memory.rssMb,
      non2xx,
      profile,
      production,
      loadAverageAtEnd: describeMachine().loadAverage,
    },
  };
  process.stdout.write(humanTable(summary));
  if (options.writeDoc) writeBenchDoc(summary, options);
  if (!options.keepData) rmSync(data.dataDir, { recursive: true, force: true });
  else log(`data kept in ${data.dataDir}`);
  return summary;
}

export interface CpuPerRequest {
  readonly serverUs: number;
  /** Of serverUs, the API's main thread (its event loop). */
  readonly serverLoopUs?: number;
  readonly workerUs: number;
}

function cpuPerRequest(before: { server: number; serverLoop: number; children: number }, after: { server: number; serverLoop: number; children: number }, requests: number): CpuPerRequest {
  const perRequestUs = (seconds: number) => Math.round((seconds * 1e6) / Math.max(1, requests));
  return { serverUs: perRequestUs(after.server - before.server), serverLoopUs: perRequestUs(after.serverLoop - before.serverLoop), workerUs: perRequestUs(after.children - before.children) };
}

/** The embedded store's write counters, from GET /metrics. */
async function writeCounts(baseUrl: string): Promise<{ transactions: number; appends: number }> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { transactions: value('asiointitili_event_store_write_transactions'), appends: value('asiointitili_event_store_appends') };
}

async function timeRecipientCheck(baseUrl: string, data: BenchData, rounds: number) {
  const body = recipientCheckBody();
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/v1/agency/recipients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${data.agencyToken}`, 'content-type': 'application/json' },
      body,
    });
    const answer = (await response.json()) as { electronic?: string[] };
    times.push(performance.now() - started);
    if (response.status !== 200 || answer.electronic?.length !== Math.min(data.hetus.length, 10_000)) {
      throw new Error(`recipient check answered ${response.status} with ${answer.electronic?.length} electronic recipients`);
    }
  }
  return summarise(times);
}

/** Messages per second through POST /v1/agency/messages/bulk (1,000 per request, 4 requests in flight), or null where the server has no such route. */
async function measureBulkSend(baseUrl: string, data: BenchData, options: BenchOptions): Promise<{ messagesPerSec: number; created: number } | null> {
  const probe = await fetch(`${baseUrl}/v1/agency/messages/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${data.agencyToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [] }),
  });
  if (probe.status === 404) return null;
  const bulk = new BulkSequence(data, `bulk-${Date.now().toString(36)}`, BULK_SIZE);
  const result = await runLoad({ baseUrl, connections: 4, durationS: options.durationS, next: bulk.next, onAnswer: bulk.onAnswer });
  const messagesPerSec = Math.round(bulk.created / result.seconds);
  log(`bulk send: ${messagesPerSec} messages/s (${result.requests} requests of ${BULK_SIZE}, p99 ${result.latencyMs.p99} ms per request)`);
  return { messagesPerSec, created: bulk.created };
}

/** Messages per bulk request: the API's maximum. */
const BULK_SIZE = 1000;

function humanTable(summary: BenchSummary): string {
  const rows: Array<[string, string]> = [
    ['baselineRps (hello-world, same stack)', String(summary.baselineRps)],
    ['sendRps (c=64, max)', `${summary.sendRps} (${summary.sendToBaseline} of baseline)`],
    [`sendP99Ms at ${summary.details.fixedRate}/s`, String(summary.sendP99Ms)],
    ['projectionLagP99Ms', String(summary.projectionLagP99Ms)],
    ['inboxRps (c=64, max)', String(summary.inboxRps)],
    [`inboxP99Ms at ${summary.details.inboxRate}/s`, String(summary.inboxP99Ms)],
    ['rebuildEventsPerSec', String(summary.rebuildEventsPerSec)],
    ['rssMb (server peak)', String(summary.rssMb)],
  ];
  return `${rows.map(([name, value]) => `${name.padEnd(40)} ${value}`).join('\n')}\n`;
}
