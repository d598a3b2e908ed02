/** Percentiles of raw samples (nearest-rank), so every latency in the summary is an observed value, not a bucket edge. */
export function percentile(samples: readonly number[], p: number): number {
  return percentileOfSorted(sortedCopy(samples), p);
}

function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (p < 0 || p > 100) throw new RangeError(`percentile must be between 0 and 100, got ${p}`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

function sortedCopy(samples: readonly number[]): number[] {
  return Float64Array.from(samples).sort() as unknown as number[];
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** One sort for all figures; no spread of the samples into arguments (a run holds hundreds of thousands). */
export function summarise(samples: readonly number[]): LatencySummary {
  const sorted = sortedCopy(samples);
  return {
    count: sorted.length,
    p50: round(percentileOfSorted(sorted, 50)),
    p99: round(percentileOfSorted(sorted, 99)),
    max: round(sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!),
  };
}

/** Two decimals: sub-millisecond precision is noise on a shared machine, but 0.4 ms is not 0. */
export function round(value: number, decimals = 2): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** The middle value, the upper one of the two for an even count: the figure the CPU tools quote over their rounds. */
export function upperMedian(values: readonly number[]): number {
  return sortedCopy(values)[Math.floor(values.length / 2)]!;
}
