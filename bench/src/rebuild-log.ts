/**
 * Writes a log for rebuild measurements and keeps it: CITIZENS consenting citizens and MESSAGES
 * messages through the application's own handlers (as rebuild-at-scale.ts does), in a fresh
 * DATA_DIR whose path is printed. Rebuilds of that one log can then be timed side by side, by
 * different builds (rebuild-time.ts), without writing it again.
 *
 *   CITIZENS=10000 MESSAGES=179999 node scripts/built.js dist/bench/src/rebuild-log.js   (200,000 events)
 */
import { installModuleAliases } from '../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { Logger } from '@nestjs/common';
import { AGENCY_ID, openBenchRuntime, prepareData } from './fixture';
import { seedMessages } from './seed';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const [citizens, messages] = [env('CITIZENS', 10_000), env('MESSAGES', 179_999)];
  const data = await prepareData(citizens);
  const runtime = await openBenchRuntime(data.dataDir);
  try {
    const chunk = 50_000;
    for (let from = 0; from < messages; from += chunk) {
      await seedMessages(runtime, data.hetus, AGENCY_ID, 'rebuild-log', from, Math.min(chunk, messages - from));
      process.stderr.write(`[rebuild-log] ${Math.min(from + chunk, messages)} of ${messages} messages written\n`);
    }
  } finally {
    await runtime.close();
  }
  // The last line of stdout (Nest's warnings go there too).
  console.log(`DATA_DIR=${data.dataDir}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
