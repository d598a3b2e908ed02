import { ChainTracker, type ChainFailure, type EventStore } from '@asiointitili/core';

export interface VerificationReport {
  readonly ok: boolean;
  readonly streams: number;
  readonly events: number;
  readonly failures: readonly ChainFailure[];
}

/** Reads of the log go in pages of this many events. */
const PAGE = 2000;

/**
 * GET /v1/audit/verify: recomputes hash chains from the raw log and reports every broken stream
 * (the first break of each), not just the first in the log.
 */
export class ChainVerifier {
  constructor(private readonly events: EventStore) {}

  async verifyStream(stream: string): Promise<VerificationReport> {
    const tracker = new ChainTracker();
    let from = 0n;
    for (;;) {
      const page = await this.events.readStream(stream, { fromRevision: from, maxCount: PAGE });
      page.forEach((event) => tracker.check(event));
      if (page.length < PAGE) break;
      from = page[page.length - 1]!.revision + 1n;
    }
    return report(tracker);
  }

  async verifyAll(): Promise<VerificationReport> {
    const tracker = new ChainTracker();
    let after: bigint | undefined;
    for (;;) {
      const page = await this.events.readAll({ after, maxCount: PAGE });
      page.forEach((event) => tracker.check(event));
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.position;
    }
    return report(tracker);
  }
}

function report(tracker: ChainTracker): VerificationReport {
  const failures = tracker.failures();
  return { ok: failures.length === 0, streams: tracker.streams, events: tracker.events, failures };
}
