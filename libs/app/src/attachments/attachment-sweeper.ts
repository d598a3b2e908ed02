import { Logger } from '@nestjs/common';
import type { BlobStore, Clock, ReadStore } from '@asiointitili/core';
import { backOffDelay } from '../followers/back-off';
import { describeError } from '../followers/failures';
import type { FollowerObserver, FollowerState, FollowerStatus, StatusSource } from '../followers/follower-status';
import { Collections } from '../read/projections/collections';
import { UNUSED_UPLOAD_TTL_MS } from './attachment-lifetime';
import { ATTACHMENT_INDEXES, type AttachmentRecord, type AttachmentUseDoc, type ClaimMarker } from './attachment-records';

/** Name of the sweeper in logs, metrics and readiness. */
export const ATTACHMENT_SWEEPER = 'attachment-sweeper';

/** How often the worker looks for expired uploads. */
export const DEFAULT_SWEEP_INTERVAL_MS = 10 * 60 * 1000;
const PAGE = 200;

export interface SweepReport {
  /** Uploads deleted (file and record): unused for 24 hours. */
  readonly deleted: readonly string[];
  /** Uploads that looked unused but an event or marker shows used: their record was corrected, nothing deleted. */
  readonly repaired: readonly string[];
}

export interface SweeperPorts {
  readonly readStore: ReadStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
}

/**
 * Deletes uploads nobody referenced within 24 hours (API.md), on the Clock port's time. Before
 * deleting, it asks the log (the attachment-uses projection) and the claim markers whether the
 * upload was used after all (a crash between an event and `confirm`); if so, it repairs the
 * record and keeps the file. The file goes first, then the record: a crash in between leaves a
 * record the next sweep finishes, never a file without a record that no sweep would find.
 */
export class AttachmentSweeper implements StatusSource {
  private readonly logger = new Logger(ATTACHMENT_SWEEPER);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private active = false;
  private state: FollowerState = 'starting';
  private failures = 0;
  private lastError: string | null = null;

  constructor(
    private readonly ports: SweeperPorts,
    private readonly intervalMs = DEFAULT_SWEEP_INTERVAL_MS,
    private readonly observer?: FollowerObserver,
  ) {}

  /**
   * Sweeps every `intervalMs`. A sweep that fails (a store down) is retried with capped
   * exponential back-off and jitter, without end, rather than waiting for the next interval.
   */
  async start(): Promise<void> {
    if (this.active) return;
    this.active = true;
    this.state = 'running';
    // Indexes are created by the first sweep; a store that is down now only delays it.
    this.schedule(this.intervalMs);
  }

  async stop(): Promise<void> {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    this.state = 'stopped';
  }

  standBy(): void {
    if (!this.active) this.state = 'standby';
  }

  status(): FollowerStatus {
    return { name: ATTACHMENT_SWEEPER, state: this.state, position: null, consecutiveFailures: this.failures, lastError: this.lastError, poison: null };
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.ports.readStore
        .ensureIndexes(ATTACHMENT_INDEXES)
        .then(() => this.sweepOnce())
        .then(
          (report) => {
            if (report.deleted.length + report.repaired.length > 0) {
              this.logger.log(`deleted ${report.deleted.length} unused upload(s), repaired ${report.repaired.length}`);
            }
            this.failures = 0;
            this.lastError = null;
            if (this.active) this.state = 'running';
            if (this.active) this.schedule(this.intervalMs);
          },
          (error: unknown) => {
            this.failures += 1;
            this.lastError = describeError(error);
            this.observer?.followerRetried(ATTACHMENT_SWEEPER);
            if (this.failures === 1 || this.failures % 10 === 0) this.logger.error(`sweep failed (${this.failures} in a row), retrying with back-off: ${this.lastError}`);
            if (this.active) this.state = 'retrying';
            if (this.active) this.schedule(Math.min(this.intervalMs, backOffDelay(this.failures)));
          },
        )
        .finally(() => {
          this.running = null;
        });
    }, delayMs);
    this.timer.unref();
  }

  async sweepOnce(): Promise<SweepReport> {
    const { readStore, blobs, clock } = this.ports;
    const cutoff = new Date(clock.now().getTime() - UNUSED_UPLOAD_TTL_MS).toISOString();
    const deleted: string[] = [];
    const repaired: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: AttachmentRecord[]; next: string | null } = await readStore.find<AttachmentRecord>(Collections.attachments, {
        where: { usedBy: null },
        orderBy: [{ field: 'uploadedAt', direction: 'asc' }],
        limit: PAGE,
        cursor,
      });
      for (const record of page.items) {
        // Oldest first: the first young one ends the sweep.
        if (record.uploadedAt > cutoff) return { deleted, repaired };
        const usedBy = await this.usedByOf(record.id);
        if (usedBy) {
          await readStore.write([{ op: 'put', collection: Collections.attachments, doc: { ...record, usedBy } }]);
          repaired.push(record.id);
          continue;
        }
        await blobs.delete(record.id);
        await readStore.write([{ op: 'delete', collection: Collections.attachments, id: record.id }]);
        deleted.push(record.id);
      }
      cursor = page.next;
    } while (cursor);
    return { deleted, repaired };
  }

  private async usedByOf(attachmentId: string): Promise<string | null> {
    const { readStore } = this.ports;
    const query = { where: { attachmentId }, orderBy: [{ field: 'attachmentId', direction: 'asc' as const }], limit: 1 };
    const [marker] = (await readStore.find<ClaimMarker>(Collections.attachmentClaims, query)).items;
    if (marker) return marker.usedBy;
    const [use] = (await readStore.find<AttachmentUseDoc>(Collections.attachmentUses, query)).items;
    return use ? use.usedBy : null;
  }
}

/** Starts the periodic sweep (the worker calls this; stop it with `stop()`). */
export async function startAttachmentSweeper(ports: SweeperPorts, intervalMs = DEFAULT_SWEEP_INTERVAL_MS, observer?: FollowerObserver): Promise<AttachmentSweeper> {
  const sweeper = new AttachmentSweeper(ports, intervalMs, observer);
  await sweeper.start();
  return sweeper;
}
