import { KeyRing } from '@asiointitili/app/keys/key-ring';
import { CitizenRefs } from '@asiointitili/app/identity/citizen-ref';
import { TokenRequestError, TokenService } from '@asiointitili/app/auth/token-service';
import type { Role } from '@asiointitili/app/auth/principal';
import { parseArgs, stringOption } from '../args';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand, type CliEnv } from '../command';
import { dataDirOf, keysDirOf } from '../data-dir';

/**
 * Mints a development token with the key in KEYS_DIR or DATA_DIR, which a server started with the
 * same keys accepts (API.md, Tokens on the embedded default). Prints the token and nothing else.
 */
export const command: CliCommand = {
  name: 'token',
  usage:
    '--role citizen --hetu <hetu> [--acr substantial|high] [--amr bank|mobile|idcard] | --role agency --agency <agencyId> | --role auditor|admin [--sub <id>]; [--ttl <seconds>]',
  summary: 'print a development bearer token signed with the key in DATA_DIR',
  run,
};

async function run(args: readonly string[], env: CliEnv): Promise<number> {
  const parsed = parseArgs(args, {
    options: { role: 'string', hetu: 'string', acr: 'string', amr: 'string', agency: 'string', sub: 'string', ttl: 'string' },
  });
  const role = stringOption(parsed, 'role');
  if (role === undefined) throw new UsageError('--role is required');
  const ttl = stringOption(parsed, 'ttl');

  const location = { dataDir: dataDirOf(env), keysDir: keysDirOf(env) };
  const tokens = new TokenService(await KeyRing.open(location), await CitizenRefs.open({ ...location, env: env.vars }));
  try {
    const token = await tokens.mint({
      // mint checks the role itself, with the same message as for any other bad value.
      role: role as Role,
      hetu: stringOption(parsed, 'hetu'),
      acr: stringOption(parsed, 'acr'),
      amr: stringOption(parsed, 'amr'),
      agency: stringOption(parsed, 'agency'),
      sub: stringOption(parsed, 'sub'),
      ttlSeconds: ttl === undefined ? undefined : secondsOf(ttl),
    });
    env.stdout.write(`${token}\n`);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof TokenRequestError)) throw error;
    env.stderr.write(`token: ${error.message}\n`);
    return EXIT_FAILURE;
  }
}

/** Digits only: `1e3`, `0x10` or ` 5` are not what an operator means by seconds. NaN is refused by mint with its message. */
function secondsOf(value: string): number {
  return /^\d+$/.test(value) ? Number(value) : Number.NaN;
}
