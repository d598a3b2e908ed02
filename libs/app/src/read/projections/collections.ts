/** Names of the read-model collections: one place, so queries and projections never disagree. */
export const Collections = {
  agencies: 'agencies',
  accounts: 'accounts',
  messages: 'messages',
  /** A citizen's inbox list: one slim document per message in an inbox (a projection of the messages). */
  inboxItems: 'inbox_items',
  agencyFeed: 'agency_feed',
  applications: 'applications',
  /** Two-way channel: thread membership of applications, messages and replies (a projection). */
  threadItems: 'thread_items',
  /** Which message, reply or application each attachment was used in (a projection of the log). */
  attachmentUses: 'attachment_uses',
  /** Uploads (operational records, not projections: an upload is no event; see attachments/). */
  attachments: 'attachments',
  /** One marker per used upload, under a unique index: the first use wins (see attachments/). */
  attachmentClaims: 'attachment_claims',
  /** The legal-time schedule (libs/app/src/legal-time/deadlines.projection.ts). */
  deadlines: 'deadlines',
  /** The embedded mandate register's index: whom each agent may act for (libs/app/src/mandates/). */
  mandates: 'mandates',
  /** Agencies' webhooks (a projection of the agency streams). */
  webhooks: 'webhooks',
  /** Each webhook's delivery cursor and last failure (operational, written by the dispatcher; see webhooks/). */
  webhookDeliveries: 'webhook_deliveries',
  /** One document: the identity of the event log these read models and checkpoints were built from (see log-continuity.ts). */
  logIdentity: 'log_identity',
} as const;
