import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
const API_MAIN = join(REPO_ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const CLI_MAIN = join(REPO_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

/** Whether the `faketime` command (libfaketime) is installed. */
export function hasFaketime(): boolean {
  return spawnSync('faketime', ['-f', '+0d', 'true'], { stdio: 'ignore' }).status === 0;
}

/**
 * Compiles the product to dist/ as `npm start` would. tsc emits even when another file of the
 * working tree has a type error (the typecheck is its own CI step); what counts here is that the
 * entry points exist afterwards.
 */
export function buildProduct(): void {
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
  if (result.error) throw result.error;
  const emitted = spawnSync('node', ['-e', `require('fs').accessSync(${JSON.stringify(API_MAIN)}); require('fs').accessSync(${JSON.stringify(CLI_MAIN)})`]);
  if (emitted.status !== 0) throw new Error(`npm run build did not produce the entry points:\n${result.stdout}\n${result.stderr}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** `faketime -f <offset> <command…>` when an offset is given, the command itself otherwise. */
function underClock(offset: string | undefined, command: readonly string[]): [string, string[]] {
  return offset === undefined ? [command[0]!, command.slice(1)] : ['faketime', ['-f', offset, ...command]];
}

/**
 * The runner's environment without the server URLs of other suites (CI sets MONGODB_URL for the
 * whole run): a process under test uses a server only when its suite passes one in `env`, and then
 * a database of its own. Before, every such process shared one MongoDB database, whose read
 * models another suite's event log had built.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  const { MONGODB_URL: _mongo, EVENTSTORE_URL: _events, MALWARE_SCANNER_URL: _scanner, NODE_ENV: _mode, ...rest } = process.env;
  return rest;
}

/** Mints a token with the CLI over the same DATA_DIR, at the same shifted time as the server will run. */
export function cliToken(env: Readonly<Record<string, string>>, offset: string | undefined, args: readonly string[]): string {
  const [file, argv] = underClock(offset, ['node', CLI_MAIN, 'token', ...args]);
  return execFileSync(file, argv, { env: { ...inheritedEnv(), ...env }, encoding: 'utf8' }).trim();
}

export interface ApiProcess {
  readonly url: string;
  readonly output: () => string;
  /** SIGTERM (a graceful stop: requests drained, checkpoints kept), then waits until the server has exited. */
  stop(): Promise<void>;
}

/**
 * `node dist/apps/api/src/main.js` as its own process group. faketime runs the program as its
 * child and does not pass signals on, so the whole group is signalled, and the end is taken to
 * be the moment every copy of the output pipes is closed, i.e. the server itself has exited.
 */
export async function startApi(env: Readonly<Record<string, string>>, offset?: string): Promise<ApiProcess> {
  const [file, argv] = underClock(offset, ['node', API_MAIN]);
  const child: ChildProcess = spawn(file, argv, { cwd: REPO_ROOT, env: { ...inheritedEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = `http://127.0.0.1:${env.PORT}`;
  const stop = async () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await closed;
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the API exited at start:\n${output}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the API did not answer /health within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, output: () => output, stop };
}
