import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BenchSummary } from './bench';
import type { BenchOptions } from './options';
import { productionTable } from './production-report';
import { profileTable } from './profile-summary';
import type { ScaleSummary } from './scale';

/** dist/bench/src → the repository root. */
export const BENCH_DOC = join(__dirname, '..', '..', '..', 'docs', 'benchmarks.md');

interface Target {
  readonly metric: string;
  readonly value: number;
  readonly goal: string;
  readonly met: boolean;
}

export function targetsOf(summary: BenchSummary): Target[] {
  return [
    { metric: 'sendRps / baselineRps', value: summary.sendToBaseline, goal: '≥ 0.25', met: summary.sendToBaseline >= 0.25 },
    { metric: 'sendP99Ms', value: summary.sendP99Ms, goal: '≤ 25', met: summary.sendP99Ms <= 25 },
    { metric: 'projectionLagP99Ms', value: summary.projectionLagP99Ms, goal: '≤ 200', met: summary.projectionLagP99Ms <= 200 },
    { metric: 'inboxP99Ms', value: summary.inboxP99Ms, goal: '≤ 10', met: summary.inboxP99Ms <= 10 },
    { metric: 'rebuildEventsPerSec', value: summary.rebuildEventsPerSec, goal: '≥ 50,000', met: summary.rebuildEventsPerSec >= 50_000 },
  ];
}

export function runSection(summary: BenchSummary, options: BenchOptions): string {
  const d = summary.details;
  const m = d.machine;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${m.nproc} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}; load average ${m.loadAverage} at the start, ${d.loadAverageAtEnd} at the end.`,
    `Command: \`${commandLine(options)}\`.`,
    '',
    '| metric | value | target | met |',
    '|---|---:|---|---|',
    ...targetsOf(summary).map((t) => `| ${t.metric} | ${t.value} | ${t.goal} | ${t.met ? 'yes' : '**no**'} |`),
    '',
    '| measurement | value |',
    '|---|---:|',
    `| baselineRps: hello-world, Nest on Express, c=${options.connections}, ${options.durationS} s | ${summary.baselineRps} (p99 ${d.baselineP99Ms} ms) |`,
    `| sendRps: POST /v1/agency/messages, c=${options.connections}, ${options.durationS} s | ${summary.sendRps} (p99 ${d.sendMaxP99Ms} ms) |`,
    `| … group commit: appends per durable transaction (fsync) | ${d.appendsPerCommit} |`,
    `| … CPU per send: API process (its event loop) / worker process | ${d.cpuPerSendUs.serverUs} (${d.cpuPerSendUs.serverLoopUs ?? '–'}) / ${d.cpuPerSendUs.workerUs} µs |`,
    `| sends at a fixed ${d.fixedRate}/s for ${d.fixedRateSeconds} s: achieved rate | ${d.fixedRateAchieved}/s |`,
    `| … send latency p50 / p99 | ${d.sendP50Ms} / ${summary.sendP99Ms} ms |`,
    `| … the same sends timed inside the API (its HTTP histogram): p99 | ${atMost(d.sendServerP99AtMostMs)} |`,
    `| … projection lag p50 / p99 / max (${d.lagSamples} samples, ${d.lagNeverSeen} never seen) | ${d.lagP50Ms} / ${summary.projectionLagP99Ms} / ${d.lagMaxMs} ms |`,
    `| messages stored when the inbox was read | ≥ ${options.inboxMessages} (${d.messagesStored} by the end) |`,
    `| inboxRps: GET /v1/citizen/messages, c=${options.connections} | ${summary.inboxRps} (p99 ${d.inboxMaxThroughputP99Ms} ms) |`,
    `| … CPU per inbox read: API process | ${d.cpuPerInboxReadUs.serverUs} µs |`,
    `| inbox latency at a fixed ${d.inboxRate}/s: p50 / p99 | ${d.inboxP50Ms} / ${summary.inboxP99Ms} ms |`,
    `| … the same reads timed inside the API (its HTTP histogram): p99 | ${atMost(d.inboxServerP99AtMostMs)} |`,
    `| inbox p99 at ${Math.round(d.inboxRate / 2)}/s while sending ${d.fixedRate}/s | ${d.inboxDuringSendsP99Ms} ms |`,
    `| POST /v1/agency/recipients with 10,000 codes: p50 / max | ${d.recipientCheck10kP50Ms} / ${d.recipientCheck10kMaxMs} ms |`,
    `| bulk send (POST /v1/agency/messages/bulk, 1,000 per request) | ${d.bulkSendMessagesPerSec === null ? 'not offered' : `${d.bulkSendMessagesPerSec} messages/s`} |`,
    `| rebuild: ${d.rebuildEvents} events | ${d.rebuildSeconds} s = ${summary.rebuildEventsPerSec} events/s |`,
    `| server RSS (API + worker): peak / at the end | ${summary.rssMb} / ${d.rssAfterRunMb} MB |`,
    `| seeding ${d.citizens} citizens (open + consent) through the handlers | ${d.seedSeconds} s |`,
    `| non-2xx answers and errors | ${Object.keys(d.non2xx).length === 0 ? 'none' : Object.entries(d.non2xx).map(([k, v]) => `${k} × ${v}`).join(', ')} |`,
  ];
  lines.push('', productionTable(summary));
  if (d.profile) lines.push('', 'Server CPU profile of this run (top functions by self time):', '', profileTable(d.profile));
  return lines.join('\n');
}

export function scaleSection(summary: ScaleSummary, options: BenchOptions): string {
  const m = summary.machine;
  return [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${m.nproc} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}; load average at start ${m.loadAverage}.`,
    `Command: \`${commandLine(options)}\`.`,
    '',
    `| messages stored | send p50 / p99 at ${summary.sendRate}/s | inbox p50 / p99 at ${summary.inboxRate}/s | rebuild | server RSS peak | events.sqlite | read-models.sqlite |`,
    '|---:|---|---|---|---:|---:|---:|',
    ...summary.levels.map(
      (row) =>
        `| ${row.messages.toLocaleString('en')} | ${row.sendP50Ms} / ${row.sendP99Ms} ms | ${row.inboxP50Ms} / ${row.inboxP99Ms} ms | ${row.rebuildEvents.toLocaleString('en')} events in ${row.rebuildSeconds} s (${row.rebuildEventsPerSec}/s) | ${row.rssMb} MB | ${row.eventsFileMb} MB | ${row.readModelsFileMb} MB |`,
    ),
  ].join('\n');
}

function commandLine(options: BenchOptions): string {
  const env = [options.quick ? 'BENCH_QUICK=1 ' : '', options.scale ? 'BENCH_SCALE=1 ' : '', options.profile ? 'BENCH_PROFILE=1 ' : ''].join('');
  return `${env}npm run bench`;
}

export function writeBenchDoc(summary: BenchSummary, options: BenchOptions): void {
  replaceSection('run', runSection(summary, options));
}

export function writeScaleDoc(summary: ScaleSummary, options: BenchOptions): void {
  replaceSection('scale', scaleSection(summary, options));
}

/** Replaces the generated part between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`, keeping the prose around it. */
export function replaceSection(name: string, content: string, file = BENCH_DOC): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${content}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next = from >= 0 && to > from ? text.slice(0, from) + block + text.slice(to + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, next);
}

/** A p99 known only as the bound of its histogram bucket (server-latency.ts); absent from older JSON. */
function atMost(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  return Number.isFinite(ms) ? `≤ ${ms} ms` : 'beyond the last bucket (> 10 s)';
}
