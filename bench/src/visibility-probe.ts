import { performance } from 'node:perf_hooks';
import type { ReadStore } from '@asiointitili/core';
import { Collections, type MessageDoc } from '@asiointitili/app/read/projections';

/** How often pending messages are looked up: the resolution of the measured lag. */
export const PROBE_INTERVAL_MS = 5;

/**
 * Projection lag as a citizen would see it: from the moment the agency's 201 arrived to the
 * moment the message is in the citizen's inbox, i.e. its document is in the messages read model
 * with inInbox set (the inbox query reads exactly that). The probe polls the read-model file
 * directly (SQLite WAL allows readers beside the server's writer), every PROBE_INTERVAL_MS, for
 * all sampled messages still pending in one getMany — so it costs the server no HTTP requests.
 */
export class VisibilityProbe {
  private readonly pending = new Map<string, number>();
  private readonly lags: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private unseen = 0;

  /** `intervalMs`: a server read store (FerretDB) is polled less often than the embedded file, to load it less. */
  constructor(
    private readonly store: ReadStore,
    private readonly intervalMs = PROBE_INTERVAL_MS,
  ) {}

  track(messageId: string, answeredAt: number): void {
    this.pending.set(messageId, answeredAt);
  }

  start(): void {
    this.timer = setInterval(() => this.poll(), this.intervalMs);
  }

  /** Keeps polling until every tracked message was seen (or `graceMs` passed), then returns the lags in ms. */
  async finish(graceMs = 10_000): Promise<{ readonly lagsMs: readonly number[]; readonly neverSeen: number }> {
    const deadline = performance.now() + graceMs;
    while (this.pending.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    if (this.timer) clearInterval(this.timer);
    await this.polling; // the store may be closed once this returns
    this.unseen = this.pending.size;
    return { lagsMs: this.lags, neverSeen: this.unseen };
  }

  private poll(): void {
    if (this.polling || this.pending.size === 0) return;
    this.polling = this.lookUp()
      .catch(() => undefined) // a failed look-up is retried at the next tick; the lag then counts the wait
      .finally(() => (this.polling = null));
  }

  private async lookUp(): Promise<void> {
    const docs = await this.store.getMany<MessageDoc>(Collections.messages, [...this.pending.keys()]);
    const now = performance.now();
    for (const doc of docs) {
      if (!doc.inInbox) continue;
      const answeredAt = this.pending.get(doc.id);
      if (answeredAt === undefined) continue;
      this.lags.push(Math.max(0, now - answeredAt));
      this.pending.delete(doc.id);
    }
  }
}
