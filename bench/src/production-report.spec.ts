import type { BenchSummary } from './bench';
import type { ProductionResult } from './production-phase';
import { productionTable } from './production-report';

const embedded = {
  sendRps: 900,
  sendP99Ms: 20,
  projectionLagP99Ms: 150,
  inboxP99Ms: 9,
  details: { sendMaxP99Ms: 100, cpuPerSendUs: { serverUs: 800, workerUs: 400 }, fixedRate: 1000, fixedRateAchieved: 990, sendP50Ms: 3, lagP50Ms: 50, lagMaxMs: 250, lagNeverSeen: 0, inboxRate: 500, inboxP50Ms: 1.5, non2xx: {} },
};

const withProduction = (production: ProductionResult | { skipped: string }) => ({ ...embedded, details: { ...embedded.details, production } }) as unknown as BenchSummary;

describe('the production shape in the benchmarks document', () => {
  it('says in one line why it was not measured', () => {
    expect(productionTable(withProduction({ skipped: 'PostgreSQL did not answer at postgresql://postgres@127.0.0.1:5432/postgres' }))).toBe(
      'Production shape (events in PostgreSQL, read models on FerretDB): not measured in this run, PostgreSQL did not answer at postgresql://postgres@127.0.0.1:5432/postgres.',
    );
  });

  it('puts its figures beside the embedded default’s', () => {
    const table = productionTable(
      withProduction({
        stores: 'events in PostgreSQL, read models on FerretDB',
        citizens: 2000,
        seedSeconds: 3,
        startSeconds: 9,
        phaseSeconds: 10,
        sendRps: 300,
        sendMaxP99Ms: 400,
        cpuPerSendApiUs: 1500,
        catchUpAfterMaxSeconds: null,
        catchUpBeforeInboxSeconds: 12.5,
        fixedRate: 1000,
        fixedRateAchieved: 310,
        sendP50Ms: 5000,
        sendP99Ms: 9000,
        lagSamples: 400,
        lagP50Ms: 2000,
        lagP99Ms: 8000,
        lagMaxMs: 9000,
        lagNeverSeen: 12,
        inboxRate: 500,
        inboxP50Ms: 4,
        inboxP99Ms: 30,
        non2xx: { 'fixed:503': 2 },
      }),
    );
    expect(table).toContain('| sendRps, c=64 (max) | 900 (p99 100 ms) | 300 (p99 400 ms) |');
    expect(table).toContain('| … worker caught up after the max phase | – | not within 30 s |');
    expect(table).toContain('the inbox was read while it still projected) | – | after 12.5 s |');
    expect(table).toContain('| … projection lag p50 / p99 / max (never seen within 10 s) | 50 / 150 / 250 ms (0) | 2000 / 8000 / 9000 ms (12) |');
    expect(table).toContain('| non-2xx answers and errors | none | fixed:503 × 2 |');
  });

  it('says that no probed message was seen rather than printing percentiles of nothing', () => {
    const measured = { stores: 's', citizens: 1, seedSeconds: 1, startSeconds: 1, phaseSeconds: 5, sendRps: 1, sendMaxP99Ms: 1, cpuPerSendApiUs: 1, catchUpAfterMaxSeconds: null, catchUpBeforeInboxSeconds: null, fixedRate: 1000, fixedRateAchieved: 299, sendP50Ms: 1, sendP99Ms: 1, lagSamples: 0, lagP50Ms: Number.NaN, lagP99Ms: Number.NaN, lagMaxMs: Number.NaN, lagNeverSeen: 1000, inboxRate: 500, inboxP50Ms: 1, inboxP99Ms: 1, non2xx: {} };
    expect(productionTable(withProduction(measured))).toContain('| 50 / 150 / 250 ms (0) | none seen (1000) |');
  });
});
