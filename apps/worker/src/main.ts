import { installModuleAliases } from '../../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { openRuntime } from '@asiointitili/app';
import { runProcess } from '../../../libs/app/src/process/run-process';
import { startWorker } from './worker';

/** The projection and process-manager worker on its own, for production beside WORKER=off APIs. */
runProcess('worker', async (config) => {
  const runtime = await openRuntime(config);
  const worker = await startWorker(runtime);
  return async () => {
    await worker.stop();
    await runtime.close();
  };
});
