import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Clock } from '@asiointitili/core';
import { createHttpApp, loadConfig, openRuntime, type Runtime } from '@asiointitili/app';
import { TokenService } from '../../libs/app/src/auth/token-service';
import { startWorker, type Worker } from '../../apps/worker/src/worker';
import { conformingHttp } from './conforming-http';

export interface TestApp {
  readonly app: INestApplication;
  readonly runtime: Runtime;
  readonly dataDir: string;
  readonly http: ReturnType<typeof request>;
  token(claims: TokenClaims): Promise<string>;
  /** Closes the app and the ports; the data directory stays (for restart tests) until `destroy`. */
  close(): Promise<void>;
  destroy(): Promise<void>;
}

export type TokenClaims =
  | { role: 'citizen'; hetu: string; acr?: 'substantial' | 'high'; amr?: 'bank' | 'mobile' | 'idcard' }
  | { role: 'agency'; agency: string }
  | { role: 'auditor' }
  | { role: 'admin' };

export interface TestAppOptions {
  /** Reuse a data directory (restart tests). */
  readonly dataDir?: string;
  readonly clock?: Clock;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The whole system in-process on a temporary DATA_DIR, exactly as `npm start` wires it. Embedded
 * adapters unless `env` names servers (MONGODB_URL, EVENTSTORE_URL).
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'asiointitili-e2e-')));
  // Embedded unless the suite passes server URLs itself (suites for MongoDB/EventStoreDB do).
  const env = { ...(options.env ?? {}), DATA_DIR: dataDir };
  const config = loadConfig(env);
  const runtime = await openRuntime(config, { clock: options.clock, env });
  const worker: Worker = await startWorker(runtime);
  const app = await createHttpApp(runtime, { logger: false });
  await app.init();
  // Every answer a suite receives through `http` is checked against the served OpenAPI document.
  const { http } = await conformingHttp(app.getHttpServer());
  const tokens = app.get(TokenService);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await worker.stop();
    await runtime.close();
  };
  return {
    app,
    runtime,
    dataDir,
    http,
    token: (claims) =>
      tokens.mint(
        claims.role === 'citizen'
          ? { role: 'citizen', hetu: claims.hetu, acr: claims.acr, amr: claims.amr }
          : claims.role === 'agency'
            ? { role: 'agency', agency: claims.agency }
            : { role: claims.role },
      ),
    close,
    async destroy() {
      await close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Retries an assertion until it passes (read models lag writes by a moment), or rethrows its last failure. */
export { eventually } from './eventually';
