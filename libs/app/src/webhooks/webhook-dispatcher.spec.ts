import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, type ReadStore } from '@asiointitili/core';
import { SqliteReadStore } from '@asiointitili/read-store';
import { Registry } from 'prom-client';
import { padPosition } from '../read/position';
import { Collections } from '../read/projections/collections';
import { READ_MODELS_CHECKPOINT } from '../read/projections/projection-runner';
import type { FeedItem } from '../read/queries/agency-messages.query';
import { retryDelayMs, WebhookDispatcher, type FeedSource, type WebhookDispatchOptions } from './webhook-dispatcher';
import type { WebhookDeliveryDoc, WebhookDoc } from './webhook-records';
import { WebhookSecrets } from './webhook-secrets';
import type { WebhookDelivery, WebhookOutcome } from './webhook-sender';

const OPTIONS: WebhookDispatchOptions = { intervalMs: 5, retryBaseMs: 1_000, retryMaxMs: 60_000 };

const item = (position: number): FeedItem => ({ cursor: String(position), type: 'sent', messageId: `m${position}`, at: '2026-12-07T08:00:00.000Z' });

/** The feed of agency `kela`, as the agency-feed read model would answer it. */
function feedOf(positions: number[]): FeedSource {
  return async (agencyId, afterPosition, limit) =>
    agencyId === 'kela' ? positions.filter((p) => padPosition(BigInt(p)) > afterPosition).slice(0, limit).map(item) : [];
}

const webhook = (overrides: Partial<WebhookDoc> = {}): WebhookDoc => ({
  id: 'wh_AAAAAAAAAAAAAAAAAAAAAA',
  agencyId: 'kela',
  url: 'https://hooks.kela.example/feed',
  active: true,
  subscribedAt: '2026-12-07T07:00:00.000Z',
  startAfter: padPosition(3n),
  lastPosition: padPosition(3n),
  ...overrides,
});

/** A receiver that answers from a script: true takes the item, a number is the status of a refusal. */
function receiver(script: (delivery: WebhookDelivery, call: number) => true | number) {
  const received: WebhookDelivery[] = [];
  const send = async (delivery: WebhookDelivery): Promise<WebhookOutcome> => {
    received.push(delivery);
    const answer = script(delivery, received.length);
    return answer === true ? { ok: true, status: 204 } : { ok: false, status: answer, reason: `answered ${answer}` };
  };
  return { received, send, cursors: () => received.map((d) => (JSON.parse(d.body) as FeedItem).cursor) };
}

describe('webhook dispatcher', () => {
  let dir: string;
  let store: ReadStore;
  const secrets = new WebhookSecrets(Buffer.alloc(32, 7));
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'asiointitili-webhooks-'));
    store = new SqliteReadStore({ dataDir: dir });
    // As the projections leave it: the webhook, and the read models caught up past every feed item used here.
    await store.write([{ op: 'put', collection: Collections.webhooks, doc: webhook() }], { name: READ_MODELS_CHECKPOINT, position: 1_000n });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const delivery = () => store.get<WebhookDeliveryDoc>(Collections.webhookDeliveries, webhook().id);

  it('can be built again on the same metrics registry (a worker winning the lease back) and counts on in the same counter', async () => {
    const registry = new Registry();
    const r = receiver(() => true);
    await new WebhookDispatcher(store, feedOf([2, 3, 5]), secrets, r.send, new ManualClock('2026-12-07T08:00:00Z'), OPTIONS, registry).runOnce();
    const again = new WebhookDispatcher(store, feedOf([2, 3, 5, 8]), secrets, r.send, new ManualClock('2026-12-07T08:00:00Z'), OPTIONS, registry);
    await again.runOnce();
    expect(r.received.map((d) => d.messageId)).toEqual(['evt_5', 'evt_8']);
    expect(await registry.metrics()).toMatch(/webhook_attempts_total\{outcome="delivered"\} 2/);
  });

  it('delivers the feed items recorded after the subscription, in feed order, each signed for its webhook', async () => {
    const r = receiver(() => true);
    const dispatcher = new WebhookDispatcher(store, feedOf([2, 3, 5, 8, 13]), secrets, r.send, new ManualClock('2026-12-07T08:00:00Z'), OPTIONS);
    await dispatcher.runOnce();
    expect(r.cursors()).toEqual(['5', '8', '13']);
    expect(r.received.map((d) => d.messageId)).toEqual(['evt_5', 'evt_8', 'evt_13']);
    expect(new Set(r.received.map((d) => d.secret))).toEqual(new Set([secrets.secretOf(webhook().id)]));
    expect(await delivery()).toMatchObject({ cursor: padPosition(13n), delivered: 3, failures: 0 });
    await dispatcher.runOnce();
    expect(r.received).toHaveLength(3);
  });

  it('sends nothing more to a webhook removed after it was listed: it is read again after its items', async () => {
    const r = receiver(() => true);
    // The removal lands between the round's listing of active webhooks and its reading of the feed.
    const feed: FeedSource = async (agencyId, after, limit) => {
      await store.write([{ op: 'put', collection: Collections.webhooks, doc: webhook({ active: false, removedAt: '2026-12-07T08:00:00.000Z', lastPosition: padPosition(6n) }) }], { name: READ_MODELS_CHECKPOINT, position: 1_000n });
      return feedOf([5, 8])(agencyId, after, limit);
    };
    await new WebhookDispatcher(store, feed, secrets, r.send, new ManualClock('2026-12-07T08:00:00Z'), OPTIONS).runOnce();
    expect(r.received).toEqual([]);
  });

  it('holds back feed items beyond the read models\' checkpoint until a later round, so a removal in the same batch is seen first', async () => {
    const r = receiver(() => true);
    await store.write([], { name: READ_MODELS_CHECKPOINT, position: 6n });
    const dispatcher = new WebhookDispatcher(store, feedOf([5, 8]), secrets, r.send, new ManualClock('2026-12-07T08:00:00Z'), OPTIONS);
    await dispatcher.runOnce();
    expect(r.cursors()).toEqual(['5']);
    await store.write([], { name: READ_MODELS_CHECKPOINT, position: 8n });
    await dispatcher.runOnce();
    expect(r.cursors()).toEqual(['5', '8']);
  });

  it('keeps the cursor on a refusal and retries the same item first, not before its back-off', async () => {
    const r = receiver((_d, call) => (call <= 2 ? 503 : true));
    const clock = new ManualClock('2026-12-07T08:00:00Z');
    const dispatcher = new WebhookDispatcher(store, feedOf([5, 8]), secrets, r.send, clock, OPTIONS);
    await dispatcher.runOnce();
    expect(r.cursors()).toEqual(['5']);
    const failed = await delivery();
    expect(failed).toMatchObject({ failures: 1, delivered: 0, lastFailure: { status: 503, reason: 'answered 503', feedCursor: '5' } });
    expect(failed!.cursor).toBeUndefined();
    const wait = Date.parse(failed!.nextAttemptAt!) - clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(500);
    expect(wait).toBeLessThanOrEqual(1_000);

    await dispatcher.runOnce(); // still backing off: nothing is sent
    expect(r.received).toHaveLength(1);

    clock.advance(1_000);
    await dispatcher.runOnce(); // second refusal: the wait doubles
    expect(r.cursors()).toEqual(['5', '5']);
    expect(await delivery()).toMatchObject({ failures: 2 });

    clock.advance(2_000);
    await dispatcher.runOnce();
    expect(r.cursors()).toEqual(['5', '5', '5', '8']);
    expect(await delivery()).toMatchObject({ cursor: padPosition(8n), delivered: 2, failures: 0, lastFailure: { status: 503 } });
  });

  it('resumes from the stored cursor after a restart, repeating nothing the receiver took', async () => {
    const first = receiver(() => true);
    await new WebhookDispatcher(store, feedOf([5, 8]), secrets, first.send, new ManualClock('2026-12-07T08:00:00Z'), OPTIONS).runOnce();
    const second = receiver(() => true);
    await new WebhookDispatcher(store, feedOf([5, 8, 21, 34]), secrets, second.send, new ManualClock('2026-12-07T08:01:00Z'), OPTIONS).runOnce();
    expect(first.cursors()).toEqual(['5', '8']);
    expect(second.cursors()).toEqual(['21', '34']);
  });

  it('delivers nothing to a removed webhook', async () => {
    await store.write([{ op: 'put', collection: Collections.webhooks, doc: webhook({ active: false, removedAt: '2026-12-07T07:30:00.000Z' }) }]);
    const r = receiver(() => true);
    await new WebhookDispatcher(store, feedOf([5, 8]), secrets, r.send, new ManualClock('2026-12-07T08:00:00Z'), OPTIONS).runOnce();
    expect(r.received).toEqual([]);
  });

  it('a failing receiver holds up only its own webhook', async () => {
    const other = webhook({ id: 'wh_BBBBBBBBBBBBBBBBBBBBBB', url: 'https://other.kela.example/feed' });
    await store.write([{ op: 'put', collection: Collections.webhooks, doc: other }]);
    const r = receiver((d) => (d.url === webhook().url ? 500 : true));
    await new WebhookDispatcher(store, feedOf([5, 8]), secrets, r.send, new ManualClock('2026-12-07T08:00:00Z'), OPTIONS).runOnce();
    expect(r.received.filter((d) => d.url === other.url).map((d) => d.messageId)).toEqual(['evt_5', 'evt_8']);
    expect(r.received.filter((d) => d.url === webhook().url).map((d) => d.messageId)).toEqual(['evt_5']);
  });

  it('outlives a read-store outage: rounds that fail are retried until the store answers', async () => {
    let outage = 3;
    const flaky: ReadStore = Object.assign(Object.create(store) as ReadStore, {
      find: (...args: Parameters<ReadStore['find']>) => (outage-- > 0 ? Promise.reject(new Error('connect ECONNREFUSED')) : store.find(...args)),
    });
    const r = receiver(() => true);
    const dispatcher = new WebhookDispatcher(flaky, feedOf([5]), secrets, r.send, new ManualClock('2026-12-07T08:00:00Z'), OPTIONS);
    dispatcher.start();
    const deadline = Date.now() + 5_000;
    while (r.received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await dispatcher.stop();
    expect(outage).toBeLessThan(0);
    expect(r.cursors()).toEqual(['5']);
  });
});

describe('webhook retry delay', () => {
  it('doubles from the base with each failure, up to the cap, jittered within its upper half', () => {
    const options = { retryBaseMs: 1_000, retryMaxMs: 60_000 };
    expect(retryDelayMs(1, options, () => 1)).toBe(1_000);
    expect(retryDelayMs(1, options, () => 0)).toBe(500);
    expect(retryDelayMs(4, options, () => 1)).toBe(8_000);
    expect(retryDelayMs(50, options, () => 1)).toBe(60_000);
    expect(retryDelayMs(50, options, () => 0)).toBe(30_000);
  });
});
