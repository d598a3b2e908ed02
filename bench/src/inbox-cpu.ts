/**
 * CPU time per inbox read of the API process, and the inbox's latency at a fixed rate, on a
 * realistic store: CITIZENS consenting citizens and MESSAGES messages spread over them (the bench's
 * own sequence, written through the handlers and projected before the server starts), the API as
 * `npm start` runs it (with its worker process). The first INBOX_READERS citizens' first pages
 * (GET /v1/citizen/messages, 50 items with the defaults) are read round-robin: ROUNDS rounds of
 * READS reads over CONNECTIONS connections (closed loop), the API's user + system CPU over each
 * round (from /proc) divided by the reads answered; then, with RATE > 0, PACED_ROUNDS rounds of
 * RATE reads/s for SECONDS seconds (open loop, bench/src/paced-load.ts) for p50/p99.
 *
 *   node scripts/built.js dist/bench/src/inbox-cpu.js   (CITIZENS=2000 MESSAGES=100000 READS=10000 ROUNDS=3 CONNECTIONS=16 RATE=500 SECONDS=20 PACED_ROUNDS=2)
 *
 * COMPARE=<another build's dist/apps/api/src/main.js> measures both builds side by side, each on its
 * own copy of the same seeded DATA_DIR, alternating round by round (the order alternating too), and
 * prints the median of the per-round differences. SEED_DIR=<dir> seeds once into that directory
 * (kept) and copies it on later runs, so a 100k store is not written again for every measurement.
 * PROFILE=1 runs the (first) server under --cpu-prof; SERVER_NODE_ARGS adds node flags to it
 * (--perf-basic-prof for perf(1)); PAUSE_BEFORE_ROUNDS=<s> prints the API's pid and waits, for
 * `perf record -p`. Prints one JSON line. A measuring tool, not a test: nothing here asserts a time.
 */
import { installModuleAliases } from '../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { Logger } from '@nestjs/common';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenService } from '@asiointitili/app/auth/token-service';
import { API_SCRIPT, startApi } from './api-server';
import { sleep, type ChildServer } from './child-server';
import { AGENCY_ID, INBOX_READERS, openBenchRuntime, prepareData, type BenchData } from './fixture';
import { runLoad } from './load';
import { describeMachine } from './machine';
import { upperMedian as median } from './stats';
import { runPaced } from './paced-load';
import { population } from './population';
import { inboxRequests } from './requests';
import { fill } from './scale';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

interface CpuRound {
  readonly apiUs: number;
  readonly rps: number;
}

interface PacedRound {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly achievedRps: number;
  readonly load: string;
}

/** A seeded DATA_DIR: copied from SEED_DIR when it holds one, else seeded there (or in a temporary directory). */
async function seededDataDir(citizens: number, messages: number): Promise<string> {
  const seedDir = process.env.SEED_DIR;
  if (seedDir && existsSync(join(seedDir, 'seeded'))) return copyOf(seedDir);
  const data = await prepareData(citizens);
  await fill(data.dataDir, data.hetus, 'inbox-cpu', 0, messages);
  if (!seedDir) return data.dataDir;
  cpSync(data.dataDir, seedDir, { recursive: true });
  writeFileSync(join(seedDir, 'seeded'), `${citizens} citizens, ${messages} messages\n`); // a marker: the seed finished
  rmSync(data.dataDir, { recursive: true, force: true });
  return copyOf(seedDir);
}

function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'inbox-cpu-'));
  cpSync(dir, copy, { recursive: true, filter: (source) => !source.endsWith('/seeded') });
  return copy;
}

/** Tokens of the first INBOX_READERS citizens, signed with the key in `dataDir` (the one the server will use). */
async function readersOf(dataDir: string, citizens: number): Promise<BenchData> {
  const runtime = await openBenchRuntime(dataDir);
  try {
    const tokens = new TokenService(runtime.keyRing, runtime.citizenRefs, runtime.clock);
    const hetus = population(citizens);
    const readers = [];
    for (const hetu of hetus.slice(0, INBOX_READERS)) readers.push({ hetu, token: await tokens.mint({ role: 'citizen', hetu }) });
    const agencyToken = await tokens.mint({ role: 'agency', agency: AGENCY_ID });
    return { dataDir, env: { DATA_DIR: dataDir }, hetus, agencyToken, readers, seedSeconds: 0 };
  } finally {
    await runtime.close();
  }
}

/** One server under test on its own copy of the seeded DATA_DIR. */
class MeasuredServer {
  private constructor(
    readonly script: string,
    private readonly data: BenchData,
    readonly api: ChildServer,
    private readonly connections: number,
    private readonly next = inboxRequests(data),
  ) {}

  static async start(script: string, dataDir: string, citizens: number, connections: number, nodeArgs: readonly string[]): Promise<MeasuredServer> {
    const data = await readersOf(dataDir, citizens);
    const api = await startApi(dataDir, { script, nodeArgs });
    const server = new MeasuredServer(script, data, api, connections);
    await server.read(2000); // JIT, statement caches, the token cache
    return server;
  }

  async cpuRound(reads: number): Promise<CpuRound> {
    const before = this.api.cpuSeconds();
    const result = await this.read(reads);
    const after = this.api.cpuSeconds();
    const failed = result.requests - (result.statuses['200'] ?? 0);
    if (failed > 0 || result.errors > 0) throw new Error(`${failed} reads not 200, ${result.errors} errors: ${JSON.stringify(result.statuses)}`);
    return { apiUs: Math.round(((after.server - before.server) * 1e6) / result.requests), rps: result.rps };
  }

  async pacedRound(rate: number, seconds: number): Promise<PacedRound> {
    const result = await runPaced({ baseUrl: this.api.baseUrl, connections: this.connections, rate, durationS: seconds, next: this.next });
    if ((result.statuses['200'] ?? 0) !== result.requests) throw new Error(`paced reads not all 200: ${JSON.stringify(result.statuses)}`);
    return { p50Ms: result.latencyMs.p50, p99Ms: result.latencyMs.p99, achievedRps: result.rps, load: describeMachine().loadAverage };
  }

  async stop(): Promise<void> {
    await this.api.stop();
    rmSync(this.data.dataDir, { recursive: true, force: true });
  }

  private read(amount: number) {
    return runLoad({ baseUrl: this.api.baseUrl, connections: this.connections, amount, next: this.next });
  }
}

/** Round i runs the servers in one order, round i+1 in the other: both see the same drift of the machine's load. */
async function alternating<T>(servers: readonly MeasuredServer[], rounds: number, measure: (server: MeasuredServer) => Promise<T>): Promise<T[][]> {
  const results: T[][] = servers.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = servers.map((_, i) => (round % 2 === 0 ? i : servers.length - 1 - i));
    for (const i of order) results[i]!.push(await measure(servers[i]!));
  }
  return results;
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const [citizens, messages, reads, rounds, connections] = [env('CITIZENS', 2000), env('MESSAGES', 100_000), env('READS', 10_000), env('ROUNDS', 3), env('CONNECTIONS', 16)];
  const [rate, seconds, pacedRounds] = [env('RATE', 500), env('SECONDS', 20), env('PACED_ROUNDS', 2)];
  const profileDir = process.env.PROFILE === '1' ? mkdtempSync(join(tmpdir(), 'inbox-cpu-profile-')) : undefined;
  const nodeArgs = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...(process.env.SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  const scripts = [process.env.API_SCRIPT ?? API_SCRIPT, ...(process.env.COMPARE ? [process.env.COMPARE] : [])];
  const seeded = await seededDataDir(citizens, messages);
  const servers: MeasuredServer[] = [];
  try {
    for (const [i, script] of scripts.entries()) {
      const dataDir = i === scripts.length - 1 ? seeded : copyOf(seeded);
      servers.push(await MeasuredServer.start(script, dataDir, citizens, connections, i === 0 ? nodeArgs : []));
    }
    const pause = env('PAUSE_BEFORE_ROUNDS', 0);
    if (pause > 0) {
      console.error(`API pid ${servers[0]!.api.pid}; measuring in ${pause} s`);
      await sleep(pause * 1000);
    }
    const cpu = await alternating(servers, rounds, (server) => server.cpuRound(reads));
    const paced = rate > 0 ? await alternating(servers, pacedRounds, (server) => server.pacedRound(rate, seconds)) : servers.map(() => []);
    for (const server of servers) await server.stop();
    const profile = profileDir ? join(profileDir, readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))!) : undefined;
    const summary = (i: number) => ({ script: scripts[i], cpuRounds: cpu[i], apiUsMedian: median(cpu[i]!.map((r) => r.apiUs)), pacedRounds: paced[i] });
    console.log(
      JSON.stringify({
        load: describeMachine().loadAverage,
        citizens,
        messages,
        reads,
        connections,
        rate,
        ...summary(0),
        // Per round, this build's API CPU per read minus the other's: the median is the difference to quote.
        ...(servers.length > 1 ? { compared: summary(1), apiUsDifferenceMedian: median(cpu[0]!.map((r, i) => r.apiUs - cpu[1]![i]!.apiUs)) } : {}),
        profile,
      }),
    );
  } finally {
    for (const server of servers) await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
