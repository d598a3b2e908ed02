import { systemClock } from '@asiointitili/core';
import { parseStream } from '@asiointitili/domain';
import { NoSuchStreamError, sealedExportLines } from '@asiointitili/app/evidence/sealed-export';
import { parseArgs, stringOption } from '../args';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand, type CliEnv } from '../command';
import { configOf, openEventLog, openEvidenceKeys, writeLine } from './helpers/open-ports';

/**
 * `audit export --stream <name>`: the stream as JSON lines, one event a line, then a seal signed
 * with the evidence key (libs/app/src/evidence/export-format.ts). Reads only; `audit verify` checks
 * the file later without any database.
 */
export const command: CliCommand = {
  name: 'audit export',
  usage: '--stream <name>',
  summary: 'print a stream as JSON lines (one event a line) followed by a seal signed with the evidence key',
  run,
};

async function run(args: readonly string[], env: CliEnv): Promise<number> {
  const parsed = parseArgs(args, { options: { stream: 'string' } });
  const stream = stringOption(parsed, 'stream');
  if (stream === undefined) throw new UsageError('--stream is required');
  if (!parseStream(stream)) throw new UsageError('--stream must name a stream such as message-<id> or agency-<id>');

  const config = configOf(env);
  const events = openEventLog(config);
  try {
    const keys = await openEvidenceKeys(config);
    for await (const line of sealedExportLines({ events, keys, clock: systemClock }, stream)) await writeLine(env.stdout, line);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof NoSuchStreamError)) throw error;
    env.stderr.write(`audit export: ${error.message}\n`);
    return EXIT_FAILURE;
  } finally {
    await events.close();
  }
}
