import { installModuleAliases } from '../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { Logger } from '@nestjs/common';
import { readOptions } from './options';
import { runBench } from './bench';
import { runScale } from './scale';

/**
 * `npm run bench`: builds, then measures the embedded default on this machine. Progress goes to
 * stderr, a human table to stdout, and the JSON summary is the last line of stdout.
 */
async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const options = readOptions(process.env, process.argv.slice(2));
  const summary = options.scale ? await runScale(options) : await runBench(options);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
