/** Names of the read-model collections: one place, so queries and projections never disagree. */
export const Collections = {
  agencies: 'agencies',
  accounts: 'accounts',
  messages: 'messages',
  agencyFeed: 'agency_feed',
  applications: 'applications',
} as const;
