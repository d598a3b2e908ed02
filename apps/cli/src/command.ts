/**
 * The contract between the CLI dispatcher and each command. A command lives in its own file
 * under `commands/` and exports `command: CliCommand`; the dispatcher finds it there.
 */
export interface CliCommand {
  /** One or more words, e.g. `token` or `audit export`. */
  readonly name: string;
  /** What follows the name, e.g. `--stream <name>`; shown in help and after a usage error. */
  readonly usage: string;
  /** One line saying what the command does. */
  readonly summary: string;
  /** Runs with the arguments after the name; resolves to the process exit code. */
  run(args: readonly string[], env: CliEnv): Promise<number>;
}

/** Everything a command may touch of its process, so specs can run a command in-process. */
export interface CliEnv {
  /** Environment variables (process.env in production). */
  readonly vars: Readonly<Record<string, string | undefined>>;
  /** Results only: what a script pipes onward. */
  readonly stdout: NodeJS.WritableStream;
  /** Errors and diagnostics. */
  readonly stderr: NodeJS.WritableStream;
}

export const EXIT_OK = 0;
/** The command ran and failed, or refused its input (e.g. an invalid hetu). */
export const EXIT_FAILURE = 1;
/** The command line itself was wrong: unknown command or option, missing value. */
export const EXIT_USAGE = 2;

/** Thrown by a command for a command line it cannot make sense of; the dispatcher adds the usage and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
