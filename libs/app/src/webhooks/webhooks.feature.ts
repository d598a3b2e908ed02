import type { Feature } from '../feature';
import { CITIZEN_REFS, type CitizenRefs } from '../identity/citizen-ref';
import { RemoveWebhookHandler, SubscribeWebhookHandler } from './webhook-commands';
import { WEBHOOK_SECRETS, WebhookSecrets } from './webhook-secrets';
import { WebhooksController } from './webhooks.controller';

/** The purpose under which the webhook secrets' root key is derived from the service's keyed-hash secret. */
export const WEBHOOK_KEY_PURPOSE = 'webhook signing secrets';

export const webhookSecretsOf = (citizenRefs: CitizenRefs): WebhookSecrets => new WebhookSecrets(citizenRefs.derivedKey(WEBHOOK_KEY_PURPOSE));

/** Agencies' webhooks: subscribe, list, remove. Delivery runs in the worker (webhook-dispatcher.ts). */
export const WEBHOOKS_FEATURE: Feature = {
  controllers: [WebhooksController],
  providers: [
    SubscribeWebhookHandler,
    RemoveWebhookHandler,
    { provide: WEBHOOK_SECRETS, useFactory: webhookSecretsOf, inject: [CITIZEN_REFS] },
  ],
};
