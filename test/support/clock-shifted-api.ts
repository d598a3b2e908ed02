import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProduct, freePort, startApi, type ApiProcess } from './api-process';
import { eventually as retryUntil } from './eventually';

/**
 * Plain calls for the clock-shifted suites (faketime): a server started with startApi, answers
 * parsed but not judged, so each suite asserts the statuses itself.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call(api: ApiProcess, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Retries an assertion every 100 ms until it passes or `timeoutMs` is over (a restarted server catches up first). */
export function eventually<T>(assertion: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  return retryUntil(assertion, timeoutMs, 100);
}

export interface ClockShiftedServer {
  /** DATA_DIR, PORT and a 50 ms DEADLINE_INTERVAL_MS, set before the suite's first test. */
  readonly env: Readonly<Record<string, string>> & { readonly DATA_DIR: string };
  /** Starts the compiled server (`faketime -f <offset>` when an offset is given); it is stopped after the test. */
  start(offset?: string): Promise<ApiProcess>;
}

/**
 * The common frame of a clock-shifted suite, called inside its describe: builds the product once,
 * gives the suite its own DATA_DIR and port, stops the server after each test (SIGTERM: a graceful
 * stop, so the next test's start is a restart on the same data) and removes the DATA_DIR at the end.
 */
export function clockShiftedServer(dataDirPrefix: string): ClockShiftedServer {
  let env: Record<string, string> & { DATA_DIR: string } = { DATA_DIR: '' };
  let api: ApiProcess | null = null;
  beforeAll(async () => {
    buildProduct();
    env = { DATA_DIR: await mkdtemp(join(tmpdir(), dataDirPrefix)), PORT: String(await freePort()), DEADLINE_INTERVAL_MS: '50' };
  });
  afterEach(async () => {
    await api?.stop();
    api = null;
  });
  afterAll(async () => {
    if (env.DATA_DIR !== '') await rm(env.DATA_DIR, { recursive: true, force: true });
  });
  return {
    get env() {
      return env;
    },
    async start(offset?: string) {
      api = await startApi(env, offset);
      return api;
    },
  };
}
