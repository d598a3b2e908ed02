import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliCommand } from './command';
import { runCli, usageOf } from './main';
import { loadCommands } from './registry';
import { memoryEnv } from './testing/memory-env';

/** A command that records what it was given and then does what the test says. */
const fakeCommand = (name: string, behaviour: (args: readonly string[]) => Promise<number> = async () => EXIT_OK): CliCommand & { calls: (readonly string[])[] } => {
  const calls: (readonly string[])[] = [];
  return {
    name,
    usage: `--${name.replace(' ', '-')}-option`,
    summary: `does ${name}`,
    calls,
    run: async (args) => {
      calls.push(args);
      return behaviour(args);
    },
  };
};

describe('runCli', () => {
  it('answers an unknown command with the usage on stderr and exit 2', async () => {
    const io = memoryEnv();
    const code = await runCli(['frobnicate', '--x'], io.env, [fakeCommand('token')]);
    expect(code).toBe(EXIT_USAGE);
    expect(io.stdout()).toBe('');
    expect(io.stderr()).toMatch(/^unknown command: frobnicate --x\nusage: npm run --silent cli -- <command> \[options\]/);
    expect(io.stderr()).toContain('token --token-option');
  });

  it('answers no command at all with the usage on stderr and exit 2', async () => {
    const io = memoryEnv();
    expect(await runCli([], io.env, [fakeCommand('token')])).toBe(EXIT_USAGE);
    expect(io.stderr()).toMatch(/^no command given\n/);
  });

  it.each(['help', '--help', '-h'])('prints the usage on stdout with exit 0 for %s', async (flag) => {
    const io = memoryEnv();
    expect(await runCli([flag], io.env, [fakeCommand('token')])).toBe(EXIT_OK);
    expect(io.stdout()).toBe(usageOf([fakeCommand('token')]));
    expect(io.stderr()).toBe('');
  });

  it('hands a command the arguments after its name, and returns its exit code', async () => {
    const token = fakeCommand('token', async () => 7);
    expect(await runCli(['token', '--role', 'admin'], memoryEnv().env, [token])).toBe(7);
    expect(token.calls).toEqual([['--role', 'admin']]);
  });

  it('dispatches to the command matching the most words', async () => {
    const audit = fakeCommand('audit');
    const auditExport = fakeCommand('audit export');
    const auditVerify = fakeCommand('audit verify');
    await runCli(['audit', 'export', '--stream', 's'], memoryEnv().env, [audit, auditExport, auditVerify]);
    await runCli(['audit', 'verify', 'file.jsonl'], memoryEnv().env, [audit, auditExport, auditVerify]);
    await runCli(['audit', 'other'], memoryEnv().env, [audit, auditExport, auditVerify]);
    expect(auditExport.calls).toEqual([['--stream', 's']]);
    expect(auditVerify.calls).toEqual([['file.jsonl']]);
    expect(audit.calls).toEqual([['other']]);
  });

  it('does not take a partial multi-word name for a command', async () => {
    const io = memoryEnv();
    expect(await runCli(['audit'], io.env, [fakeCommand('audit export')])).toBe(EXIT_USAGE);
  });

  it("answers a command's UsageError with that command's usage on stderr and exit 2", async () => {
    const io = memoryEnv();
    const failing = fakeCommand('audit export', async () => {
      throw new UsageError('--stream is required');
    });
    expect(await runCli(['audit', 'export'], io.env, [failing])).toBe(EXIT_USAGE);
    expect(io.stderr()).toBe('audit export: --stream is required\nusage: audit export --audit-export-option\n');
  });

  it('answers any other failure of a command with its message on stderr and exit 1', async () => {
    const io = memoryEnv();
    const failing = fakeCommand('projections rebuild', async () => {
      throw new Error('the log is not reachable');
    });
    expect(await runCli(['projections', 'rebuild'], io.env, [failing])).toBe(EXIT_FAILURE);
    expect(io.stderr()).toBe('projections rebuild: the log is not reachable\n');
    expect(io.stdout()).toBe('');
  });

  it('finds the token command among the commands in commands/', () => {
    expect(loadCommands().map((command) => command.name)).toContain('token');
  });
});
