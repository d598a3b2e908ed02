import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './api-process';
import { uniqueSuffix } from './server-suites';

/**
 * PostgreSQL for the suites, two ways:
 * - the machine's server (POSTGRES_TEST_URL, default postgresql://postgres@127.0.0.1:5432/postgres):
 *   each suite creates a database of its own and drops it afterwards;
 * - an instance of the suite's own (initdb/pg_ctl from POSTGRES_BIN, default
 *   /usr/lib/postgresql/15/bin, run as the `postgres` user through runuser), for fault suites that
 *   kill and restart the server.
 * Either way a suite that cannot have its server prints one `SKIPPED:` line and skips.
 */
export const POSTGRES_ADMIN_URL = process.env.POSTGRES_TEST_URL?.trim() || 'postgresql://postgres@127.0.0.1:5432/postgres';
export const POSTGRES_BIN = process.env.POSTGRES_BIN?.trim() || '/usr/lib/postgresql/15/bin';

/** Whether a server answers at `url`, decided synchronously (jest decides describe vs describe.skip synchronously). */
export function postgresReachable(url: string = POSTGRES_ADMIN_URL): boolean {
  const script = `const { Client } = require('pg');
    const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    c.connect().then(() => c.query('SELECT 1')).then(() => c.end()).then(() => process.exit(0), () => process.exit(1));`;
  const result = spawnSync(process.execPath, ['-e', script, url], { cwd: join(__dirname, '..', '..'), timeout: 10_000 });
  return result.status === 0;
}

/** `describe` when the machine's PostgreSQL answers; otherwise `describe.skip` and one SKIPPED line. */
export function describeWithPostgres(name: string, body: () => void): void {
  if (postgresReachable()) {
    describe(name, body);
    return;
  }
  // eslint-disable-next-line no-console
  console.log(`SKIPPED: "${name}" needs PostgreSQL at ${redact(POSTGRES_ADMIN_URL)} (POSTGRES_TEST_URL); it did not answer, so this suite did not run.`);
  describe.skip(name, body);
}

/** A fresh database on the machine's server; returns its URL and a dropper. */
export async function createTestDatabase(prefix: string): Promise<{ readonly url: string; readonly drop: () => Promise<void> }> {
  const name = `${prefix}_${uniqueSuffix()}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
  await withAdmin(POSTGRES_ADMIN_URL, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(POSTGRES_ADMIN_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

/** What an own instance needs: the binaries, root (to run them as `postgres`) and runuser. Null when all is there. */
export function ownInstanceMissing(): string | null {
  if (!existsSync(join(POSTGRES_BIN, 'initdb')) || !existsSync(join(POSTGRES_BIN, 'pg_ctl'))) return `initdb/pg_ctl in ${POSTGRES_BIN} (POSTGRES_BIN)`;
  if (process.getuid?.() !== 0) return 'root, to run PostgreSQL as the postgres user';
  if (spawnSync('runuser', ['--help']).status !== 0) return 'runuser';
  if (spawnSync('id', ['postgres']).status !== 0) return 'a postgres system user';
  return null;
}

/** `describe` when an own PostgreSQL instance can be run; otherwise `describe.skip` and one SKIPPED line. */
export function describeWithOwnPostgres(name: string, body: () => void): void {
  const missing = ownInstanceMissing();
  if (!missing) {
    describe(name, body);
    return;
  }
  // eslint-disable-next-line no-console
  console.log(`SKIPPED: "${name}" needs its own PostgreSQL instance; missing: ${missing}.`);
  describe.skip(name, body);
}

/**
 * A PostgreSQL cluster of the suite's own in a temporary directory, listening on 127.0.0.1 at a
 * free port. kill() is a crash: SIGKILL to the postmaster and every backend, as a power loss or
 * the OOM killer leaves it; start() again runs crash recovery from the WAL.
 */
export class PostgresInstance {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PostgresInstance> {
    const dir = mkdtempSync(join(tmpdir(), 'asiointitili-pg-'));
    chmodSync(dir, 0o777);
    const instance = new PostgresInstance(dir, await freePort());
    execFileSync('chown', ['postgres:postgres', dir]);
    instance.asPostgres('initdb', ['-D', instance.dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    return instance;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  get adminUrl(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  urlOf(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async createDatabase(name: string): Promise<string> {
    await withAdmin(this.adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    return this.urlOf(name);
  }

  /** Starts the server (running crash recovery after a kill) and waits until it accepts connections. */
  start(): void {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        this.startOnce();
        return;
      } catch (error) {
        // After a kill the old shared memory can take a moment to be released; pg_ctl then refuses.
        if (Date.now() > deadline) throw new Error(`${String(error)}\n${this.logTail()}`);
        spawnSync('sleep', ['0.2']);
      }
    }
  }

  /** The end of the server's log, for error messages. */
  logTail(): string {
    const log = join(this.dir, 'server.log');
    return existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
  }

  private startOnce(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200`;
    this.asPostgres('pg_ctl', ['start', '-D', this.dataDir, '-w', '-t', '60', '-l', join(this.dir, 'server.log'), '-o', options]);
  }

  /** SIGKILL to the postmaster and all its children; returns the number of processes killed. */
  kill(): number {
    const pidFile = join(this.dataDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return 0;
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    // Stopped first, so that it cannot fork a backend between listing its children and killing them.
    try {
      process.kill(postmaster, 'SIGSTOP');
    } catch {
      return 0;
    }
    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
      .stdout.split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
    let killed = 0;
    for (const pid of [postmaster, ...children]) {
      try {
        process.kill(pid, 'SIGKILL');
        killed += 1;
      } catch {
        // already gone
      }
    }
    // Wait until the processes are gone, so a restart does not find the old shared memory in use.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && [postmaster, ...children].some(alive)) spawnSync('sleep', ['0.05']);
    return killed;
  }

  /** Stops the server (immediately) and removes its files. */
  destroy(): void {
    try {
      this.asPostgres('pg_ctl', ['stop', '-D', this.dataDir, '-m', 'immediate', '-w']);
    } catch {
      this.kill();
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private asPostgres(binary: string, args: readonly string[]): void {
    execFileSync('runuser', ['-u', 'postgres', '--', join(POSTGRES_BIN, binary), ...args], { stdio: 'pipe', cwd: this.dir });
  }
}

/** Whether the process still runs (a zombie waiting for its parent to reap it counts as gone). */
function alive(pid: number): boolean {
  const state = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
  return state !== '' && !state.startsWith('Z');
}
