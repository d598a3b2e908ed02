export * from './product-streams';
export * from './create-event-store';
export { SqliteEventStore, type SqliteEventStoreOptions, type WriteStatistics } from './embedded/sqlite-event-store';
export { EventStoreFileDamagedError, EVENTS_FILE_NAME } from './embedded/sqlite-file';
export { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './esdb/eventstoredb-event-store';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './esdb/reconnecting-subscription';
export { DEFAULT_MAX_BATCH } from './subscription-options';
export { PostgresEventStore, DEFAULT_POSTGRES_SUBSCRIPTION_RETRY, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
