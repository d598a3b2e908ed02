import { installModuleAliases } from '../../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { createHttpApp, openRuntime } from '@asiointitili/app';
import { startChildWorker } from '../../../libs/app/src/process/child-worker';
import { assertLogReaches } from '../../../libs/app/src/read/projections/log-continuity';
import { READ_MODELS_CHECKPOINT } from '../../../libs/app/src/read/projections/projection-runner';
import { runProcess } from '../../../libs/app/src/process/run-process';
import { startWorker } from '../../worker/src/worker';

/**
 * `npm start`: the whole system. By default the HTTP API runs here and the projections and process
 * managers in a worker child process on the same DATA_DIR (its own connections, the second core).
 * WORKER=inline runs them in this process instead; WORKER=off runs the HTTP API alone beside
 * separately started workers.
 */
runProcess('api', async (config) => {
  const runtime = await openRuntime(config);
  const mode = workerMode(process.env.WORKER);
  // Refuse to start on a log that lost events the read models saw, as an API with its projections
  // in-process does, rather than leave the worker child to fail over and over.
  if (mode === 'child') await assertLogReaches(runtime.events, READ_MODELS_CHECKPOINT, await runtime.readStore.checkpoint(READ_MODELS_CHECKPOINT));
  const worker =
    mode === 'child'
      ? startChildWorker({ script: join(__dirname, '..', '..', 'worker', 'src', 'main.js'), dataDir: config.dataDir, embeddedLog: !config.eventStoreUrl })
      : mode === 'inline'
        ? await startWorker(runtime)
        : null;
  const app = await createHttpApp(runtime);
  if (worker && 'ready' in worker) await worker.ready;
  await app.listen(config.port);
  new Logger('api').log(`listening on port ${config.port}; OpenAPI at /docs`);
  return async () => {
    await app.close();
    await worker?.stop();
    await runtime.close();
  };
});

function workerMode(value: string | undefined): 'child' | 'inline' | 'off' {
  const mode = value?.trim() || 'child';
  if (mode === 'child' || mode === 'inline' || mode === 'off') return mode;
  process.stderr.write(`configuration error: WORKER must be child (the default), inline or off, got "${value}"\n`);
  process.exit(2);
}
