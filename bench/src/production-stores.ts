import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, sleep } from './child-server';

/** Where the CI script builds FerretDB (the same place test/support/own-ferretdb.ts looks). */
export const DEFAULT_FERRETDB_BINARY = join(homedir(), '.cache', 'asiointitili', 'ferretdb-v1.24.2', 'ferretdb');
/** The machine's PostgreSQL (trust authentication for postgres on localhost). */
export const DEFAULT_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface ProductionStores {
  /** EVENTSTORE_URL and MONGODB_URL for the API, its worker and the seeding runtime. */
  readonly env: Readonly<Record<string, string>>;
  readonly describe: string;
  /** Stops FerretDB and drops both databases. */
  stop(): Promise<void>;
}

/**
 * The production shape on this machine: events in a fresh PostgreSQL database, read models on a
 * FerretDB of the bench's own (its PostgreSQL handler, on a second fresh database). Both
 * databases are created for the run and dropped after it. Answers why not, instead, when
 * PostgreSQL does not answer or the FerretDB binary is missing.
 */
export async function startProductionStores(postgresUrl: string, ferretDbBinary: string): Promise<ProductionStores | { readonly skipped: string }> {
  if (!existsSync(ferretDbBinary)) return { skipped: `no FerretDB binary at ${ferretDbBinary} (bash .ci/ferretdb.sh builds it)` };
  const admin = new Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    return { skipped: `PostgreSQL did not answer at ${redact(postgresUrl)}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const name = `asiointitili_bench_${process.pid}_${Date.now().toString(36)}`;
  const databases = [`${name}_events`, `${name}_ferretdb`];
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-ferretdb-'));
  let ferret: ChildProcess | undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    if (ferret && ferret.exitCode === null && ferret.signalCode === null) {
      const exited = new Promise((resolve) => ferret!.once('exit', resolve));
      ferret.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (ferret.exitCode === null && ferret.signalCode === null) ferret.kill('SIGKILL');
    }
    for (const database of databases) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    for (const database of databases) await admin.query(`CREATE DATABASE ${database}`);
    const port = await freePort();
    let log = '';
    ferret = spawn(
      ferretDbBinary,
      [
        '--handler=postgresql',
        // Below what docs/deployment.md asks for one API and one worker ("FerretDB on PostgreSQL:
        // sizing its pool": > 40 + 30 × 2 = 100), because the machine's PostgreSQL allows 100
        // connections in all and the event store's pools share them; the bench's load holds far
        // fewer FerretDB connections at once (a few followers' batches and the inbox reads).
        `--postgresql-url=${urlOf(postgresUrl, databases[1]!)}?pool_max_conns=60`,
        `--state-dir=${stateDir}`,
        '--telemetry=disable',
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-',
        '--log-level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-2000);
      if (process.env.BENCH_FERRETDB_LOG === '1') process.stderr.write(`[ferretdb] ${chunk.toString()}`);
    };
    ferret.stdout!.on('data', keep);
    ferret.stderr!.on('data', keep);
    ferret.once('exit', (code, signal) => {
      if (!stopping) process.stderr.write(`[bench:production] FerretDB exited (${code ?? signal}) while in use: ${log}\n`);
    });
    const deadline = Date.now() + 15_000;
    while (!(await accepts(port))) {
      if (ferret.exitCode !== null) throw new Error(`FerretDB exited at start: ${log}`);
      if (Date.now() > deadline) throw new Error(`FerretDB did not accept connections on ${port} within 15 s: ${log}`);
      await sleep(50);
    }
    return {
      env: { EVENTSTORE_URL: urlOf(postgresUrl, databases[0]!), MONGODB_URL: `mongodb://127.0.0.1:${port}/asiointitili` },
      describe: `events in PostgreSQL (${redact(urlOf(postgresUrl, databases[0]!))}), read models on FerretDB v1.24.2 (PostgreSQL handler, database ${databases[1]})`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The same server and credentials, another database. */
function urlOf(postgresUrl: string, database: string): string {
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function redact(postgresUrl: string): string {
  const url = new URL(postgresUrl);
  if (url.password) url.password = '***';
  return url.toString();
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
