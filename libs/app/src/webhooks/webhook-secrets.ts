import { createHmac } from 'node:crypto';

/** Standard Webhooks' secret format: `whsec_` and the base64 of the key. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * Each webhook's signing secret is HMAC-SHA256(root key, webhook id): any process of the service
 * can compute it, so it is stored nowhere (not in the log, which is kept for ever, nor in a read
 * model). The agency sees it once, in the answer that created the webhook. To change a secret,
 * subscribe a new webhook and remove the old one.
 */
export class WebhookSecrets {
  constructor(private readonly rootKey: Uint8Array) {
    if (rootKey.length < 32) throw new Error('the webhook root key must have at least 32 bytes');
  }

  secretOf(webhookId: string): string {
    return WEBHOOK_SECRET_PREFIX + createHmac('sha256', this.rootKey).update(`webhook:${webhookId}`, 'utf8').digest('base64');
  }
}

export const WEBHOOK_SECRETS = Symbol('WEBHOOK_SECRETS');
