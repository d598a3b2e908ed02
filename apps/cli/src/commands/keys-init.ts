import { CitizenRefs } from '@asiointitili/app/identity/citizen-ref';
import { provisionMasterKey } from '@asiointitili/app/personal-data/master-key';
import { parseArgs } from '../args';
import { EXIT_OK, type CliCommand, type CliEnv } from '../command';
import { keyDirectoryArgument, openKeyDirectory } from './helpers/key-directory';

/**
 * Provisions a key directory for KEYS_DIR: a token and an evidence signing key, the citizenRef
 * secret and the personal-data master key, each created only if missing (running it again changes
 * nothing). The result is what every process of a fleet mounts (docs/deployment.md, Keys).
 */
export const command: CliCommand = {
  name: 'keys init',
  usage: '[--dir <directory>]',
  summary: 'create the keys a fleet shares (in --dir, else KEYS_DIR, else DATA_DIR/keys); keeps keys that exist',
  run,
};

async function run(args: readonly string[], env: CliEnv): Promise<number> {
  const directory = keyDirectoryArgument(parseArgs(args, { options: { dir: 'string' } }), env);
  const ring = await openKeyDirectory(directory);
  await CitizenRefs.provision(directory);
  await provisionMasterKey(directory);
  for (const key of await ring.list()) env.stdout.write(`${key.purpose}\t${key.kid}\t${key.status}\n`);
  env.stderr.write(`keys: ${directory} holds every key; set KEYS_DIR to it (or a copy mounted as a secret) in every process\n`);
  return EXIT_OK;
}
