import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { KeyRing } from '@asiointitili/app/keys/key-ring';
import { CitizenRefs } from '@asiointitili/app/identity/citizen-ref';
import { TokenService } from '@asiointitili/app/auth/token-service';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../command';
import { runCli } from '../main';
import { memoryEnv } from '../testing/memory-env';
import { command } from './token';

describe('cli token', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await fs.mkdtemp(join(tmpdir(), 'asiointitili-cli-'));
  });
  afterEach(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  /** What the server does at start: open the same DATA_DIR and verify with it. */
  const serverVerifier = async (): Promise<TokenService> => new TokenService(await KeyRing.open(dataDir), await CitizenRefs.open({ dataDir }));

  const runToken = async (args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    const io = memoryEnv({ DATA_DIR: dataDir });
    const code = await command.run(args, io.env);
    return { code, stdout: io.stdout(), stderr: io.stderr() };
  };

  it('prints only a citizen token and a newline, which a server over the same DATA_DIR accepts', async () => {
    const { code, stdout, stderr } = await runToken(['--role', 'citizen', '--hetu', '131052-308T']);
    expect(code).toBe(EXIT_OK);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/);
    const server = await serverVerifier();
    const principal = await server.verify(stdout.trim());
    expect(principal).toEqual({ role: 'citizen', hetu: '131052-308T', citizenRef: expect.stringMatching(/^c_/), acr: 'high', amr: 'bank' });
  });

  it('passes --acr and --amr into a citizen token', async () => {
    const { stdout } = await runToken(['--role', 'citizen', '--hetu', '131052-308T', '--acr', 'substantial', '--amr=idcard']);
    await expect((await serverVerifier()).verify(stdout.trim())).resolves.toMatchObject({ acr: 'substantial', amr: 'idcard' });
  });

  it('makes an agency token for --agency', async () => {
    const { stdout } = await runToken(['--role', 'agency', '--agency', 'kela']);
    await expect((await serverVerifier()).verify(stdout.trim())).resolves.toEqual({ role: 'agency', agencyId: 'kela' });
  });

  it.each(['auditor', 'admin'] as const)('makes a %s token, with --sub as its subject', async (role) => {
    const plain = await runToken(['--role', role]);
    const named = await runToken(['--role', role, '--sub', 'maija']);
    const server = await serverVerifier();
    await expect(server.verify(plain.stdout.trim())).resolves.toEqual({ role, subject: `dev-${role}` });
    await expect(server.verify(named.stdout.trim())).resolves.toEqual({ role, subject: 'maija' });
  });

  it('sets the lifetime from --ttl in seconds', async () => {
    const { stdout } = await runToken(['--role', 'admin', '--ttl', '60']);
    const { iat, exp } = decodeJwt(stdout.trim());
    expect(Number(exp) - Number(iat)).toBe(60);
  });

  it.each([
    ['an invalid hetu', ['--role', 'citizen', '--hetu', '131052-308A'], /bad-checksum/],
    ['a citizen without --hetu', ['--role', 'citizen'], /needs a hetu/],
    ['an unknown role', ['--role', 'root'], /role must be one of citizen, agency, auditor, admin/],
    ['an agency without --agency', ['--role', 'agency'], /needs an agency id/],
    ['--hetu for an agency', ['--role', 'agency', '--agency', 'kela', '--hetu', '131052-308T'], /hetu does not apply to role agency/],
    ['an unknown --amr', ['--role', 'citizen', '--hetu', '131052-308T', '--amr', 'sms'], /amr claim names no identification method of bank, mobile, idcard/],
    ['a --ttl that is not whole seconds', ['--role', 'admin', '--ttl', '1e3'], /ttl must be a whole number of seconds/],
    ['a --ttl over 30 days', ['--role', 'admin', '--ttl', '2592001'], /ttl must be/],
  ])('refuses %s on stderr with exit 1 and prints nothing on stdout', async (_name, args, message) => {
    const { code, stdout, stderr } = await runToken(args);
    expect(code).toBe(EXIT_FAILURE);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('never echoes the hetu it refuses', async () => {
    const { stderr } = await runToken(['--role', 'citizen', '--hetu', '131052-308A']);
    expect(stderr).not.toContain('131052');
  });

  it.each([
    ['no --role', [], /--role is required/],
    ['an unknown option', ['--role', 'admin', '--rol', 'x'], /unknown option --rol/],
    ['an option without its value', ['--role', 'citizen', '--hetu'], /--hetu needs a value/],
    ['a repeated option', ['--role', 'admin', '--role', 'citizen'], /--role is given more than once/],
  ])('throws a UsageError for %s', async (_name, args, message) => {
    await expect(runToken(args)).rejects.toThrow(UsageError);
    await expect(runToken(args)).rejects.toThrow(message);
  });

  it('answers a usage error through the dispatcher with the usage on stderr and exit 2', async () => {
    const io = memoryEnv({ DATA_DIR: dataDir });
    const code = await runCli(['token', '--role'], io.env);
    expect(code).toBe(EXIT_USAGE);
    expect(io.stdout()).toBe('');
    expect(io.stderr()).toMatch(/^token: --role needs a value\nusage: token --role citizen --hetu <hetu>/);
  });

  it('runs through the dispatcher with the real command registry', async () => {
    const io = memoryEnv({ DATA_DIR: dataDir });
    expect(await runCli(['token', '--role', 'auditor'], io.env)).toBe(EXIT_OK);
    await expect((await serverVerifier()).verify(io.stdout().trim())).resolves.toEqual({ role: 'auditor', subject: 'dev-auditor' });
  });

  it('keeps its keys in DATA_DIR/keys, where the server looks for them', async () => {
    await runToken(['--role', 'admin']);
    const files = await fs.readdir(join(dataDir, 'keys'));
    expect(files).toEqual(expect.arrayContaining(['token-000001.jwk.json', 'citizen-ref.secret']));
  });
});
