import { DEFAULT_FERRETDB_BINARY, DEFAULT_POSTGRES_URL } from './production-stores';

/**
 * Bench settings from the environment (or `--name=value` flags, which win). Defaults give the
 * one full run of about five minutes; BENCH_QUICK=1 shrinks every phase to seconds for checking
 * the bench itself; BENCH_SCALE=1 runs the cost-growth table instead.
 */
export interface BenchOptions {
  readonly quick: boolean;
  readonly scale: boolean;
  readonly citizens: number;
  /** Messages stored before the inbox is measured. */
  readonly inboxMessages: number;
  /** Seconds of each max-throughput phase. */
  readonly durationS: number;
  /** The fixed send rate of the latency/lag phase, and its length. */
  readonly fixedRate: number;
  readonly fixedRateS: number;
  /** Fixed inbox request rate for inboxP99Ms. */
  readonly inboxRate: number;
  readonly connections: number;
  /** Every n-th message of the fixed-rate phase is probed for projection lag. */
  readonly lagSampleEvery: number;
  /** Send rate of the scaling table's latency column: below saturation, so that growth shows and queueing does not. */
  readonly scaleSendRate: number;
  /** Message counts of the scaling table. */
  readonly scaleLevels: readonly number[];
  /** Write the results into docs/benchmarks.md (default: yes for full runs, no for quick ones). */
  readonly writeDoc: boolean;
  /** Run the server under --cpu-prof and summarise the profile. */
  readonly profile: boolean;
  /** Leave the temporary DATA_DIR in place (its path is printed) instead of deleting it. */
  readonly keepData: boolean;
  /** Run the production-shape phases too (events in PostgreSQL, read models on FerretDB), where both are there. */
  readonly production: boolean;
  /** Seconds of each production-shape phase, and its citizens. */
  readonly productionDurationS: number;
  readonly productionCitizens: number;
  /** The PostgreSQL server of the production shape (a database per run is created and dropped there), and the FerretDB binary. */
  readonly postgresUrl: string;
  readonly ferretDbBinary: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export function readOptions(env: Env, argv: readonly string[]): BenchOptions {
  const merged: Record<string, string | undefined> = { ...env };
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg}; use --name=value (e.g. --quick, --scale, --citizens=10000)`);
    merged[`BENCH_${match[1]!.toUpperCase().replace(/-/g, '_')}`] = match[2] ?? '1';
  }
  const quick = flag(merged, 'BENCH_QUICK');
  const scale = flag(merged, 'BENCH_SCALE');
  return {
    quick,
    scale,
    citizens: int(merged, 'BENCH_CITIZENS', quick ? 2_000 : 10_000),
    inboxMessages: int(merged, 'BENCH_INBOX_MESSAGES', quick ? 10_000 : 100_000),
    durationS: int(merged, 'BENCH_DURATION', quick ? 3 : 20),
    fixedRate: int(merged, 'BENCH_FIXED_RATE', 1_000),
    fixedRateS: int(merged, 'BENCH_FIXED_RATE_SECONDS', quick ? 5 : 30),
    inboxRate: int(merged, 'BENCH_INBOX_RATE', 500),
    connections: int(merged, 'BENCH_CONNECTIONS', 64),
    lagSampleEvery: int(merged, 'BENCH_LAG_SAMPLE_EVERY', 5),
    scaleSendRate: int(merged, 'BENCH_SCALE_SEND_RATE', 500),
    scaleLevels: list(merged, 'BENCH_SCALE_LEVELS', quick ? [2_000, 10_000] : [10_000, 100_000, 1_000_000]),
    writeDoc: merged.BENCH_WRITE_DOC === undefined ? !quick : flag(merged, 'BENCH_WRITE_DOC'),
    profile: flag(merged, 'BENCH_PROFILE'),
    keepData: flag(merged, 'BENCH_KEEP_DATA'),
    production: merged.BENCH_PRODUCTION === undefined ? true : flag(merged, 'BENCH_PRODUCTION'),
    productionDurationS: int(merged, 'BENCH_PRODUCTION_DURATION', quick ? 3 : 5),
    productionCitizens: int(merged, 'BENCH_PRODUCTION_CITIZENS', 2_000),
    postgresUrl: merged.BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL,
    ferretDbBinary: merged.BENCH_FERRETDB || DEFAULT_FERRETDB_BINARY,
  };
}

function flag(env: Env, name: string): boolean {
  const value = env[name];
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new Error(`${name} must be 1 or 0, got "${value}"`);
}

function int(env: Env, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`${name} must be a positive whole number, got "${value}"`);
  return Number(value);
}

function list(env: Env, name: string, fallback: readonly number[]): readonly number[] {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parts = value.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^\d+$/.test(part))) throw new Error(`${name} must be comma-separated whole numbers, got "${value}"`);
  return parts.map(Number).sort((a, b) => a - b);
}
