import { rebuildReadModels, DEFAULT_REBUILD_BATCH } from '@asiointitili/app/read/rebuild';
import { parseArgs, stringOption } from '../args';
import { EXIT_OK, UsageError, type CliCommand, type CliEnv } from '../command';
import { configOf, openEventLog, openReadStore } from './helpers/open-ports';

const MAX_BATCH = 100_000;

/**
 * `projections rebuild`: every read model from the log into a fresh generation, swapped in when
 * caught up. Stop the workers first (docs/evidence.md, "Rebuilding the read models"); the command
 * refuses to swap when it sees the live read models move.
 */
export const command: CliCommand = {
  name: 'projections rebuild',
  usage: `[--batch-size <1..${MAX_BATCH}>]`,
  summary: 'rebuild every read model from the log into fresh collections and swap them in (stop the workers first)',
  run,
};

async function run(args: readonly string[], env: CliEnv): Promise<number> {
  const parsed = parseArgs(args, { options: { 'batch-size': 'string' } });
  const batchSize = batchSizeOf(stringOption(parsed, 'batch-size'));

  const config = configOf(env);
  const events = openEventLog(config);
  try {
    const readStore = openReadStore(config);
    try {
      const report = await rebuildReadModels(events, readStore, { batchSize });
      env.stdout.write(
        `rebuilt read models: ${report.events} events in ${report.seconds.toFixed(3)} s (${Math.round(report.eventsPerSecond)} events/s), ` +
          `generation ${report.generation} now active at position ${report.position ?? 'none'}\n`,
      );
      return EXIT_OK;
    } finally {
      await readStore.close();
    }
  } finally {
    await events.close();
  }
}

function batchSizeOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_REBUILD_BATCH;
  const size = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(size >= 1 && size <= MAX_BATCH)) throw new UsageError(`--batch-size must be a whole number from 1 to ${MAX_BATCH}`);
  return size;
}
