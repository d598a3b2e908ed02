import { installModuleAliases } from '../../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { openRuntime } from '@asiointitili/app';
import { startHealthServer } from '../../../libs/app/src/health/health-server';
import { readinessSourcesOf } from '../../../libs/app/src/health/readiness';
import { followParentApi } from '../../../libs/app/src/process/child-worker';
import { runProcess } from '../../../libs/app/src/process/run-process';
import { startWorker } from './worker';

/**
 * The projection and process-manager worker on its own: beside WORKER=off APIs in production, or
 * as the child process `npm start` runs it in (then it follows the API's commits and ends with it).
 */
runProcess('worker', async (config) => {
  // Started by an API: ends with it (once running, draining as on SIGTERM).
  const parent = followParentApi(config.dataDir, () => process.kill(process.pid, 'SIGTERM'));
  const runtime = await openRuntime(config);
  const worker = await startWorker(runtime);
  // Optional: probes and a metrics scrape for the worker, which serves no API.
  const health = config.workerHealthPort === undefined ? null : await startHealthServer(config.workerHealthPort, readinessSourcesOf(runtime), runtime.metrics);
  parent.running();
  return async () => {
    await new Promise((resolve) => (health ? health.close(resolve) : resolve(undefined)));
    await worker.stop();
    await runtime.close();
  };
});
