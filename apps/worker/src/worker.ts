import type { Runtime } from '@asiointitili/app';

export interface Worker {
  stop(): Promise<void>;
}

/** Projections (and, with the legal-time issue, the process managers) following the log. */
export async function startWorker(runtime: Runtime): Promise<Worker> {
  await runtime.projections.start();
  return {
    async stop() {
      await runtime.projections.stop();
    },
  };
}
