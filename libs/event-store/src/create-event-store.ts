import type { EventStore } from '@asiointitili/core';
import { SqliteEventStore } from './embedded/sqlite-event-store';
import { EventStoreDbEventStore } from './esdb/eventstoredb-event-store';

export interface EventStoreConfig {
  /** DATA_DIR: where the embedded store keeps `events.sqlite`. */
  readonly dataDir: string;
  /** EVENTSTORE_URL: when set (not blank), EventStoreDB is used instead of the embedded store. */
  readonly eventStoreUrl?: string;
}

/** The client's connection string: esdb:// (one node or a host list) or esdb+discover:// (DNS discovery). */
const CONNECTION_STRING = /^esdb(\+discover)?:\/\/([^/?#@\s]+@)?[^/?#@\s]+\/?(\?\S*)?$/;

/**
 * Checks EVENTSTORE_URL (e.g. `esdb://localhost:2113?tls=false`,
 * `esdb+discover://user:pass@cluster.example:2113`) so that a typo stops the process at startup
 * with a message naming the variable, instead of failing at the first command. Passwords never
 * appear in the message.
 */
export function parseEventStoreUrl(url: string): string {
  const trimmed = url.trim();
  if (!CONNECTION_STRING.test(trimmed)) {
    throw new Error(
      'EVENTSTORE_URL must be an EventStoreDB connection string starting with esdb:// or esdb+discover:// ' +
        `(e.g. esdb://localhost:2113?tls=false), got "${redactCredentials(trimmed)}"`,
    );
  }
  return trimmed;
}

export function redactCredentials(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

/** EventStoreDB when EVENTSTORE_URL is set, otherwise the embedded SQLite store in DATA_DIR. */
export function createEventStore(config: EventStoreConfig): EventStore {
  const url = config.eventStoreUrl?.trim();
  if (!url) return SqliteEventStore.open(config.dataDir);
  const connectionString = parseEventStoreUrl(url);
  try {
    // The client connects lazily: this only parses the options (hosts, tls, credentials).
    return EventStoreDbEventStore.connect(connectionString);
  } catch (error) {
    // The client's parse errors quote a fragment of the string, which could be a password: keep only what was expected.
    const { expected, location } = error as { expected?: unknown; location?: unknown };
    const where = Array.isArray(location) ? ` at position ${String(location[0])}` : '';
    const detail = typeof expected === 'string' ? `${where}: expected ${expected}` : '';
    throw new Error(`EVENTSTORE_URL is not a valid EventStoreDB connection string ("${redactCredentials(connectionString)}")${detail}`);
  }
}
