import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './api-process';

/** The binary .ci/ferretdb.sh builds and caches (same version and place). */
export const FERRETDB_BINARY = join(homedir(), '.cache', 'asiointitili', 'ferretdb-v1.24.2', 'ferretdb');

/**
 * A FerretDB server of the suite's own, for fault tests: it can be stopped (SIGKILL, as a crash)
 * and started again on the same port and the same files, which the shared server of CI must not
 * be. Null when the binary is missing (run `bash .ci/ferretdb.sh` once to build it): the suite
 * then reports itself SKIPPED.
 */
export interface OwnFerretDb {
  readonly url: string;
  readonly port: number;
  /** Kills the server (SIGKILL) and waits until it is gone; the data files stay. */
  stop(): Promise<void>;
  /** Starts it again on the same port and files; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  destroy(): Promise<void>;
  /** What the server has written to stdout and stderr (warnings and errors), for a failing test's message. */
  output(): string;
  /**
   * What the server's goroutines are doing, grouped by stack (its debug handler's
   * /debug/pprof/goroutine?debug=1), and its open cursors: for a test that finds it unresponsive.
   */
  introspect(): Promise<string>;
}

export function ferretDbAvailable(): boolean {
  return existsSync(FERRETDB_BINARY);
}

/**
 * Where FerretDB keeps the data: its SQLite handler (files in a temporary directory, the default)
 * or its PostgreSQL handler on a database the caller provides (FerretDB's production backend; the
 * fleet suite runs it on a PostgreSQL instance of its own, because under load after a restart the
 * SQLite handler left operations unanswered — see docs/deployment.md).
 */
export type FerretBackend = { readonly handler: 'sqlite' } | { readonly handler: 'postgresql'; readonly postgresUrl: string };

export async function startOwnFerretDb(database = 'asiointitili', backend: FerretBackend = { handler: 'sqlite' }): Promise<OwnFerretDb> {
  const stateDir = await mkdtemp(join(tmpdir(), 'own-ferretdb-'));
  const port = await freePort();
  const debugPort = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let log = '';

  const start = async (): Promise<void> => {
    const process_ = spawn(
      FERRETDB_BINARY,
      [
        ...(backend.handler === 'sqlite' ? ['--handler=sqlite', `--sqlite-url=file:${stateDir}/`] : ['--handler=postgresql', `--postgresql-url=${backend.postgresUrl}`]),
        `--state-dir=${stateDir}`,
        '--telemetry=disable',
        `--listen-addr=127.0.0.1:${port}`,
        `--debug-addr=127.0.0.1:${debugPort}`,
        '--log-level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = process_;
    process_.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    process_.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    exited = new Promise((resolve) => process_.once('exit', () => resolve()));
    const deadline = Date.now() + 15_000;
    while (!(await accepts(port))) {
      if (process_.exitCode !== null) throw new Error(`FerretDB exited at start:\n${log}`);
      if (Date.now() > deadline) throw new Error(`FerretDB did not accept connections on ${port} within 15 s:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    child = null;
  };
  await start();
  return {
    url: `mongodb://127.0.0.1:${port}/${database}`,
    port,
    start,
    stop,
    output: () => log,
    async introspect() {
      const get = (path: string) =>
        fetch(`http://127.0.0.1:${debugPort}${path}`, { signal: AbortSignal.timeout(5_000) })
          .then((response) => response.text())
          .catch((error: unknown) => `(no answer: ${String(error)})`);
      const goroutines = await get('/debug/pprof/goroutine?debug=1');
      const cursors = (await get('/debug/metrics'))
        .split('\n')
        .filter((line) => /^ferretdb_cursors|^ferretdb_client_requests_total|pgxpool|_pool_/.test(line))
        .join('\n');
      return `goroutines (grouped):\n${goroutines}\nmetrics:\n${cursors}`;
    },
    async destroy() {
      await stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
