import { bucketsOf, quantileAtMostMs } from './server-latency';

const metrics = (counts: readonly number[]) =>
  [
    '# HELP asiointitili_http_request_duration_seconds x',
    ...[0.001, 0.0025, 0.005, 0.01].map((le, i) => `asiointitili_http_request_duration_seconds_bucket{le="${le}",method="GET",route="/v1/citizen/messages",status="200"} ${counts[i]}`),
    `asiointitili_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/v1/citizen/messages",status="200"} ${counts[4]}`,
    'asiointitili_http_request_duration_seconds_bucket{le="0.001",method="POST",route="/v1/agency/messages",status="201"} 999',
    'asiointitili_http_request_duration_seconds_bucket{le="0.001",method="GET",route="/v1/citizen/messages/:id",status="200"} 999',
  ].join('\n');

describe("the API's own latency of a route, from its histogram", () => {
  it('reads the buckets of exactly that method, route and status', () => {
    const buckets = bucketsOf(metrics([1, 2, 3, 4, 5]), 'GET', '/v1/citizen/messages', 200);
    expect([...buckets.entries()]).toEqual([[0.001, 1], [0.0025, 2], [0.005, 3], [0.01, 4], [Number.POSITIVE_INFINITY, 5]]);
  });

  it('gives the upper bound of the bucket holding the quantile of the requests counted between two readings', () => {
    const before = bucketsOf(metrics([100, 100, 100, 100, 100]), 'GET', '/v1/citizen/messages', 200);
    // 1,000 requests in the phase: 900 within 1 ms, 985 within 2.5 ms, 995 within 5 ms, all within 10 ms.
    const after = bucketsOf(metrics([1000, 1085, 1095, 1100, 1100]), 'GET', '/v1/citizen/messages', 200);
    expect(quantileAtMostMs(before, after, 0.5)).toBe(1);
    expect(quantileAtMostMs(before, after, 0.99)).toBe(5);
    expect(quantileAtMostMs(before, after, 1)).toBe(10);
  });

  it('says infinity when the quantile lies beyond the last finite bucket, and null when nothing was counted', () => {
    const before = bucketsOf(metrics([0, 0, 0, 0, 0]), 'GET', '/v1/citizen/messages', 200);
    expect(quantileAtMostMs(before, bucketsOf(metrics([0, 0, 0, 90, 100]), 'GET', '/v1/citizen/messages', 200), 0.99)).toBe(Number.POSITIVE_INFINITY);
    expect(quantileAtMostMs(before, before, 0.99)).toBeNull();
  });
});
