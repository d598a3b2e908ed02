import { Logger } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import type { Clock, ReadStore } from '@asiointitili/core';
import { METRIC_PREFIX } from '../metrics/app-metrics';
import { padPosition } from '../read/position';
import { Collections } from '../read/projections/collections';
import { READ_MODELS_CHECKPOINT } from '../read/projections/projection-runner';
import type { FeedItem } from '../read/queries/agency-messages.query';
import type { WebhookDeliveryDoc, WebhookDoc } from './webhook-records';
import type { WebhookSecrets } from './webhook-secrets';
import type { WebhookSender } from './webhook-sender';

export interface WebhookDispatchOptions {
  /** How often the dispatcher looks for webhooks with feed items to deliver. */
  readonly intervalMs: number;
  /** First retry after this long; each further failure doubles it, up to `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Feed items read per webhook at a time (each still goes in its own request, in order). */
  readonly batch?: number;
  /** Receivers being delivered to at once, so slow receivers cannot hold up the others without bound. */
  readonly concurrency?: number;
}

/** Reads one agency's feed after a padded position, oldest first (the same items as GET /v1/agency/events). */
export type FeedSource = (agencyId: string, afterPosition: string, limit: number) => Promise<readonly FeedItem[]>;

/** Full jitter over the upper half: retries of many webhooks that failed together spread out. */
export function retryDelayMs(failures: number, options: Pick<WebhookDispatchOptions, 'retryBaseMs' | 'retryMaxMs'>, random: () => number = Math.random): number {
  const exponential = options.retryBaseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30);
  const capped = Math.min(exponential, options.retryMaxMs);
  return Math.round(capped * (0.5 + random() / 2));
}

/**
 * Pushes each agency's feed to its webhooks: at least once, in feed order, one item per request.
 *
 * Each webhook has its own cursor (a padded global position, stored in `webhook_deliveries`), so
 * one failing receiver holds up only itself. A receiver's failure leaves the cursor where it was
 * and schedules the same item again with capped exponential back-off, for as long as the webhook
 * exists (so for well over the 24 hours a receiver's outage may last). The feed itself is a
 * projection of the log: the dispatcher follows the log through it, from its own checkpoints.
 *
 * A read-store failure is an outage, not a verdict: the round is logged and the next one tries
 * again, for ever. Only the active worker runs a dispatcher, like the process managers.
 */
export class WebhookDispatcher {
  private readonly logger = new Logger('Webhooks');
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private listing: Promise<void> | null = null;
  private running = false;
  /** Set by stop(): deliveries under way finish their current request and take no further item. */
  private stopped = false;
  private readonly attempts: Counter<'outcome'>;

  constructor(
    private readonly store: ReadStore,
    private readonly feed: FeedSource,
    private readonly secrets: WebhookSecrets,
    private readonly send: WebhookSender,
    private readonly clock: Clock,
    private readonly options: WebhookDispatchOptions,
    registry?: Registry,
  ) {
    // A worker that loses the lease and wins it back builds a new dispatcher on the same registry:
    // it counts on in the counter registered the first time (registering it twice throws).
    const name = `${METRIC_PREFIX}webhook_attempts_total`;
    const existing = registry?.getSingleMetric(name);
    this.attempts = existing instanceof Counter ? (existing as Counter<'outcome'>) : new Counter({
      name,
      help: 'Webhook delivery attempts by outcome (delivered, failed).',
      labelNames: ['outcome'],
      registers: registry ? [registry] : [],
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.listing;
    await Promise.all(this.inFlight.values());
  }

  /** One round: starts a delivery for every active webhook that is not already being delivered to, and waits for them. */
  async runOnce(): Promise<void> {
    await this.startDue();
    await Promise.all(this.inFlight.values());
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.listing = this.startDue()
        .catch((error: unknown) => this.logger.warn(`webhook round failed, trying again: ${describe(error)}`))
        .finally(() => {
          this.listing = null;
          this.schedule(this.options.intervalMs);
        });
    }, delayMs);
  }

  private async startDue(): Promise<void> {
    const concurrency = this.options.concurrency ?? 16;
    let cursor: string | null = null;
    do {
      const page: { items: WebhookDoc[]; next: string | null } = await this.store.find<WebhookDoc>(Collections.webhooks, {
        where: { active: true },
        orderBy: [{ field: 'id', direction: 'asc' }],
        limit: 500,
        cursor,
      });
      for (const webhook of page.items) {
        if (this.inFlight.has(webhook.id) || this.inFlight.size >= concurrency) continue;
        const delivery = this.deliver(webhook)
          .catch((error: unknown) => this.logger.warn(`webhook ${webhook.id}: ${describe(error)}; trying again`))
          .finally(() => this.inFlight.delete(webhook.id));
        this.inFlight.set(webhook.id, delivery);
      }
      cursor = page.next;
    } while (cursor);
  }

  /** Delivers the webhook's pending items in order until one fails, the batch ends, or the dispatcher stops. */
  private async deliver(webhook: WebhookDoc): Promise<void> {
    let state: WebhookDeliveryDoc = (await this.store.get<WebhookDeliveryDoc>(Collections.webhookDeliveries, webhook.id)) ?? { id: webhook.id, delivered: 0, failures: 0 };
    const now = this.clock.now();
    if (state.nextAttemptAt !== undefined && Date.parse(state.nextAttemptAt) > now.getTime()) return;
    const read = await this.feed(webhook.agencyId, state.cursor ?? webhook.startAfter, this.options.batch ?? 20);
    const items = await this.stillDeliverable(webhook.id, read);
    const secret = this.secrets.secretOf(webhook.id);
    for (const item of items) {
      if (this.stopped) return;
      const at = this.clock.now();
      const outcome = await this.send({ url: webhook.url, secret, messageId: `evt_${item.cursor}`, at, body: JSON.stringify(item) });
      if (outcome.ok) {
        this.attempts.inc({ outcome: 'delivered' });
        state = { id: webhook.id, cursor: padPosition(BigInt(item.cursor)), delivered: state.delivered + 1, lastDeliveredAt: at.toISOString(), failures: 0, ...(state.lastFailure ? { lastFailure: state.lastFailure } : {}) };
        await this.store.write([{ op: 'put', collection: Collections.webhookDeliveries, doc: state }]);
        continue;
      }
      this.attempts.inc({ outcome: 'failed' });
      const failures = state.failures + 1;
      const nextAttemptAt = new Date(at.getTime() + retryDelayMs(failures, this.options)).toISOString();
      state = { ...state, failures, nextAttemptAt, lastFailure: { at: at.toISOString(), ...(outcome.status !== undefined ? { status: outcome.status } : {}), reason: outcome.reason, feedCursor: item.cursor } };
      await this.store.write([{ op: 'put', collection: Collections.webhookDeliveries, doc: state }]);
      // The URL is the agency's own and carries no personal data; the feed item is not logged.
      this.logger.warn(`webhook ${webhook.id} of ${webhook.agencyId}: feed item ${item.cursor} not taken (${outcome.reason}); attempt ${failures + 1} at ${nextAttemptAt}`);
      return;
    }
  }

  /**
   * "No further deliveries" after a removal, also when the removal and the items are close
   * together: the webhook was listed as active before its items were read, and its removal may
   * have been applied since. So it is read again after them, and only items up to the read
   * models' checkpoint are sent. The checkpoint is stored after every write of its batch (on
   * MongoDB, whose batches are not transactions, the collections of one batch are not written at
   * one instant), so a webhook read after the checkpoint shows every removal that comes before
   * those items in the log; later items wait for the next round.
   */
  private async stillDeliverable(webhookId: string, items: readonly FeedItem[]): Promise<readonly FeedItem[]> {
    if (items.length === 0) return items;
    const checkpoint = await this.store.checkpoint(READ_MODELS_CHECKPOINT);
    const current = await this.store.get<WebhookDoc>(Collections.webhooks, webhookId);
    if (checkpoint === null || current?.active !== true) return [];
    return items.filter((item) => BigInt(item.cursor) <= checkpoint);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
