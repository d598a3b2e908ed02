import { Logger } from '@nestjs/common';
import type { Runtime } from '@asiointitili/app';
import { startProcessManagers, type ProcessManagers } from '@asiointitili/app/legal-time/process-managers';
import { ATTACHMENT_SWEEPER, DEFAULT_SWEEP_INTERVAL_MS, startAttachmentSweeper, type AttachmentSweeper } from '@asiointitili/app/attachments/attachment-sweeper';
import { WorkerLease, type LeaseDuties } from '@asiointitili/app/fleet/worker-lease';
import { READ_MODELS_CHECKPOINT } from '@asiointitili/app/read/projections/projection-runner';
import { startWebhookDispatcher } from '@asiointitili/app/webhooks/start-webhook-dispatcher';

export interface Worker {
  readonly lease: WorkerLease;
  stop(): Promise<void>;
}

/**
 * The worker: any number of processes may run one (worker processes, and APIs without
 * WORKER=off, also several on one embedded DATA_DIR); the one holding the lease (fleet/worker-lease)
 * is active and runs the duties below, the others stand by and take over within seconds of its
 * death. Every write of the duties to the read store is fenced by the lease's epoch.
 */
export async function startWorker(runtime: Runtime): Promise<Worker> {
  const lease = new WorkerLease(runtime.readStore, new WorkerDuties(runtime), { ttlMs: runtime.config.workerLeaseTtlMs });
  runtime.fencing.attach(lease);
  runtime.followers.register('worker-lease', lease);
  await lease.start();
  if (!lease.isActive()) new Logger('worker').log('standing by: another worker holds the lease; taking over when it stops renewing it');
  return {
    lease,
    async stop() {
      await lease.stop();
      runtime.fencing.detach();
    },
  };
}

/**
 * What the active worker runs: projections, then the legal-time process managers (deadlines,
 * print hand-off, account closing, arrival notices) following the log, the attachment sweeper and
 * the webhook dispatcher. Each is supervised (a failing store is retried without end) and listed
 * in runtime.followers for readiness and metrics while it runs.
 */
class WorkerDuties implements LeaseDuties {
  private running: { managers: ProcessManagers; sweeper: AttachmentSweeper; webhooks: { stop(): Promise<void> } } | null = null;
  private readonly names: string[] = [];

  constructor(private readonly runtime: Runtime) {}

  async start(): Promise<void> {
    const runtime = this.runtime;
    this.register(READ_MODELS_CHECKPOINT, runtime.projections);
    await runtime.projections.start();
    const managers = await startProcessManagers(runtime);
    for (const reactor of managers.reactors) this.names.push(reactor.name);
    this.names.push('deadline-manager');
    // Deletes uploads no message, reply or application referenced within 24 hours.
    const sweeper = await startAttachmentSweeper({ ...runtime, readStore: runtime.workerStore }, DEFAULT_SWEEP_INTERVAL_MS, runtime.followers);
    this.register(ATTACHMENT_SWEEPER, sweeper);
    // Pushes each agency's feed to its webhooks, from the feed read model and its own cursors.
    const webhooks = startWebhookDispatcher({ ...runtime, readStore: runtime.workerStore });
    this.running = { managers, sweeper, webhooks };
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = null;
    if (running) {
      await running.webhooks.stop();
      await running.sweeper.stop();
      // Managers first: the account-closed manager may be waiting for the projections.
      await running.managers.stop();
    }
    await this.runtime.projections.stop();
    for (const name of this.names.splice(0)) this.runtime.followers.unregister(name);
  }

  private register(name: string, source: Parameters<Runtime['followers']['register']>[1]): void {
    this.runtime.followers.register(name, source);
    this.names.push(name);
  }
}
