import { parseReplayLimit, replayStream } from '@asiointitili/app/audit/stream-replay';
import { parseStream } from '@asiointitili/domain';
import { parseArgs, stringOption } from '../args';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand, type CliEnv } from '../command';
import { configOf, openEventLog, writeLine } from './helpers/open-ports';

/**
 * `audit replay --stream <name> [--until <ISO time | revision>]`: folds the stream through the
 * domain's own `evolve` and prints each step `{ event, state }` as a JSON line, the same steps as
 * GET /v1/audit/streams/{stream}/replay.
 */
export const command: CliCommand = {
  name: 'audit replay',
  usage: '--stream <name> [--until <ISO 8601 time | revision>]',
  summary: "fold a stream with the domain's rules and print each step (event, resulting state) as a JSON line",
  run,
};

async function run(args: readonly string[], env: CliEnv): Promise<number> {
  const parsed = parseArgs(args, { options: { stream: 'string', until: 'string' } });
  const stream = stringOption(parsed, 'stream');
  if (stream === undefined) throw new UsageError('--stream is required');
  if (!parseStream(stream)) throw new UsageError('--stream must name a stream such as message-<id> or agency-<id>');
  const limit = parseReplayLimit(stringOption(parsed, 'until'));
  if (!limit) throw new UsageError('--until must be an ISO 8601 time (e.g. 2026-01-31T12:00:00Z) or a revision number');

  const events = openEventLog(configOf(env));
  try {
    const steps = await replayStream(events, stream, limit);
    if (!steps) {
      env.stderr.write(`audit replay: no stream ${stream}\n`);
      return EXIT_FAILURE;
    }
    for (const step of steps) await writeLine(env.stdout, JSON.stringify(step));
    return EXIT_OK;
  } finally {
    await events.close();
  }
}
