import { installModuleAliases } from '../../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { Logger } from '@nestjs/common';
import { createHttpApp, openRuntime } from '@asiointitili/app';
import { runProcess } from '../../../libs/app/src/process/run-process';
import { startWorker } from '../../worker/src/worker';

/**
 * `npm start`: the whole system in one process on the embedded default (HTTP API, projections
 * and process managers). Set WORKER=off to run the HTTP API alone beside separate workers.
 */
runProcess('api', async (config) => {
  const runtime = await openRuntime(config);
  const worker = process.env.WORKER === 'off' ? null : await startWorker(runtime);
  const app = await createHttpApp(runtime);
  await app.listen(config.port);
  new Logger('api').log(`listening on port ${config.port}; OpenAPI at /docs`);
  return async () => {
    await app.close();
    await worker?.stop();
    await runtime.close();
  };
});
