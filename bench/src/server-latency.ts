/**
 * The API's own view of a route's latency: its HTTP histogram on GET /metrics
 * (`asiointitili_http_request_duration_seconds`, timed from the first middleware to the last byte
 * written), read before and after a phase. Beside the latency the load generator measures, it says
 * how much of a tail is the server's and how much is the generator's and the kernel's: both run
 * on the same two cores.
 */

/** Cumulative counts by bucket upper bound in seconds (`+Inf` as Infinity), for one route and status. */
export type Buckets = ReadonlyMap<number, number>;

const SERIES = 'asiointitili_http_request_duration_seconds_bucket';

/** The buckets of `method route` answered `status`, from the text of GET /metrics. */
export function bucketsOf(metricsText: string, method: string, route: string, status: number): Buckets {
  const buckets = new Map<number, number>();
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(`${SERIES}{`)) continue;
    const labels = line.slice(SERIES.length + 1, line.lastIndexOf('}'));
    if (!labels.includes(`method="${method}"`) || !labels.includes(`route="${route}"`) || !labels.includes(`status="${status}"`)) continue;
    const le = /le="([^"]+)"/.exec(labels)?.[1];
    if (le === undefined) continue;
    buckets.set(le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return buckets;
}

/**
 * The upper bound, in milliseconds, of the bucket in which the q-quantile of the requests counted
 * between `before` and `after` falls: "p99 at most this". Null when no request was counted.
 */
export function quantileAtMostMs(before: Buckets, after: Buckets, q: number): number | null {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counted = (bound: number) => (after.get(bound) ?? 0) - (before.get(bound) ?? 0);
  const total = counted(Number.POSITIVE_INFINITY);
  if (!(total > 0)) return null;
  const bound = bounds.find((candidate) => counted(candidate) >= q * total) ?? Number.POSITIVE_INFINITY;
  return bound === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : Math.round(bound * 1e6) / 1e3;
}

/** Reads the route's buckets from a running API. */
export async function routeBuckets(baseUrl: string, method: string, route: string, status: number): Promise<Buckets> {
  return bucketsOf(await (await fetch(`${baseUrl}/metrics`)).text(), method, route, status);
}
