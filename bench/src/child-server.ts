import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface ChildServerOptions {
  /** The compiled entry point (dist/...js). */
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
  /** Extra node flags, e.g. --cpu-prof. */
  readonly nodeArgs?: readonly string[];
  /** Resolves when the server answers as ready. */
  readonly ready: (baseUrl: string) => Promise<boolean>;
  readonly readyTimeoutMs?: number;
}

/**
 * A server under test in its own process, as production runs it: the load generator's CPU time
 * never counts as the server's, and its memory is the server's alone.
 */
export class ChildServer {
  private exited: Promise<number | null>;
  private stderrTail = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    child.stdout?.resume();
  }

  static async start(options: ChildServerOptions): Promise<ChildServer> {
    const port = await freePort();
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
      env: { ...embeddedOnly(process.env), ...options.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ChildServer(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server ${options.script} exited with ${child.exitCode}: ${server.stderrTail}`);
      if (await options.ready(server.baseUrl).catch(() => false)) return server;
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`server ${options.script} was not ready in time: ${server.stderrTail}`);
      }
      await sleep(100);
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Resident set size now, and its peak since the process started (VmHWM), in MB, of the server and
   * its child processes (the worker `npm start` runs beside the API): the sum of each process's
   * peak, an upper bound of the peak of the whole.
   */
  memory(): { readonly rssMb: number; readonly peakRssMb: number } {
    let rssKb = 0;
    let peakKb = 0;
    for (const pid of [this.pid, ...childrenOf(this.pid)]) {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
      rssKb += kb('VmRSS');
      peakKb += kb('VmHWM');
    }
    return { rssMb: Math.round(rssKb / 1024), peakRssMb: Math.round(peakKb / 1024) };
  }

  /**
   * CPU seconds (user + system) used so far by the server process (all its threads), by its main
   * thread alone (the event loop that answers requests; the rest is the event store's writer
   * thread, GC and libuv helpers) and by its children (the worker): what a request costs,
   * whatever else the machine is doing meanwhile.
   */
  cpuSeconds(): { readonly server: number; readonly serverLoop: number; readonly children: number } {
    return {
      server: cpuSecondsOf(this.pid),
      serverLoop: cpuSecondsOf(this.pid, `task/${this.pid}/stat`),
      children: childrenOf(this.pid).reduce((sum, pid) => sum + cpuSecondsOf(pid), 0),
    };
  }

  /** SIGTERM: the server drains, saves its checkpoints (and writes its CPU profile when asked to), then exits. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The bench measures the embedded default: server URLs and secrets of the caller's shell are not passed on. */
function embeddedOnly(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { EVENTSTORE_URL: _esdb, MONGODB_URL: _mongo, CITIZEN_REF_SECRET: _secret, DATA_DIR: _dataDir, PORT: _port, ...rest } = env;
  return rest;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Process ids of a process's children (Linux: /proc/<pid>/task/<tid>/children). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on every Linux this runs on). */
const USER_HZ = 100;

/** `stat`: the process's (all threads), or `task/<tid>/stat` for one thread's. */
function cpuSecondsOf(pid: number, stat = 'stat'): number {
  try {
    // Fields after the command name: state is the 1st, utime the 12th, stime the 13th.
    const fields = readFileSync(`/proc/${pid}/${stat}`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return 0;
  }
}
