/**
 * CPU time per send of the server processes, the bench's maximum-throughput send phase alone:
 * the API as `npm start` runs it (with its worker process) on a fresh DATA_DIR of CITIZENS
 * consenting citizens, a warm-up, then ROUNDS rounds of SENDS sends over CONNECTIONS
 * connections (closed loop); after each round the worker is waited for, and the user + system
 * CPU of each process over the round (from /proc) is divided by the sends answered.
 *
 *   node scripts/built.js dist/bench/src/send-cpu.js   (CITIZENS=2000 SENDS=4000 ROUNDS=3 CONNECTIONS=16)
 *
 * API_SCRIPT=<another build's dist/apps/api/src/main.js> measures that build's server instead;
 * COMPARE=<another build's main.js> measures both side by side, each on its own DATA_DIR seeded
 * the same way, a round of one then a round of the other (the order alternating), and prints the median
 * of the per-round differences (the figure to quote on a shared machine); PROFILE=1 runs the server under
 * --cpu-prof and prints the profile's path (summarise it with profile-summary.js --inclusive);
 * SERVER_NODE_ARGS adds node flags to the server (--perf-basic-prof lets perf(1) name JS frames);
 * KEEP_DATA=1 leaves the DATA_DIRs in place and prints their paths.
 * Prints one JSON line. A measuring tool, not a test: nothing here asserts a time.
 */
import { installModuleAliases } from '../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { Logger } from '@nestjs/common';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_SCRIPT, startApi, waitForCatchUp } from './api-server';
import type { ChildServer } from './child-server';
import { prepareData, type BenchData } from './fixture';
import { runLoad } from './load';
import { describeMachine } from './machine';
import { upperMedian as median } from './stats';
import { SendSequence } from './requests';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

interface Round {
  readonly apiUs: number;
  /** Of apiUs, the API's main thread: its event loop. */
  readonly apiLoopUs: number;
  readonly workerUs: number;
  readonly rps: number;
}

/** One server under test on its own DATA_DIR, with the sends that measure it. */
class MeasuredServer {
  private constructor(
    readonly script: string,
    private readonly data: BenchData,
    private readonly api: ChildServer,
    private readonly connections: number,
    private readonly sequence = new SendSequence(data, `cpu-${Date.now().toString(36)}`),
  ) {}

  static async start(script: string, citizens: number, connections: number, profileDir?: string): Promise<MeasuredServer> {
    const data = await prepareData(citizens);
    const api = await startApi(data.dataDir, { profileDir, script, nodeArgs: process.env.SERVER_NODE_ARGS?.split(' ').filter(Boolean) });
    const server = new MeasuredServer(script, data, api, connections);
    await server.send(1000); // JIT, statement caches
    await waitForCatchUp(api.baseUrl);
    return server;
  }

  get dataDir(): string {
    return this.data.dataDir;
  }

  /** CPU per send of the API and of its worker over `sends` sends, the worker's share counted once it has applied them. */
  async round(sends: number): Promise<Round> {
    const before = this.api.cpuSeconds();
    const result = await this.send(sends);
    await waitForCatchUp(this.api.baseUrl);
    const after = this.api.cpuSeconds();
    const failed = result.requests - (result.statuses['201'] ?? 0);
    if (failed > 0 || result.errors > 0) throw new Error(`${failed} sends not created, ${result.errors} errors: ${JSON.stringify(result.statuses)}`);
    const us = (seconds: number) => Math.round((seconds * 1e6) / result.requests);
    return { apiUs: us(after.server - before.server), apiLoopUs: us(after.serverLoop - before.serverLoop), workerUs: us(after.children - before.children), rps: result.rps };
  }

  async stop(keepData: boolean): Promise<void> {
    await this.api.stop();
    if (!keepData) rmSync(this.data.dataDir, { recursive: true, force: true });
  }

  private send(amount: number) {
    return runLoad({ baseUrl: this.api.baseUrl, connections: this.connections, amount, next: this.sequence.next, onAnswer: this.sequence.onAnswer });
  }
}

const summary = (server: MeasuredServer, rounds: readonly Round[]) => ({
  script: server.script,
  rounds,
  apiUsMedian: median(rounds.map((r) => r.apiUs)),
  apiLoopUsMedian: median(rounds.map((r) => r.apiLoopUs)),
  workerUsMedian: median(rounds.map((r) => r.workerUs)),
});

async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const [citizens, sends, rounds, connections] = [env('CITIZENS', 2000), env('SENDS', 4000), env('ROUNDS', 3), env('CONNECTIONS', 16)];
  const keepData = process.env.KEEP_DATA === '1';
  const compare = process.env.COMPARE;
  const profileDir = process.env.PROFILE === '1' ? mkdtempSync(join(tmpdir(), 'send-cpu-profile-')) : undefined;
  const servers = [await MeasuredServer.start(process.env.API_SCRIPT ?? API_SCRIPT, citizens, connections, profileDir)];
  try {
    if (compare) servers.push(await MeasuredServer.start(compare, citizens, connections));
    const results: Round[][] = servers.map(() => []);
    for (let round = 0; round < rounds; round++) {
      // Side by side, the order alternating: both builds see the same drift of the machine's load.
      const order = round % 2 === 0 ? servers.map((_, i) => i) : servers.map((_, i) => servers.length - 1 - i);
      for (const i of order) results[i]!.push(await servers[i]!.round(sends));
    }
    for (const server of servers) await server.stop(keepData);
    const profile = profileDir ? join(profileDir, readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))!) : undefined;
    const [measured, other] = servers.map((server, i) => summary(server, results[i]!));
    console.log(
      JSON.stringify({
        load: describeMachine().loadAverage,
        sends,
        connections,
        ...measured!,
        // Per round, this build's API CPU per send minus the other's: the median is the difference to quote.
        ...(other ? { compared: other, apiUsDifferenceMedian: median(results[0]!.map((r, i) => r.apiUs - results[1]![i]!.apiUs)), apiLoopUsDifferenceMedian: median(results[0]!.map((r, i) => r.apiLoopUs - results[1]![i]!.apiLoopUs)), workerUsDifferenceMedian: median(results[0]!.map((r, i) => r.workerUs - results[1]![i]!.workerUs)) } : {}),
        profile,
        dataDirs: keepData ? servers.map((server) => server.dataDir) : undefined,
      }),
    );
  } finally {
    for (const server of servers) await server.stop(keepData);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
