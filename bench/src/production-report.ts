import type { BenchSummary } from './bench';

/** The production shape's figures beside the embedded default's of the same run, as a markdown table (or the line saying why it did not run). */
export function productionTable(summary: BenchSummary): string {
  const d = summary.details;
  const p = d.production;
  if ('skipped' in p) return `Production shape (events in PostgreSQL, read models on FerretDB): not measured in this run, ${p.skipped}.`;
  return [
    `Production shape beside the embedded default, same run: ${p.stores}; ${p.citizens} citizens, phases of ${p.phaseSeconds} s (the embedded run's are longer, and its inbox holds ≥ 100,000 messages; this one's only what the phases sent).`,
    '',
    '| measurement | embedded default | PostgreSQL + FerretDB |',
    '|---|---:|---:|',
    `| sendRps, c=64 (max) | ${summary.sendRps} (p99 ${d.sendMaxP99Ms} ms) | ${p.sendRps} (p99 ${p.sendMaxP99Ms} ms) |`,
    `| … CPU per send, API process | ${d.cpuPerSendUs.serverUs} µs | ${p.cpuPerSendApiUs} µs |`,
    `| … worker caught up after the max phase | – | ${caughtUp(p.catchUpAfterMaxSeconds)} |`,
    `| sends at a fixed ${d.fixedRate}/s: achieved | ${d.fixedRateAchieved}/s | ${p.fixedRateAchieved}/s |`,
    `| … send latency p50 / p99 | ${d.sendP50Ms} / ${summary.sendP99Ms} ms | ${p.sendP50Ms} / ${p.sendP99Ms} ms |`,
    `| … projection lag p50 / p99 / max (never seen within 10 s) | ${d.lagP50Ms} / ${summary.projectionLagP99Ms} / ${d.lagMaxMs} ms (${d.lagNeverSeen}) | ${p.lagSamples === 0 ? `none seen (${p.lagNeverSeen})` : `${p.lagP50Ms} / ${p.lagP99Ms} / ${p.lagMaxMs} ms (${p.lagNeverSeen})`} |`,
    `| … worker caught up after the fixed-rate phase (else the inbox was read while it still projected) | – | ${caughtUp(p.catchUpBeforeInboxSeconds)} |`,
    `| inbox latency at a fixed ${d.inboxRate}/s: p50 / p99 | ${d.inboxP50Ms} / ${summary.inboxP99Ms} ms | ${p.inboxP50Ms} / ${p.inboxP99Ms} ms |`,
    `| API start until its worker had projected the seeded log | – | ${p.startSeconds} s |`,
    `| non-2xx answers and errors | ${Object.keys(d.non2xx).length === 0 ? 'none' : Object.keys(d.non2xx).length} | ${Object.keys(p.non2xx).length === 0 ? 'none' : Object.entries(p.non2xx).map(([k, v]) => `${k} × ${v}`).join(', ')} |`,
  ].join('\n');
}

const caughtUp = (seconds: number | null): string => (seconds === null ? 'not within 30 s' : `after ${seconds} s`);
