import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommand } from './command';

export const COMMANDS_DIRECTORY = join(__dirname, 'commands');

/** Source files under ts-jest/swc, compiled files under node; never specs, declarations or source maps. */
const COMMAND_FILE = /^[^.][^/]*(?<!\.spec|\.d)\.(ts|js)$/;

/**
 * Loads every command of `directory`: each file directly in it must export `command: CliCommand`
 * (helpers belong in a subdirectory). Discovery instead of a hand-kept list lets each command
 * plug in from its own file without anyone editing a shared one.
 */
export function loadCommands(directory: string = COMMANDS_DIRECTORY): CliCommand[] {
  const files = readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isFile() && COMMAND_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  const commands = files.map((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded: unknown = require(join(directory, file));
    const command = (loaded as { command?: unknown }).command;
    if (!isCommand(command)) throw new Error(`${join(directory, file)} does not export a command ({ name, usage, summary, run })`);
    return command;
  });
  const names = commands.map((command) => command.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new Error(`two files in ${directory} define the command "${duplicate}"`);
  return commands.sort((a, b) => a.name.localeCompare(b.name));
}

/** The command whose name matches the most leading words of argv, so `audit export` wins over a plain `audit`. */
export function findCommand(argv: readonly string[], commands: readonly CliCommand[]): { command: CliCommand; args: readonly string[] } | undefined {
  let best: CliCommand | undefined;
  let bestLength = 0;
  for (const command of commands) {
    const words = command.name.split(' ');
    const matches = words.length <= argv.length && words.every((word, index) => argv[index] === word);
    if (matches && words.length > bestLength) {
      best = command;
      bestLength = words.length;
    }
  }
  return best ? { command: best, args: argv.slice(bestLength) } : undefined;
}

function isCommand(value: unknown): value is CliCommand {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<CliCommand>;
  return (
    typeof candidate.name === 'string' &&
    /^[a-z][a-z-]*( [a-z][a-z-]*)*$/.test(candidate.name) &&
    typeof candidate.usage === 'string' &&
    typeof candidate.summary === 'string' &&
    typeof candidate.run === 'function'
  );
}
