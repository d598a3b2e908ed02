import { UsageError } from './command';

export type OptionKind = 'string' | 'boolean';

export interface ArgsSpec {
  /** Long option names without the dashes, and whether each takes a value. */
  readonly options: Readonly<Record<string, OptionKind>>;
  /** How many positional arguments are allowed (default 0). */
  readonly maxPositionals?: number;
}

export interface ParsedArgs {
  readonly options: Readonly<Record<string, string | true>>;
  readonly positionals: readonly string[];
}

/**
 * Parses `--name value`, `--name=value` and boolean `--flag`; `--` ends the options. Strict on
 * purpose: an unknown, repeated or valueless option is a UsageError rather than a silent guess,
 * because a mistyped option of an operator's command must not quietly do something else.
 */
export function parseArgs(args: readonly string[], spec: ArgsSpec): ParsedArgs {
  const options: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg.length > 1) throw new UsageError(`unknown option ${arg} (options are spelled --name)`);
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const kind = Object.prototype.hasOwnProperty.call(spec.options, name) ? spec.options[name] : undefined;
    if (kind === undefined) throw new UsageError(`unknown option --${name}`);
    if (name in options) throw new UsageError(`--${name} is given more than once`);
    if (kind === 'boolean') {
      if (equals !== -1) throw new UsageError(`--${name} takes no value`);
      options[name] = true;
      continue;
    }
    if (equals !== -1) {
      options[name] = arg.slice(equals + 1);
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    options[name] = value;
    i++;
  }
  const maxPositionals = spec.maxPositionals ?? 0;
  if (positionals.length > maxPositionals) {
    throw new UsageError(maxPositionals === 0 ? `unexpected argument ${positionals[0]}` : `at most ${maxPositionals} argument(s) expected, got ${positionals.length}`);
  }
  return { options, positionals };
}

/** The value of a string option, or undefined when absent. */
export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.options[name];
  return typeof value === 'string' ? value : undefined;
}
