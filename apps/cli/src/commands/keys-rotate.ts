import { parseArgs, stringOption } from '../args';
import { EXIT_OK, UsageError, type CliCommand, type CliEnv } from '../command';
import { keyDirectoryArgument, openKeyDirectory, purposeArgument } from './helpers/key-directory';

/**
 * Makes a new signing key. Without a delay it signs at once and the previous key keeps only its
 * public half. With `--activate-after`, the new key is published (and verifies) at once but signs
 * only after the delay, so every replica reading a shared KEYS_DIR knows it before any replica
 * signs with it; run `keys prune` afterwards to drop the old private half.
 */
export const command: CliCommand = {
  name: 'keys rotate',
  usage: 'token|evidence [--activate-after <seconds>] [--dir <directory>]',
  summary: 'make a new token or evidence signing key (optionally signing only after a delay)',
  run,
};

async function run(args: readonly string[], env: CliEnv): Promise<number> {
  const parsed = parseArgs(args, { options: { dir: 'string', 'activate-after': 'string' }, maxPositionals: 1 });
  const purpose = purposeArgument(parsed);
  const delay = stringOption(parsed, 'activate-after');
  if (delay !== undefined && !/^\d{1,9}$/.test(delay)) throw new UsageError(`--activate-after takes whole seconds, got "${delay}"`);
  const ring = await openKeyDirectory(keyDirectoryArgument(parsed, env));
  const key = await ring.rotate(purpose, { activateAfterMs: delay === undefined ? 0 : Number(delay) * 1000 });
  env.stdout.write(`${key.purpose}\t${key.kid}\t${key.status}${key.activeFrom ? `\t${key.activeFrom}` : ''}\n`);
  return EXIT_OK;
}
