/**
 * Times the product's rebuild (measureRebuild: a fresh embedded store in a temporary directory)
 * of the log in an existing DATA_DIR, e.g. one kept by rebuild-log.ts. Prints one JSON line: the
 * rate, this process's CPU time (user and system, which a shared machine distorts less than wall
 * time), its peak RSS and the load average. The file copies into another build's dist/bench/src
 * unchanged, so two builds can be timed on one log, alternating.
 *
 *   node dist/bench/src/rebuild-time.js /tmp/asiointitili-bench-XXXX   (REBUILD_BATCH=<events per window> to try another window)
 */
import { installModuleAliases } from '../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { readFileSync } from 'node:fs';
import { describeMachine } from './machine';
import { measureRebuild } from './rebuild-measure';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: rebuild-time.js <DATA_DIR with events.sqlite>');
  const loadAtStart = describeMachine().loadAverage;
  const cpu = process.cpuUsage();
  const batch = process.env.REBUILD_BATCH;
  const rebuild = await measureRebuild(dataDir, { batchSize: batch === undefined ? undefined : Number(batch) });
  const used = process.cpuUsage(cpu);
  const peakRssMb = Math.round(Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN) / 1024);
  const seconds = (micros: number) => Math.round(micros / 10_000) / 100;
  console.log(JSON.stringify({ ...rebuild, userSeconds: seconds(used.user), systemSeconds: seconds(used.system), peakRssMb, loadAtStart, loadAtEnd: describeMachine().loadAverage }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
