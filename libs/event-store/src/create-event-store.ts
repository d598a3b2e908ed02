import type { EventStore } from '@asiointitili/core';
import { SqliteEventStore } from './embedded/sqlite-event-store';
import { EventStoreDbEventStore } from './esdb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

export interface EventStoreConfig {
  /** DATA_DIR: where the embedded store keeps `events.sqlite`. */
  readonly dataDir: string;
  /** EVENTSTORE_URL: when set (not blank), EventStoreDB (esdb://) or PostgreSQL (postgresql://) instead of the embedded store. */
  readonly eventStoreUrl?: string;
  /** EVENTSTORE_STREAM_NAMESPACE: EventStoreDB only, the product's streams in a shared cluster (esdb/stream-namespace.ts). */
  readonly streamNamespace?: string;
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
        `(e.g. esdb://localhost:2113?tls=false) or a PostgreSQL URL (postgresql://host:5432/database), got "${redactCredentials(trimmed)}"`,
    );
  }
  return trimmed;
}

/** A PostgreSQL URL: `postgresql://` or `postgres://`, with a host (the pg driver's connection string). */
const POSTGRES_URL = /^postgres(ql)?:\/\//;

export function isPostgresUrl(url: string): boolean {
  return POSTGRES_URL.test(url.trim());
}

/** Checks a PostgreSQL EVENTSTORE_URL so that a typo stops the process at startup, naming the variable (never the password). */
export function parsePostgresUrl(url: string): string {
  const trimmed = url.trim();
  let parsed: URL | null = null;
  try {
    parsed = new URL(trimmed);
  } catch {
    parsed = null;
  }
  if (!parsed || !(parsed.hostname || parsed.searchParams.get('host')) || parsed.pathname.length <= 1) {
    throw new Error(
      `EVENTSTORE_URL is not a valid PostgreSQL URL ("${redactCredentials(trimmed)}"): expected postgresql://user:password@host:5432/database`,
    );
  }
  return trimmed;
}

export function redactCredentials(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

/** PostgreSQL or EventStoreDB by the scheme of EVENTSTORE_URL when it is set, otherwise the embedded SQLite store in DATA_DIR. */
export function createEventStore(config: EventStoreConfig): EventStore {
  const url = config.eventStoreUrl?.trim();
  if (!url) return SqliteEventStore.open(config.dataDir);
  // Connects lazily too: the schema is created by the first call.
  if (isPostgresUrl(url)) return PostgresEventStore.connect(parsePostgresUrl(url));
  const connectionString = parseEventStoreUrl(url);
  try {
    // The client connects lazily: this only parses the options (hosts, tls, credentials).
    return EventStoreDbEventStore.connect(connectionString, { namespace: config.streamNamespace });
  } catch (error) {
    // The client's parse errors quote a fragment of the string, which could be a password: keep only what was expected.
    const { expected, location } = error as { expected?: unknown; location?: unknown };
    const where = Array.isArray(location) ? ` at position ${String(location[0])}` : '';
    const detail = typeof expected === 'string' ? `${where}: expected ${expected}` : '';
    throw new Error(`EVENTSTORE_URL is not a valid EventStoreDB connection string ("${redactCredentials(connectionString)}")${detail}`);
  }
}

/**
 * What must hold before a process follows the log, checked once at start: for EventStoreDB the
 * server version and the $all read permission (EventStoreDbEventStore.verifyServer); the other
 * adapters check themselves when they open. Resolves with a line for the start log.
 */
export async function verifyEventStore(store: EventStore): Promise<string | undefined> {
  if (!(store instanceof EventStoreDbEventStore)) return undefined;
  const { version } = await store.verifyServer();
  return `EventStoreDB ${version}, $all readable`;
}
