import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyRing } from '@asiointitili/app/keys/key-ring';
import { EXIT_OK, UsageError } from '../command';
import { memoryEnv } from '../testing/memory-env';
import { command as init } from './keys-init';
import { command as prune } from './keys-prune';
import { command as rotate } from './keys-rotate';

describe('cli keys init | rotate | prune', () => {
  let root: string;
  let dir: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(join(tmpdir(), 'asiointitili-cli-keys-'));
    dir = join(root, 'fleet-keys');
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  const run = async (cmd: typeof init, args: readonly string[], vars: Record<string, string> = {}) => {
    const io = memoryEnv({ DATA_DIR: join(root, 'data'), ...vars });
    const code = await cmd.run(args, io.env);
    return { code, stdout: io.stdout(), stderr: io.stderr() };
  };

  it('init provisions every key a fleet shares, and running it again changes nothing', async () => {
    expect((await run(init, ['--dir', dir])).code).toBe(EXIT_OK);
    const files = (await fs.readdir(dir)).sort();
    expect(files).toEqual(['citizen-ref.secret', 'evidence-000001.jwk.json', 'personal-data-master.key', 'token-000001.jwk.json']);
    const contents = await Promise.all(files.map((file) => fs.readFile(join(dir, file), 'utf8')));
    await run(init, ['--dir', dir]);
    expect(await Promise.all(files.map((file) => fs.readFile(join(dir, file), 'utf8')))).toEqual(contents);
    // What it made is what a server with KEYS_DIR opens.
    await expect(KeyRing.open({ dataDir: root, keysDir: dir })).resolves.toBeDefined();
  });

  it('works on KEYS_DIR when no --dir is given', async () => {
    await run(init, [], { KEYS_DIR: dir });
    expect(await fs.readdir(dir)).toContain('token-000001.jwk.json');
  });

  it('rotate --activate-after publishes a pending key; prune after the hand-over drops the old private half', async () => {
    await run(init, ['--dir', dir]);
    const rotated = await run(rotate, ['evidence', '--activate-after', '3600', '--dir', dir]);
    expect(rotated.stdout).toMatch(/^evidence\t\S+\tpending\t\d{4}-\d\d-\d\dT/);
    const reader = await KeyRing.open({ dataDir: root, keysDir: dir });
    expect((await reader.publicJwks(['evidence'])).keys).toHaveLength(2);
    expect((await reader.list(['evidence'])).map((key) => key.status)).toEqual(['pending', 'active']);
    await run(prune, ['evidence', '--dir', dir]);
    expect(JSON.parse(await fs.readFile(join(dir, 'evidence-000001.jwk.json'), 'utf8')).jwk.d).toEqual(expect.any(String));
  });

  it('rotate without a delay signs with the new key at once', async () => {
    await run(init, ['--dir', dir]);
    const { stdout } = await run(rotate, ['token', '--dir', dir]);
    expect(stdout).toMatch(/^token\t\S+\tactive\n$/);
    expect(JSON.parse(await fs.readFile(join(dir, 'token-000001.jwk.json'), 'utf8')).jwk.d).toBeUndefined();
  });

  it.each([
    [[], /name the key/],
    [['signing'], /unknown key purpose "signing"/],
    [['token', '--activate-after', '1.5'], /whole seconds/],
  ])('rotate %j is a usage error', async (args, message) => {
    await expect(run(rotate, args as string[])).rejects.toThrow(UsageError);
    await expect(run(rotate, args as string[])).rejects.toThrow(message);
  });
});
