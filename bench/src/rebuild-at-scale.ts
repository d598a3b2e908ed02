/**
 * The rebuild at a million events (issue 16): a log of CITIZENS consenting citizens and MESSAGES
 * messages written through the application's own handlers in this process (only the log is
 * needed, so no projections run meanwhile), then the product's full rebuild of the read models
 * into a fresh embedded store (measureRebuild, as `npm run bench` times it), timed.
 *
 *   node scripts/built.js dist/bench/src/rebuild-at-scale.js   (CITIZENS=10000 MESSAGES=979999: 1,000,000 events)
 *
 * Prints one JSON line: events, how long writing the log and the rebuild took, events per second
 * of the rebuild, the file sizes and this process's peak RSS. Minutes of both cores: not a test.
 */
import { installModuleAliases } from '../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { Logger } from '@nestjs/common';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EVENTS_FILE_NAME } from '@asiointitili/event-store';
import { AGENCY_ID, openBenchRuntime, prepareData } from './fixture';
import { describeMachine } from './machine';
import { measureRebuild } from './rebuild-measure';
import { seedMessages } from './seed';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const [citizens, messages] = [env('CITIZENS', 10_000), env('MESSAGES', 979_999)];
  const machine = describeMachine();
  const data = await prepareData(citizens);
  try {
    const writing = performance.now();
    const runtime = await openBenchRuntime(data.dataDir);
    try {
      const chunk = 50_000;
      for (let from = 0; from < messages; from += chunk) {
        await seedMessages(runtime, data.hetus, AGENCY_ID, 'rebuild-at-scale', from, Math.min(chunk, messages - from));
        process.stderr.write(`[rebuild-at-scale] ${Math.min(from + chunk, messages)} of ${messages} messages written\n`);
      }
    } finally {
      await runtime.close();
    }
    const writeSeconds = Math.round((performance.now() - writing) / 100) / 10;
    const eventsFileMb = Math.round(statSync(join(data.dataDir, EVENTS_FILE_NAME)).size / 2 ** 20);
    process.stderr.write(`[rebuild-at-scale] log written in ${writeSeconds} s (${eventsFileMb} MB); rebuilding\n`);
    const rebuild = await measureRebuild(data.dataDir);
    const peakRssMb = Math.round(Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN) / 1024);
    console.log(JSON.stringify({ machine, loadAtEnd: describeMachine().loadAverage, citizens, messages, writeSeconds, eventsFileMb, rebuild, peakRssMb }));
  } finally {
    rmSync(data.dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
