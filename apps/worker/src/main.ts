import { installModuleAliases } from '../../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { openRuntime } from '@asiointitili/app';
import { startHealthServer } from '../../../libs/app/src/health/health-server';
import { readinessSourcesOf } from '../../../libs/app/src/health/readiness';
import { runProcess } from '../../../libs/app/src/process/run-process';
import { startWorker } from './worker';

/** The projection and process-manager worker on its own, for production beside WORKER=off APIs. */
runProcess('worker', async (config) => {
  const runtime = await openRuntime(config);
  const worker = await startWorker(runtime);
  // Optional: probes and a metrics scrape for the worker, which serves no API.
  const health = config.workerHealthPort === undefined ? null : await startHealthServer(config.workerHealthPort, readinessSourcesOf(runtime), runtime.metrics);
  return async () => {
    await new Promise((resolve) => (health ? health.close(resolve) : resolve(undefined)));
    await worker.stop();
    await runtime.close();
  };
});
