import { parseArgs, stringOption, type ArgsSpec } from './args';
import { UsageError } from './command';

const spec: ArgsSpec = { options: { role: 'string', force: 'boolean' }, maxPositionals: 1 };

describe('parseArgs', () => {
  it('reads --name value, --name=value and boolean flags', () => {
    expect(parseArgs(['--role', 'admin', '--force'], spec).options).toEqual({ role: 'admin', force: true });
    expect(parseArgs(['--role=a=b'], spec).options).toEqual({ role: 'a=b' });
  });

  it('keeps a value that starts with a single dash, such as a negative number', () => {
    expect(stringOption(parseArgs(['--role', '-5'], spec), 'role')).toBe('-5');
  });

  it('collects positionals up to the allowed number, and everything after --', () => {
    expect(parseArgs(['file.jsonl', '--force'], spec).positionals).toEqual(['file.jsonl']);
    expect(parseArgs(['--', '--role'], spec).positionals).toEqual(['--role']);
  });

  it.each([
    ['an unknown option', ['--rol', 'x'], /unknown option --rol/],
    ['a single-dash option', ['-r', 'x'], /unknown option -r/],
    ['an inherited property name', ['--constructor', 'x'], /unknown option --constructor/],
    ['a missing value at the end', ['--role'], /--role needs a value/],
    ['an option where the value should be', ['--role', '--force'], /--role needs a value/],
    ['a repeated option', ['--force', '--force'], /--force is given more than once/],
    ['a value for a flag', ['--force=yes'], /--force takes no value/],
    ['too many positionals', ['a', 'b'], /at most 1 argument/],
  ])('refuses %s with a UsageError', (_name, args, message) => {
    expect(() => parseArgs(args, spec)).toThrow(UsageError);
    expect(() => parseArgs(args, spec)).toThrow(message);
  });

  it('refuses any positional when none is allowed', () => {
    expect(() => parseArgs(['extra'], { options: {} })).toThrow(/unexpected argument extra/);
  });

  it('answers undefined for an absent option', () => {
    expect(stringOption(parseArgs([], spec), 'role')).toBeUndefined();
  });
});
