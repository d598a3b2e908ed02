import { existsSync, readdirSync } from 'node:fs';
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

/**
 * Only the command argv names, when its file follows the naming rule (`audit export` lives in
 * `audit-export.js`): a call then loads one command's modules instead of every command's, which is
 * most of a short command's time (a token is minted in a fraction of the time). Anything else
 * (help, an unknown or misspelt command) falls back to loading them all.
 */
export function loadCommandFor(argv: readonly string[], directory: string = COMMANDS_DIRECTORY): CliCommand[] | undefined {
  for (let words = Math.min(argv.length, 3); words >= 1; words--) {
    const name = argv.slice(0, words).join(' ');
    if (!/^[a-z][a-z-]*( [a-z][a-z-]*)*$/.test(name)) continue;
    const base = join(directory, name.replace(/ /g, '-'));
    const file = ['.js', '.ts'].map((ext) => base + ext).find((candidate) => existsSync(candidate));
    if (!file) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const command = (require(file) as { command?: unknown }).command;
    if (isCommand(command) && command.name === name) return [command];
  }
  return undefined;
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
