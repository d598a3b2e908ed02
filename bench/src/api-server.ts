import { join } from 'node:path';
import { ChildServer, sleep } from './child-server';

/** dist/bench/src → dist */
const DIST = join(__dirname, '..', '..');
export const API_SCRIPT = join(DIST, 'apps', 'api', 'src', 'main.js');
export const HELLO_SCRIPT = join(__dirname, 'hello-server.js');

interface Health {
  readonly status: string;
  readonly headPosition: string | null;
  readonly projectionCheckpoint: string | null;
}

async function health(baseUrl: string): Promise<Health | null> {
  const response = await fetch(`${baseUrl}/health`);
  return response.ok ? ((await response.json()) as Health) : null;
}

/** Caught up: the read models include every event in the log. */
export async function caughtUp(baseUrl: string): Promise<boolean> {
  const answer = await health(baseUrl);
  return answer !== null && answer.headPosition === answer.projectionCheckpoint;
}

export async function waitForCatchUp(baseUrl: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await caughtUp(baseUrl))) {
    if (Date.now() > deadline) throw new Error('projections did not catch up in time');
    await sleep(50);
  }
}

export interface ApiStartOptions {
  /** Run under --cpu-prof, writing the profile here. */
  readonly profileDir?: string;
  /** Another build's API (a before/after comparison on the same client and data). */
  readonly script?: string;
  /** Further node flags, e.g. --perf-basic-prof for perf(1). */
  readonly nodeArgs?: readonly string[];
  /** EVENTSTORE_URL and MONGODB_URL of the production shape (the embedded default without). */
  readonly stores?: Readonly<Record<string, string>>;
}

/** `npm start` on the bench's DATA_DIR (the API and its worker process), ready once caught up. */
export function startApi(dataDir: string, options: ApiStartOptions = {}): Promise<ChildServer> {
  return ChildServer.start({
    script: options.script ?? API_SCRIPT,
    // The load generator is one address standing for a population of clients: no per-address connection cap.
    env: { ...options.stores, DATA_DIR: dataDir, MAX_CONNECTIONS_PER_ADDRESS: '0' },
    nodeArgs: [...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []), ...(options.nodeArgs ?? [])],
    ready: caughtUp,
  });
}

export function startHello(): Promise<ChildServer> {
  return ChildServer.start({
    script: HELLO_SCRIPT,
    env: {},
    ready: async (baseUrl) => (await fetch(`${baseUrl}/hello`)).ok,
  });
}
