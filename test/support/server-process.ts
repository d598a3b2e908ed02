import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TokenClaims } from './test-app';

/**
 * The compiled server as an operator runs it (`node dist/apps/api/src/main.js`), in a child
 * process that a test can SIGTERM or SIGKILL, with its stdout and stderr captured. For suites
 * about what an in-process app cannot show: crashes, signals and the process's own log output.
 */

export const REPO_ROOT = resolve(__dirname, '..', '..');
const API_ENTRY = join(REPO_ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const WORKER_ENTRY = join(REPO_ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');
/** libfaketime, preloaded directly (not through the `faketime` wrapper) so that signals reach the node process itself. */
const LIBFAKETIME =
  ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1'].find((path) => existsSync(path)) ??
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const CLI_ENTRY = join(REPO_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const run = promisify(execFile);

// ---------------------------------------------------------------- building

/** Sources whose compiled file is missing or older than they are. */
function staleSources(): string[] {
  const stale: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) {
        const output = join(REPO_ROOT, 'dist', relative(REPO_ROOT, path)).replace(/\.ts$/, '.js');
        if (!existsSync(output) || statSync(output).mtimeMs < statSync(path).mtimeMs) stale.push(path);
      }
    }
  };
  for (const root of ['apps', 'libs']) walk(join(REPO_ROOT, root));
  return stale;
}

/**
 * Compiles to dist/ (what `npm run build` does) when a source is newer than its output. Suites in
 * parallel jest workers share one build through a lock directory. Type errors elsewhere in the
 * tree do not stop tsc from emitting, so they fail a suite only if the entry points are missing.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(tmpdir(), `asiointitili-build-${Buffer.from(REPO_ROOT).toString('hex').slice(-16)}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is taken over after three minutes.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${lock}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (staleSources().length === 0) return;
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const outcome = await run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
    );
    if (!existsSync(API_ENTRY) || !existsSync(CLI_ENTRY)) throw new Error(`the build produced no entry points:\n${outcome.stdout.slice(0, 4000)}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- processes

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  readonly dataDir: string;
  readonly port: number;
  readonly baseUrl: string;
  readonly pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then the exit status (SIGKILL after `timeoutMs`, so a hung drain fails the test instead of the run). */
  stop(timeoutMs?: number): Promise<ExitStatus>;
}

export interface StartOptions {
  readonly dataDir: string;
  /** Added to a clean environment (DATA_DIR and PORT are set here). */
  readonly env?: Readonly<Record<string, string>>;
  readonly port?: number;
  /** Wait for GET /health to answer 200 (default), or only for the process to be spawned. */
  readonly waitUntilHealthy?: boolean;
  /** `worker`: the worker alone (`dist/apps/worker/src/main.js`, no HTTP; waitUntilHealthy does not apply). Default `api`. */
  readonly program?: 'api' | 'worker';
  /** A libfaketime offset such as `+4d`: the process runs with its clock shifted (see hasLibFaketime). */
  readonly clockOffset?: string;
}

/** Whether libfaketime can be preloaded here (StartOptions.clockOffset). */
export function hasLibFaketime(): boolean {
  return existsSync(LIBFAKETIME);
}

/**
 * A clean environment: the test runner's own (NODE_ENV=test, server URLs of other suites) must
 * not leak into the process under test. Rate limits are lifted so that load tests measure the
 * server, not the limiter.
 */
function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_AGENCY_PER_MINUTE: '100000000',
  };
}

export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const clock = options.clockOffset === undefined ? {} : { LD_PRELOAD: LIBFAKETIME, FAKETIME: options.clockOffset, FAKETIME_DONT_RESET: '1', FAKETIME_NO_CACHE: '1' };
  const child: ChildProcess = spawn(process.execPath, [options.program === 'worker' ? WORKER_ENTRY : API_ENTRY], {
    cwd: REPO_ROOT,
    env: { ...baseEnv(), ...(options.env ?? {}), ...clock, DATA_DIR: options.dataDir, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  const exited = new Promise<ExitStatus>((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  const server: ServerProcess = {
    dataDir: options.dataDir,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => chunks.join(''),
    exited,
    kill: (signal) => {
      child.kill(signal);
    },
    async stop(timeoutMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const status = await exited;
      clearTimeout(timer);
      return status;
    },
  };
  if (options.waitUntilHealthy !== false && options.program !== 'worker') await waitUntilHealthy(server);
  return server;
}

/** Polls GET /health until it answers 200; fails with the process's output if it exits or takes too long. */
export async function waitUntilHealthy(server: ServerProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: ExitStatus | undefined;
  void server.exited.then((status) => (exit = status));
  for (;;) {
    if (exit) throw new Error(`the server exited (${JSON.stringify(exit)}) before it was healthy:\n${server.output()}`);
    try {
      const response = await fetch(`${server.baseUrl}/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server was not healthy within ${timeoutMs} ms:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs the compiled CLI on `dataDir` (plus `env`, e.g. KEYS_DIR) and returns its stdout, or throws with its stderr. */
export async function runCli(dataDir: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI_ENTRY, ...args], { cwd: REPO_ROOT, env: { ...baseEnv(), ...env, DATA_DIR: dataDir } });
  return stdout;
}

/** A development token from `cli token`, signed with the key in `dataDir` or `env.KEYS_DIR` (the server with the same keys accepts it). */
export async function mintToken(dataDir: string, claims: TokenClaims, env: Readonly<Record<string, string>> = {}): Promise<string> {
  const args =
    claims.role === 'citizen'
      ? ['--role', 'citizen', '--hetu', claims.hetu, ...(claims.acr ? ['--acr', claims.acr] : []), ...(claims.amr ? ['--amr', claims.amr] : [])]
      : claims.role === 'agency'
        ? ['--role', 'agency', '--agency', claims.agency]
        : ['--role', claims.role];
  return (await runCli(dataDir, ['token', ...args], env)).trim();
}

/** Runs `task` over `items` with at most `limit` at a time (CLI processes are heavy; 32 at once is not). */
export async function inBatches<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
