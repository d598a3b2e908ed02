import type { Runtime } from '@asiointitili/app';
import { startProcessManagers } from '@asiointitili/app/legal-time/process-managers';
import { ATTACHMENT_SWEEPER, DEFAULT_SWEEP_INTERVAL_MS, startAttachmentSweeper } from '@asiointitili/app/attachments/attachment-sweeper';
import { READ_MODELS_CHECKPOINT } from '@asiointitili/app/read/projections/projection-runner';
import { startWebhookDispatcher } from '@asiointitili/app/webhooks/start-webhook-dispatcher';

export interface Worker {
  stop(): Promise<void>;
}

/**
 * Projections, then the legal-time process managers (deadlines, print hand-off, account closing,
 * arrival notices) following the log, and the attachment sweeper. Each is supervised (a failing
 * store is retried without end) and listed in runtime.followers for readiness and metrics.
 */
export async function startWorker(runtime: Runtime): Promise<Worker> {
  runtime.followers.register(READ_MODELS_CHECKPOINT, runtime.projections);
  await runtime.projections.start();
  const managers = await startProcessManagers(runtime);
  // Deletes uploads no message, reply or application referenced within 24 hours.
  const sweeper = await startAttachmentSweeper(runtime, DEFAULT_SWEEP_INTERVAL_MS, runtime.followers);
  runtime.followers.register(ATTACHMENT_SWEEPER, sweeper);
  // Pushes each agency's feed to its webhooks, from the feed read model and its own cursors.
  const webhooks = startWebhookDispatcher(runtime);
  return {
    async stop() {
      await webhooks.stop();
      await sweeper.stop();
      // Managers first: the account-closed manager may be waiting for the projections.
      await managers.stop();
      await runtime.projections.stop();
    },
  };
}
