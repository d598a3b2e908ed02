import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliCommand, type CliEnv } from './command';
import { findCommand, loadCommandFor, loadCommands } from './registry';

/**
 * The command line: `npm run --silent cli -- <command> [options]`. Results go to stdout and
 * nothing else, so they can be piped; errors and help for mistakes go to stderr.
 */
export async function runCli(argv: readonly string[], env: CliEnv, commands: readonly CliCommand[] = loadCommands()): Promise<number> {
  if (argv.length === 1 && ['help', '--help', '-h'].includes(argv[0])) {
    env.stdout.write(usageOf(commands));
    return EXIT_OK;
  }
  const found = findCommand(argv, commands);
  if (!found) {
    env.stderr.write(`${argv.length === 0 ? 'no command given' : `unknown command: ${argv.join(' ')}`}\n${usageOf(commands)}`);
    return EXIT_USAGE;
  }
  const { command, args } = found;
  try {
    return await command.run(args, env);
  } catch (error) {
    if (error instanceof UsageError) {
      env.stderr.write(`${command.name}: ${error.message}\nusage: ${invocationOf(command)}\n`);
      return EXIT_USAGE;
    }
    env.stderr.write(`${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

export function usageOf(commands: readonly CliCommand[]): string {
  const lines = commands.map((command) => `  ${invocationOf(command)}\n      ${command.summary}`);
  return `usage: npm run --silent cli -- <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

function invocationOf(command: CliCommand): string {
  return `${command.name} ${command.usage}`.trim();
}

if (require.main === module) {
  // Loaded only here: under jest the aliases are mapped by jest itself.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('../../../libs/app/src/process/module-aliases') as typeof import('../../../libs/app/src/process/module-aliases')).installModuleAliases();
  const argv = process.argv.slice(2);
  runCli(argv, { vars: process.env, stdout: process.stdout, stderr: process.stderr }, loadCommandFor(argv) ?? loadCommands()).then(
    (code) => {
      // exitCode, not exit(): let stdout drain when it is a pipe.
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
