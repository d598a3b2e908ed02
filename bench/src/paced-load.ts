import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadResult, RequestSpec } from './load';
import { round, summarise } from './stats';

export interface PacedOptions {
  readonly baseUrl: string;
  /** Requests per second, evenly spaced. */
  readonly rate: number;
  readonly durationS: number;
  /** Most requests in flight (keep-alive sockets); a request due when all are busy waits for one. */
  readonly connections: number;
  readonly next: () => RequestSpec;
  readonly onAnswer?: (status: number, body: string, answeredAt: number) => void;
}

export interface PacedResult extends LoadResult {
  /** How late the latest request left compared to its slot: the generator's own lag, in ms. */
  readonly maxDispatchDelayMs: number;
}

/**
 * Open-loop load at a fixed rate: request i is due at start + i/rate and leaves then, whether or
 * not earlier answers came back (autocannon's overallRate instead lets each connection send its
 * share in a burst at the start of every second, which measures its own bursts). Latency is
 * counted from the request's due time, so a server that falls behind is charged for the wait
 * (no coordinated omission), including waiting for a free connection.
 */
export async function runPaced(options: PacedOptions): Promise<PacedResult> {
  const url = new URL(options.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let maxDispatchDelay = 0;
  const total = Math.round(options.rate * options.durationS);
  const interval = 1000 / options.rate;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();

  const send = (dueAt: number): Promise<void> =>
    new Promise((resolve) => {
      const spec = options.next();
      const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: spec.method,
          path: spec.path,
          headers: body ? { ...spec.headers, 'content-length': String(body.length) } : spec.headers,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const now = performance.now();
            latencies.push(now - dueAt);
            const status = response.statusCode ?? 0;
            statuses[status] = (statuses[status] ?? 0) + 1;
            options.onAnswer?.(status, Buffer.concat(chunks).toString('utf8'), now);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });

  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - started) / interval) + 1);
    for (; sent < due; sent++) {
      const dueAt = started + sent * interval;
      maxDispatchDelay = Math.max(maxDispatchDelay, now - dueAt);
      const pending = send(dueAt);
      inFlight.add(pending);
      void pending.then(() => inFlight.delete(pending));
    }
    // Timers fire at ~1 ms granularity: up to rate/1000 requests leave together.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + sent * interval - performance.now())));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    seconds: round(seconds),
    rps: Math.round(latencies.length / seconds),
    latencyMs: summarise(latencies),
    statuses,
    errors,
    maxDispatchDelayMs: round(maxDispatchDelay),
  };
}
