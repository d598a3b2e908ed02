import { Logger } from '@nestjs/common';
import { systemClock, type BlobStore, type Clock, type EventStore, type MalwareScanner, type Notifier, type PrintChannel, type ReadStore } from '@asiointitili/core';
import { createBlobStore } from '@asiointitili/blob-store';
import { createEventStore, verifyEventStore } from '@asiointitili/event-store';
import { createReadStore } from '@asiointitili/read-store';
import type { AppConfig } from '../config/app-config';
import { createDelivery } from '../delivery/create-delivery';
import { FencedReadStore, WorkerFencing } from '../fleet/fenced-read-store';
import { FollowerRegistry } from '../followers/follower-status';
import { allPortsReachable } from '../health/port-checks';
import { readModelLag } from '../health/readiness';
import { CitizenRefs } from '../identity/citizen-ref';
import { KeyRing } from '../keys';
import { createMalwareScanner } from '../malware/create-malware-scanner';
import { AppMetrics } from '../metrics/app-metrics';
import { openPersonalDataVault } from '../personal-data/open-personal-data-vault';
import type { PersonalDataVault } from '../personal-data/personal-data-vault';
import { READ_MODEL_PROJECTIONS } from '../read/projections';
import { bindReadStoreToLog } from '../read/projections/log-continuity';
import { ProjectionRunner, READ_MODELS_CHECKPOINT } from '../read/projections/projection-runner';
import { CommandExecutor } from '../write/command-executor';
import { RouteCheck } from '../legal-time/route-check';

/**
 * Everything a process needs, opened from configuration: the ports with the adapters the
 * configuration selects, the keys, and the projection runner. Built outside Nest so that the API,
 * the worker and the command line share it, and tests can swap the clock.
 */
export interface Runtime {
  readonly config: AppConfig;
  readonly clock: Clock;
  readonly events: EventStore;
  readonly readStore: ReadStore;
  readonly blobs: BlobStore;
  readonly keyRing: KeyRing;
  readonly citizenRefs: CitizenRefs;
  readonly executor: CommandExecutor;
  /** The routing rule at a message's recording point (legal-time/route-check.ts), under CONSENT_POLICY. */
  readonly routeCheck: RouteCheck;
  readonly projections: ProjectionRunner;
  /** The read store as the worker's followers write it: every write fenced by the worker lease once one is attached to `fencing`. */
  readonly workerStore: ReadStore;
  /** Where the worker attaches its lease (apps/worker): from then on the followers' writes carry its epoch. */
  readonly fencing: WorkerFencing;
  /** Every follower of the log this process runs, for readiness and metrics. */
  readonly followers: FollowerRegistry;
  /** Whether every port answers now; a supervisor asks it before judging an event poison. */
  portsReachable(): Promise<boolean>;
  /** Prometheus metrics of this process (GET /metrics); process managers register their checkpoints with watchProjection. */
  readonly metrics: AppMetrics;
  /** Email/SMS notices to citizens (outbox file, or SMTP for email when SMTP_URL is set). */
  readonly notifier: Notifier;
  /** Hand-off of paper letters (print job files in DATA_DIR). */
  readonly printChannel: PrintChannel;
  /** Per-person keys for contact details: seal, open, erase (crypto-shredding). */
  readonly personalData: PersonalDataVault;
  /** Scans uploads: clamd (MALWARE_SCANNER_URL), or nothing on the embedded default. */
  readonly malwareScanner: MalwareScanner;
  close(): Promise<void>;
}

export interface RuntimeOverrides {
  readonly clock?: Clock;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export async function openRuntime(config: AppConfig, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  const logger = new Logger('Runtime');
  const clock = overrides.clock ?? systemClock;
  const opened: { close(): Promise<void> }[] = [];
  try {
    const events = await createEventStore({ dataDir: config.dataDir, eventStoreUrl: config.eventStoreUrl, streamNamespace: config.eventStoreNamespace });
    opened.push(events);
    // EventStoreDB: the server version and the $all read permission, before anything follows the log.
    const eventStoreCheck = await verifyEventStore(events);
    if (eventStoreCheck) logger.log(eventStoreCheck);
    const readStore = await createReadStore({ dataDir: config.dataDir, mongodbUrl: config.mongodbUrl });
    opened.push(readStore);
    // Read models and checkpoints of another log must never be served or followed over this one.
    await bindReadStoreToLog(events, readStore);
    const blobs = await createBlobStore({ dataDir: config.dataDir, mongodbUrl: config.mongodbUrl });
    opened.push(blobs);
    const delivery = createDelivery(config);
    opened.push(delivery);
    // Every process of a fleet must hold the same keys: KEYS_DIR when set (keys/key-location.ts).
    const keyRing = await KeyRing.open({ dataDir: config.dataDir, keysDir: config.keysDir }, { clock });
    const citizenRefs = await CitizenRefs.open({ dataDir: config.dataDir, keysDir: config.keysDir, env: overrides.env ?? process.env });
    const personalData = await openPersonalDataVault({
      dataDir: config.dataDir,
      keysDir: config.keysDir,
      mongodbUrl: config.mongodbUrl,
      env: overrides.env ?? process.env,
      clock,
    });
    opened.push(personalData);
    const malwareScanner = createMalwareScanner(config);
    if (malwareScanner.scans) logger.log(`malware scanning: ${malwareScanner.description}; an upload is refused (503) while it cannot be reached`);
    else logger.warn(`malware scanning: ${malwareScanner.description}`);
    const followers = new FollowerRegistry();
    const portsReachable = () => allPortsReachable({ events, readStore, blobs });
    const fencing = new WorkerFencing();
    const workerStore = new FencedReadStore(readStore, fencing);
    const projections = new ProjectionRunner(events, workerStore, READ_MODEL_PROJECTIONS, { portsReachable, observer: followers });
    const metrics = new AppMetrics(events, clock);
    metrics.watchProjection(READ_MODELS_CHECKPOINT, projections);
    metrics.watchFollowers(followers);
    metrics.watchReadModelLag(async () => (await readModelLag({ events, readStore, clock, maxLagMs: config.readinessMaxLagMs })).lagMs);
    logger.log(
      `event store: ${eventStoreKind(config.eventStoreUrl)}; read models and attachments: ${config.mongodbUrl ? 'MongoDB' : 'embedded'}; keys: ${config.keysDir ?? 'DATA_DIR/keys'}; personal-data keys: ${personalData.description}; data directory: ${config.dataDir}`,
    );
    const executor = new CommandExecutor(events, metrics);
    return {
      config,
      clock,
      events,
      readStore,
      blobs,
      keyRing,
      citizenRefs,
      executor,
      routeCheck: new RouteCheck(executor, config.consentPolicy),
      metrics,
      projections,
      followers,
      portsReachable,
      workerStore,
      fencing,
      notifier: delivery.notifier,
      printChannel: delivery.printChannel,
      personalData,
      malwareScanner,
      async close() {
        await projections.stop();
        for (const port of opened.reverse()) await port.close();
      },
    };
  } catch (error) {
    for (const port of opened.reverse()) await port.close().catch(() => undefined);
    throw error;
  }
}

function eventStoreKind(url: string | undefined): string {
  if (!url) return 'embedded';
  return /^postgres(ql)?:/.test(url) ? 'PostgreSQL' : 'EventStoreDB';
}
