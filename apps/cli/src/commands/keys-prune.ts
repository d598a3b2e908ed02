import { parseArgs } from '../args';
import { EXIT_OK, type CliCommand, type CliEnv } from '../command';
import { keyDirectoryArgument, openKeyDirectory, purposeArgument } from './helpers/key-directory';

/** After a delayed rotation has taken effect: drops the private half of every key older than the active one. */
export const command: CliCommand = {
  name: 'keys prune',
  usage: 'token|evidence [--dir <directory>]',
  summary: 'drop the private halves of retired keys (after a delayed rotation has become active)',
  run,
};

async function run(args: readonly string[], env: CliEnv): Promise<number> {
  const parsed = parseArgs(args, { options: { dir: 'string' }, maxPositionals: 1 });
  const purpose = purposeArgument(parsed);
  const ring = await openKeyDirectory(keyDirectoryArgument(parsed, env));
  await ring.prune(purpose);
  for (const key of await ring.list([purpose])) env.stdout.write(`${key.purpose}\t${key.kid}\t${key.status}\n`);
  return EXIT_OK;
}
