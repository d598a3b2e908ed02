import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS_DIRECTORY, findCommand, loadCommandFor, loadCommands } from './registry';

const commandSource = (name: string): string =>
  `exports.command = { name: ${JSON.stringify(name)}, usage: '', summary: 'x', run: async () => 0 };\n`;

describe('loadCommands', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'asiointitili-commands-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('loads every command file, sorted by name, skipping specs, declarations, source maps and subdirectories', async () => {
    await fs.writeFile(join(dir, 'token.js'), commandSource('token'));
    await fs.writeFile(join(dir, 'audit-export.js'), commandSource('audit export'));
    await fs.writeFile(join(dir, 'token.spec.js'), 'throw new Error("a spec must not be loaded")');
    await fs.writeFile(join(dir, 'token.d.ts'), 'throw new Error("a declaration must not be loaded")');
    await fs.writeFile(join(dir, 'token.js.map'), '{}');
    await fs.mkdir(join(dir, 'helpers'));
    await fs.writeFile(join(dir, 'helpers', 'x.js'), 'throw new Error("helpers are not commands")');
    expect(loadCommands(dir).map((command) => command.name)).toEqual(['audit export', 'token']);
  });

  it('refuses a file that does not export a command, naming it', async () => {
    await fs.writeFile(join(dir, 'broken.js'), 'exports.cmd = {};\n');
    expect(() => loadCommands(dir)).toThrow(/broken\.js does not export a command/);
  });

  it('refuses two files defining the same command', async () => {
    await fs.writeFile(join(dir, 'a.js'), commandSource('token'));
    await fs.writeFile(join(dir, 'b.js'), commandSource('token'));
    expect(() => loadCommands(dir)).toThrow(/define the command "token"/);
  });
});

describe('loadCommandFor (only the command argv names)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'asiointitili-commands-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('loads the one file the command words name, and no other', async () => {
    await fs.writeFile(join(dir, 'audit-export.js'), commandSource('audit export'));
    await fs.writeFile(join(dir, 'token.js'), 'throw new Error("another command must not be loaded")');
    expect(loadCommandFor(['audit', 'export', '--stream', 'x'], dir)?.map((c) => c.name)).toEqual(['audit export']);
  });

  it('answers undefined (load them all) for help, an unknown command, or a file whose command has another name', async () => {
    await fs.writeFile(join(dir, 'token.js'), commandSource('not token'));
    expect(loadCommandFor(['--help'], dir)).toBeUndefined();
    expect(loadCommandFor(['nothing'], dir)).toBeUndefined();
    expect(loadCommandFor(['token'], dir)).toBeUndefined();
    expect(loadCommandFor(['../token'], dir)).toBeUndefined();
  });

  it('finds every real command by its file name', () => {
    for (const command of loadCommands(COMMANDS_DIRECTORY)) {
      expect(loadCommandFor([...command.name.split(' '), '--x'], COMMANDS_DIRECTORY)?.[0]?.name).toBe(command.name);
    }
  });
});

describe('findCommand', () => {
  const named = (name: string) => ({ name, usage: '', summary: '', run: async () => 0 });

  it('answers undefined when no command matches', () => {
    expect(findCommand(['nope'], [named('token')])).toBeUndefined();
  });

  it('splits the name words off the arguments', () => {
    expect(findCommand(['audit', 'export', '--stream', 'x'], [named('audit export')])?.args).toEqual(['--stream', 'x']);
  });
});
