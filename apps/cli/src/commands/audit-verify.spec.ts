import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEEDED_STREAM, seedDataDir } from '@asiointitili/app/evidence/testing/seeded-data-dir';
import type { KeyRing } from '@asiointitili/app/keys/key-ring';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../command';
import { runCli } from '../main';
import { memoryEnv } from '../testing/memory-env';
import { command as exportCommand } from './audit-export';
import { EMBEDDED_KEY_NOTICE, command } from './audit-verify';

describe('cli audit verify', () => {
  let dir: string;
  let dataDir: string;
  let keys: KeyRing;
  let exportFile: string;
  let lines: string[];

  beforeAll(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'asiointitili-cli-verify-'));
    dataDir = join(dir, 'data');
    ({ keys } = await seedDataDir(dataDir));
    const io = memoryEnv({ DATA_DIR: dataDir });
    expect(await exportCommand.run(['--stream', SEEDED_STREAM], io.env)).toBe(EXIT_OK);
    exportFile = join(dir, 'export.jsonl');
    await fs.writeFile(exportFile, io.stdout());
    lines = io.stdout().trimEnd().split('\n');
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Runs the command with no DATA_DIR, database or server URL at all: it must not need one. */
  const runVerify = async (args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    const io = memoryEnv({ DATA_DIR: join(dir, 'no-such-data-dir'), EVENTSTORE_URL: undefined, MONGODB_URL: undefined });
    const code = await command.run(args, io.env);
    return { code, stdout: io.stdout(), stderr: io.stderr() };
  };
  const writeVariant = async (name: string, content: string): Promise<string> => {
    const file = join(dir, name);
    await fs.writeFile(file, content);
    return file;
  };

  it('says an intact export is intact, and that only its embedded key vouched for it, with exit 0', async () => {
    const { code, stdout, stderr } = await runVerify([exportFile]);
    expect(code).toBe(EXIT_OK);
    expect(stderr).toBe('');
    const kid = (await keys.signingKey('evidence')).kid;
    const lastHash = String(JSON.parse(lines[2]!).metadata.hash);
    expect(stdout.split('\n')[0]).toMatch(new RegExp(`^intact: 3 events of ${SEEDED_STREAM}, last hash ${lastHash}, sealed \\S+Z by evidence key ${kid}$`));
    expect(stdout.split('\n')[1]).toBe(EMBEDDED_KEY_NOTICE);
    expect(existsSync(join(dir, 'no-such-data-dir'))).toBe(false);
  });

  it('checks the seal against a JWKS file as GET /v1/keys publishes it, and then does not speak of the embedded key', async () => {
    const jwksFile = await writeVariant('keys.json', JSON.stringify(await keys.publicJwks(['evidence'])));
    const { code, stdout } = await runVerify([exportFile, '--jwks', jwksFile]);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toContain(`verified against key ${(await keys.signingKey('evidence')).kid} from ${jwksFile}`);
    expect(stdout).not.toContain(EMBEDDED_KEY_NOTICE);
  });

  it('names the first bad line and why, with exit 1', async () => {
    const edited = await writeVariant('edited.jsonl', [lines[0], lines[1]!.replace(/"readAt":"[^"]+"/, '"readAt":"2020-01-01T00:00:00.000Z"'), ...lines.slice(2)].join('\n') + '\n');
    const { code, stdout } = await runVerify([edited]);
    expect(code).toBe(EXIT_FAILURE);
    expect(stdout).toMatch(/^NOT intact: line 2: hash-mismatch: revision 1: the event content does not match its hash\n$/);
  });

  it('names a truncated export (no seal) by the line where the seal should be', async () => {
    const truncated = await writeVariant('truncated.jsonl', lines.slice(0, 3).join('\n') + '\n');
    const { code, stdout } = await runVerify([truncated]);
    expect(code).toBe(EXIT_FAILURE);
    expect(stdout).toMatch(/^NOT intact: line 4: missing-seal: /);
  });

  it('refuses an export checked against a JWKS that lacks its key', async () => {
    const foreign = await writeVariant('foreign-keys.json', JSON.stringify({ keys: [] }));
    const { code, stdout } = await runVerify([exportFile, '--jwks', foreign]);
    expect(code).toBe(EXIT_FAILURE);
    expect(stdout).toMatch(/^NOT intact: line 4: seal-foreign-key: /);
  });

  it('fails with a message when the JWKS file is not a JWKS', async () => {
    const notJwks = await writeVariant('not-keys.json', JSON.stringify({ kty: 'OKP' }));
    await expect(runVerify([exportFile, '--jwks', notJwks])).rejects.toThrow(/is not a JWKS/);
    await expect(runVerify([exportFile, '--jwks', join(dir, 'missing.json')])).rejects.toThrow(/cannot read the JWKS/);
  });

  it('answers a missing export file through the dispatcher with exit 1', async () => {
    const io = memoryEnv({});
    expect(await runCli(['audit', 'verify', join(dir, 'missing.jsonl')], io.env)).toBe(EXIT_FAILURE);
    expect(io.stderr()).toMatch(/^audit verify: cannot read the export .*missing\.jsonl: ENOENT\n$/);
  });

  it.each([
    ['no file', [], /the export file is required/],
    ['two files', ['a.jsonl', 'b.jsonl'], /at most 1 argument/],
    ['--jwks without its file', ['a.jsonl', '--jwks'], /--jwks needs a value/],
  ])('throws a UsageError for %s', async (_name, args, message) => {
    await expect(runVerify(args)).rejects.toThrow(UsageError);
    await expect(runVerify(args)).rejects.toThrow(message);
  });

  it('answers a usage error through the dispatcher with exit 2', async () => {
    const io = memoryEnv({});
    expect(await runCli(['audit', 'verify'], io.env)).toBe(EXIT_USAGE);
    expect(io.stderr()).toMatch(/usage: audit verify <file> \[--jwks <file>\]/);
  });
});
