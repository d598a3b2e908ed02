/**
 * CPU time per send of the server processes, the bench's maximum-throughput send phase alone:
 * the API as `npm start` runs it (with its worker process) on a fresh DATA_DIR of CITIZENS
 * consenting citizens, a warm-up, then ROUNDS rounds of SENDS sends over CONNECTIONS
 * connections (closed loop); after each round the worker is waited for, and the user + system
 * CPU of each process over the round (from /proc) is divided by the sends answered.
 *
 *   node scripts/built.js dist/bench/src/send-cpu.js   (CITIZENS=2000 SENDS=4000 ROUNDS=3 CONNECTIONS=16)
 *
 * API_SCRIPT=<another build's dist/apps/api/src/main.js> runs that build's server on the same
 * client and data (before/after on one machine state); PROFILE=1 runs the server under
 * --cpu-prof and prints the profile's path (summarise it with profile-summary.js --inclusive);
 * KEEP_DATA=1 leaves the DATA_DIR in place and prints its path.
 * Prints one JSON line. A measuring tool, not a test: nothing here asserts a time.
 */
import { installModuleAliases } from '../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { Logger } from '@nestjs/common';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_SCRIPT, startApi, waitForCatchUp } from './api-server';
import { prepareData } from './fixture';
import { runLoad } from './load';
import { describeMachine } from './machine';
import { SendSequence } from './requests';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const [citizens, sends, rounds, connections] = [env('CITIZENS', 2000), env('SENDS', 4000), env('ROUNDS', 3), env('CONNECTIONS', 16)];
  const script = process.env.API_SCRIPT ?? API_SCRIPT;
  const profileDir = process.env.PROFILE === '1' ? mkdtempSync(join(tmpdir(), 'send-cpu-profile-')) : undefined;
  const data = await prepareData(citizens);
  const api = await startApi(data.dataDir, profileDir, script);
  try {
    const sequence = new SendSequence(data, `cpu-${Date.now().toString(36)}`);
    const load = (amount: number) => runLoad({ baseUrl: api.baseUrl, connections, amount, next: sequence.next, onAnswer: sequence.onAnswer });
    await load(1000); // JIT, statement caches
    await waitForCatchUp(api.baseUrl);
    const results = [];
    for (let round = 0; round < rounds; round++) {
      const before = api.cpuSeconds();
      const result = await load(sends);
      await waitForCatchUp(api.baseUrl);
      const after = api.cpuSeconds();
      const failed = result.requests - (result.statuses['201'] ?? 0);
      if (failed > 0 || result.errors > 0) throw new Error(`round ${round}: ${failed} sends not created, ${result.errors} errors: ${JSON.stringify(result.statuses)}`);
      const us = (seconds: number) => Math.round((seconds * 1e6) / result.requests);
      results.push({ apiUs: us(after.server - before.server), workerUs: us(after.children - before.children), rps: result.rps });
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    await api.stop();
    const profile = profileDir ? join(profileDir, readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))!) : undefined;
    console.log(
      JSON.stringify({
        script,
        load: describeMachine().loadAverage,
        sends,
        connections,
        rounds: results,
        apiUsMedian: median(results.map((r) => r.apiUs)),
        workerUsMedian: median(results.map((r) => r.workerUs)),
        profile,
        dataDir: process.env.KEEP_DATA === '1' ? data.dataDir : undefined,
      }),
    );
  } finally {
    await api.stop();
    if (process.env.KEEP_DATA !== '1') rmSync(data.dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
