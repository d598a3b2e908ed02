import type { Runtime } from '../runtime/runtime';
import { AgencyMessagesQuery } from '../read/queries/agency-messages.query';
import { WebhookDispatcher } from './webhook-dispatcher';
import { httpWebhookSender } from './webhook-sender';
import { webhookSecretsOf } from './webhooks.feature';

/** Starts pushing agencies' feeds to their webhooks; the worker stops it with the process managers. */
export function startWebhookDispatcher(runtime: Runtime): WebhookDispatcher {
  const { config } = runtime;
  const feed = new AgencyMessagesQuery(runtime.readStore);
  const dispatcher = new WebhookDispatcher(
    runtime.readStore,
    async (agencyId, afterPosition, limit) => (await feed.feed(agencyId, limit, BigInt(afterPosition).toString())).items,
    webhookSecretsOf(runtime.citizenRefs),
    httpWebhookSender({ timeoutMs: config.webhooks.timeoutMs, production: config.auth.production }),
    runtime.clock,
    { intervalMs: config.webhooks.intervalMs, retryBaseMs: config.webhooks.retryBaseMs, retryMaxMs: config.webhooks.retryMaxMs },
    runtime.metrics.registry,
  );
  dispatcher.start();
  return dispatcher;
}
