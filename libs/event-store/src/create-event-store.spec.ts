import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, parseEventStoreUrl } from './create-event-store';
import { SqliteEventStore } from './embedded/sqlite-event-store';
import { EventStoreDbEventStore } from './esdb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

describe('createEventStore', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'asiointitili-create-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('uses the embedded SQLite store in DATA_DIR when EVENTSTORE_URL is not set or blank', async () => {
    for (const eventStoreUrl of [undefined, '', '   ']) {
      const store = createEventStore({ dataDir, eventStoreUrl });
      expect(store).toBeInstanceOf(SqliteEventStore);
      expect(await store.ping()).toBe(true);
      await store.close();
    }
  });

  it('uses EventStoreDB when EVENTSTORE_URL is set, connecting lazily', async () => {
    const store = createEventStore({ dataDir, eventStoreUrl: 'esdb://localhost:2113?tls=false' });
    expect(store).toBeInstanceOf(EventStoreDbEventStore);
    await store.close();
  });

  it('uses PostgreSQL when EVENTSTORE_URL is a postgresql:// or postgres:// URL, connecting lazily', async () => {
    for (const eventStoreUrl of ['postgresql://postgres@127.0.0.1:1/events', 'postgres://postgres@127.0.0.1:1/events']) {
      const store = createEventStore({ dataDir, eventStoreUrl });
      expect(store).toBeInstanceOf(PostgresEventStore);
      await store.close();
    }
  });

  it('refuses a PostgreSQL URL without a host or a database, naming EVENTSTORE_URL and hiding the password', () => {
    for (const eventStoreUrl of ['postgresql://admin:s3cret@db.example', 'postgres://']) {
      const attempt = () => createEventStore({ dataDir, eventStoreUrl });
      expect(attempt).toThrow(/EVENTSTORE_URL is not a valid PostgreSQL URL/);
      expect(attempt).not.toThrow(/s3cret/);
    }
  });

  it('refuses a connection string with an option value the client rejects, naming EVENTSTORE_URL and hiding the password', () => {
    const attempt = () => createEventStore({ dataDir, eventStoreUrl: 'esdb://admin:s3cret@localhost:2113?tls=maybe' });
    expect(attempt).toThrow(/EVENTSTORE_URL/);
    expect(attempt).toThrow(/expected true or false/);
    expect(attempt).not.toThrow(/s3cret/);
  });
});

describe('parseEventStoreUrl', () => {
  it.each([
    'esdb://localhost:2113?tls=false',
    'esdb://admin:changeit@localhost:2113',
    'esdb://node1:2113,node2:2113,node3:2113?tls=true&nodePreference=leader',
    'esdb+discover://cluster.example.com:2113',
    '  esdb://localhost:2113/?tls=false  ',
  ])('accepts the client connection string %s', (url) => {
    expect(parseEventStoreUrl(url)).toBe(url.trim());
  });

  it.each(['http://localhost:2113', 'https://localhost:2113', 'localhost:2113', 'esdb://', 'esdb://localhost:2113/path', 'tcp://admin:changeit@localhost:1113'])(
    'refuses %s with an error naming EVENTSTORE_URL',
    (url) => {
      expect(() => parseEventStoreUrl(url)).toThrow(/EVENTSTORE_URL must be an EventStoreDB connection string/);
    },
  );

  it('hides the password of a refused URL', () => {
    expect(() => parseEventStoreUrl('tcp://admin:s3cret@localhost:1113')).toThrow('tcp://admin:***@localhost:1113');
  });
});
