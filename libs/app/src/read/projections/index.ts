import { accountsProjection } from './accounts.projection';
import { agenciesProjection } from './agencies.projection';
import { agencyFeedProjection } from './agency-feed.projection';
import { messagesProjection } from './messages.projection';
import type { Projection } from './projection';

/** Every read-model projection, in the order they apply each event (the feed reads messages). */
export const READ_MODEL_PROJECTIONS: readonly Projection[] = [agenciesProjection, accountsProjection, messagesProjection, agencyFeedProjection];

export * from './collections';
export * from './projection';
export * from './projection-runner';
export type { AccountDoc } from './accounts.projection';
export type { AgencyDoc } from './agencies.projection';
export type { FeedItemDoc } from './agency-feed.projection';
export type { MessageDoc, TrailStep } from './messages.projection';
