import { accountsProjection } from './accounts.projection';
import { agenciesProjection } from './agencies.projection';
import { agencyFeedProjection } from './agency-feed.projection';
import { inboxItemsProjection } from './inbox-items.projection';
import { messagesProjection } from './messages.projection';
import { deadlinesProjection } from '../../legal-time/deadlines.projection';
import { attachmentUsesProjection } from '../../attachments/attachment-uses.projection';
import { applicationsProjection } from '../../two-way/applications.projection';
import { threadItemsProjection } from '../../two-way/thread-items.projection';
import { mandatesProjection } from '../../mandates/mandates.projection';
import { webhooksProjection } from '../../webhooks/webhook-records';
import type { Projection } from './projection';

/**
 * Every read-model projection, in the order they apply each event (the inbox items, the feed and
 * the attachment uses read messages; applications read thread items).
 */
export const READ_MODEL_PROJECTIONS: readonly Projection[] = [agenciesProjection, accountsProjection, messagesProjection, inboxItemsProjection, threadItemsProjection, applicationsProjection, attachmentUsesProjection, agencyFeedProjection, deadlinesProjection, webhooksProjection, mandatesProjection];

export * from './collections';
export * from './projection';
export * from './projection-runner';
export type { AccountDoc } from './accounts.projection';
export type { AgencyDoc } from './agencies.projection';
export type { FeedItemDoc } from './agency-feed.projection';
export type { InboxItemDoc } from './inbox-items.projection';
export type { MessageDoc, TrailStep } from './messages.projection';
