import { performance } from 'node:perf_hooks';
// autocannon ships no types; the subset used here is declared in autocannon.d.ts.
import autocannon from 'autocannon';
import { round, summarise, type LatencySummary } from './stats';

export interface RequestSpec {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface LoadOptions {
  readonly baseUrl: string;
  readonly connections: number;
  /** Seconds; ignored when `amount` is set. */
  readonly durationS?: number;
  /** Stop after this many requests. */
  readonly amount?: number;
  /** Requests per second over all connections; unlimited when absent. */
  readonly overallRate?: number;
  /** Called once per request: the request to send next. */
  readonly next: () => RequestSpec;
  /** Called with every answer (status, body) at the moment it arrived (performance.now()). */
  readonly onAnswer?: (status: number, body: string, answeredAt: number) => void;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly latencyMs: LatencySummary;
  /** Answers by status code, plus connection errors and timeouts. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly errors: number;
}

/**
 * One autocannon run. Latencies are the raw per-request times autocannon measures (ms, from the
 * request written to the response complete), kept unbucketed so that p99 is an observed value.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const instance = autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.durationS ?? 10,
    amount: options.amount,
    overallRate: options.overallRate,
    timeout: 30,
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => ({ ...request, ...options.next() }),
        onResponse: (status: number, body: string) => options.onAnswer?.(status, body, performance.now()),
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const result = await instance;
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    seconds: round(seconds),
    rps: Math.round(latencies.length / seconds),
    latencyMs: summarise(latencies),
    statuses,
    errors: result.errors + result.timeouts,
  };
}
