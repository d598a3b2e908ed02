import { AccessDeniedError, NotLeaderError, UnavailableError, WrongExpectedVersionError, type AppendResult as EsdbAppendResult } from '@eventstore/db-client';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString';
import { PassThrough } from 'node:stream';
import { ConcurrencyError, type EventToAppend } from '@asiointitili/core';
import { PRODUCT_STREAM_PREFIXES } from '../product-streams';
import { clientConnectionString } from './cluster-connection';
import { EventStoreDbEventStore, type EsdbClient } from './eventstoredb-event-store';
import { EventStoreServerError, isSupportedServerVersion, MINIMUM_SERVER_VERSION } from './server-check';
import { StreamNamespace } from './stream-namespace';

/**
 * The adapter against a fake of the client's surface (no EventStoreDB server runs here). What the
 * fakes stand for — which errors the client throws when, that a read's deadline is Infinity, how
 * the connection string is parsed — is taken from the client's 6.2.1 source (node_modules) and the
 * server's; docs/deployment.md says what is verified only that way.
 */

/** An error of the client's class without a gRPC call behind it (their constructors want one). */
function clientError<T extends Error>(type: abstract new (...args: never[]) => T, message: string, extra: object = {}): T {
  return Object.assign(Object.create(type.prototype) as T, { message }, extra);
}

/** A read as the client returns it: async-iterable, cancellable. `hang`: never answers, as a node that accepts and stalls. */
function read(items: readonly unknown[], options: { hang?: boolean; fail?: Error } = {}) {
  let cancelled = false;
  return {
    cancelled: () => cancelled,
    async cancel() {
      cancelled = true;
    },
    async *[Symbol.asyncIterator]() {
      if (options.fail) throw options.fail;
      if (options.hang) await new Promise(() => undefined);
      for (const item of items) yield item;
    },
  };
}

const event = (streamId: string, revision: bigint, position: bigint) => ({
  event: {
    streamId,
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    revision,
    type: 'Fake',
    data: { n: Number(position) },
    metadata: { actor: { type: 'system', id: 't' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1, prevHash: '', hash: '' },
    isJson: true,
    created: new Date(),
    position: { commit: position, prepare: position },
  },
  commitPosition: position,
});

const toAppend = (id: string): EventToAppend => ({
  id,
  type: 'Fake',
  data: {},
  metadata: { actor: { type: 'system', id: 't' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1, prevHash: '', hash: 'h' },
});

interface Fake extends EsdbClient {
  appends: { stream: string; ids: string[]; expectedRevision: unknown }[];
}

function fakeClient(overrides: Partial<Record<keyof EsdbClient | 'capabilities', unknown>> = {}): Fake {
  const appends: Fake['appends'] = [];
  const client = {
    appends,
    appendToStream: async (stream: string, events: { id: string }[], options: { expectedRevision: unknown }) => {
      appends.push({ stream, ids: events.map((e) => e.id), expectedRevision: options.expectedRevision });
      return { success: true, nextExpectedRevision: 0n, position: { commit: 10n, prepare: 10n } } satisfies EsdbAppendResult;
    },
    readStream: () => read([]),
    readAll: () => read([]),
    subscribeToAll: () => {
      throw new Error('not used');
    },
    dispose: async () => undefined,
    capabilities: Promise.resolve({ serverVersion: '24.10.0.0' }),
    ...overrides,
  };
  return client as unknown as Fake;
}

describe('EventStoreDB adapter (fake client)', () => {
  describe('append after a fail-over', () => {
    it.each([
      ['NotLeader', () => clientError(NotLeaderError, 'not leader', { leader: { address: 'node2', port: 2113 } })],
      ['Unavailable', () => clientError(UnavailableError, 'unavailable')],
    ])('retries once after %s with the same event ids and the same expected revision', async (_name, failure) => {
      let calls = 0;
      const client = fakeClient();
      const append = client.appendToStream.bind(client);
      client.appendToStream = (async (...args: Parameters<typeof append>) => {
        calls++;
        const result = await append(...args);
        if (calls === 1) throw failure();
        return result;
      }) as typeof client.appendToStream;
      const store = new EventStoreDbEventStore(client);
      await expect(store.append('message-1', [toAppend('11111111-1111-4111-8111-111111111111')], 4n)).resolves.toEqual({ lastRevision: 0n, position: 10n });
      expect(client.appends).toHaveLength(2);
      expect(client.appends[1]).toEqual(client.appends[0]);
      expect(client.appends[0]).toMatchObject({ stream: 'message-1', ids: ['11111111-1111-4111-8111-111111111111'], expectedRevision: 4n });
    });

    it('retries only once: a second fail-over error reaches the caller', async () => {
      const client = fakeClient({
        appendToStream: async () => {
          throw clientError(UnavailableError, 'still unavailable');
        },
      });
      await expect(new EventStoreDbEventStore(client).append('message-1', [toAppend('a')], 'no-stream')).rejects.toThrow('still unavailable');
    });

    it('answers a retry that finds its own first attempt written as a ConcurrencyError, never a second copy', async () => {
      let calls = 0;
      const client = fakeClient({
        appendToStream: async () => {
          calls++;
          if (calls === 1) throw clientError(NotLeaderError, 'not leader');
          throw clientError(WrongExpectedVersionError, 'wrong expected version', { actualVersion: 5n });
        },
      });
      await expect(new EventStoreDbEventStore(client).append('message-1', [toAppend('a')], 4n)).rejects.toBeInstanceOf(ConcurrencyError);
      expect(calls).toBe(2);
    });

    it('does not retry other failures', async () => {
      let calls = 0;
      const client = fakeClient({
        appendToStream: async () => {
          calls++;
          throw clientError(AccessDeniedError, 'access denied');
        },
      });
      await expect(new EventStoreDbEventStore(client).append('message-1', [toAppend('a')], 4n)).rejects.toThrow('access denied');
      expect(calls).toBe(1);
    });
  });

  describe('stream namespace (EVENTSTORE_STREAM_NAMESPACE)', () => {
    it('stores the product streams under the namespace and gives them back under their own names', async () => {
      const reads: string[] = [];
      const client = fakeClient({
        readStream: (stream: string) => {
          reads.push(stream);
          return read([event('asiointitili.message-1', 0n, 7n)]);
        },
      });
      const store = new EventStoreDbEventStore(client, { namespace: 'asiointitili' });
      await store.append('message-1', [toAppend('a')], 'no-stream');
      expect(client.appends[0]!.stream).toBe('asiointitili.message-1');
      const events = await store.readStream('message-1');
      expect(reads).toEqual(['asiointitili.message-1']);
      expect(events.map((e) => [e.stream, e.position])).toEqual([['message-1', 7n]]);
    });

    it('reads from $all only its own namespace: another application\'s message- streams and other namespaces are skipped', async () => {
      const client = fakeClient({
        readAll: () =>
          read([
            event('message-foreign', 0n, 1n),
            event('asiointitili.message-1', 0n, 2n),
            event('other.message-2', 0n, 3n),
            event('$stats-1', 0n, 4n),
            event('asiointitili.account-c_1', 0n, 5n),
          ]),
      });
      const found = await new EventStoreDbEventStore(client, { namespace: 'asiointitili' }).readAll({ maxCount: 10 });
      expect(found.map((e) => e.stream)).toEqual(['message-1', 'account-c_1']);
    });

    it('filters the $all subscription on the server by the namespaced prefixes', async () => {
      const opened: { prefixes?: string[] }[] = [];
      const client = fakeClient({
        subscribeToAll: (options: { filter: { prefixes?: string[] } }) => {
          opened.push(options.filter);
          return Object.assign(new PassThrough({ objectMode: true }), { unsubscribe: async () => undefined });
        },
      });
      const store = new EventStoreDbEventStore(client, { namespace: 'asiointitili' });
      const subscription = store.subscribeAll(async () => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      await subscription.stop();
      expect(opened[0]!.prefixes).toEqual(PRODUCT_STREAM_PREFIXES.map((prefix) => `asiointitili.${prefix}`));
      const namespace = new StreamNamespace('asiointitili');
      expect(namespace.serverPrefixes()).toContain('asiointitili.message-');
      expect(namespace.serverPrefixes().every((prefix) => prefix.startsWith('asiointitili.'))).toBe(true);
      expect(namespace.fromServer('message-1')).toBeNull();
      expect(new StreamNamespace().fromServer('message-1')).toBe('message-1');
    });

    it('refuses a namespace that is not a plain name', () => {
      for (const bad of ['$all', 'a.b', '1abc', 'a b', 'x'.repeat(49)]) expect(() => new StreamNamespace(bad)).toThrow(/EVENTSTORE_STREAM_NAMESPACE/);
    });
  });

  describe('health check', () => {
    it('answers false within its own deadline and cancels the read when a node accepts and never answers (the client reads with deadline Infinity)', async () => {
      const stalled = read([], { hang: true });
      const client = fakeClient({ readAll: () => stalled });
      const started = Date.now();
      await expect(new EventStoreDbEventStore(client, { pingDeadlineMs: 100 }).ping()).resolves.toBe(false);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(stalled.cancelled()).toBe(true);
    });

    it('answers true when $all can be read', async () => {
      await expect(new EventStoreDbEventStore(fakeClient({ readAll: () => read([event('message-1', 0n, 1n)]) })).ping()).resolves.toBe(true);
    });
  });

  describe('start check (verifyServer)', () => {
    it(`accepts ${MINIMUM_SERVER_VERSION} and later, KurrentDB 25 included`, async () => {
      for (const version of ['22.10.0.0', '23.10.1.0', '24.10.0.0', '25.0.0.0']) {
        await expect(new EventStoreDbEventStore(fakeClient({ capabilities: Promise.resolve({ serverVersion: version }) })).verifyServer()).resolves.toEqual({ version });
      }
      expect(isSupportedServerVersion('22.6.0.0')).toBe(false);
    });

    it.each([
      ['21.10.2.0', /21\.10\.2\.0 is older than the 22\.10/],
      ['unknown', /did not report its version .* older than 21\.10/],
    ])('refuses server version %s, saying what to upgrade', async (version, message) => {
      const store = new EventStoreDbEventStore(fakeClient({ capabilities: Promise.resolve({ serverVersion: version }) }));
      await expect(store.verifyServer()).rejects.toThrow(message);
    });

    it('refuses a user that may not read $all, saying what to grant on the $all metadata', async () => {
      const client = fakeClient({ readAll: () => read([], { fail: clientError(AccessDeniedError, 'Access denied') }) });
      const denied = new EventStoreDbEventStore(client, { user: 'asiointitili' });
      const error = await denied.verifyServer().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EventStoreServerError);
      expect((error as Error).message).toMatch(/asiointitili may not read \$all/);
      expect((error as Error).message).toContain('{"$acl":{"$r":["asiointitili"]}}');
      expect((error as Error).message).toContain('$$$all');
      expect((error as Error).message).not.toContain('secret');
    });

    it('keeps trying a cluster it cannot reach yet, then passes once it answers', async () => {
      let attempts = 0;
      const client = fakeClient({
        readAll: () => {
          attempts++;
          return attempts < 3 ? read([], { fail: clientError(UnavailableError, 'unavailable') }) : read([]);
        },
      });
      await expect(new EventStoreDbEventStore(client, { startCheckMs: 10_000 }).verifyServer()).resolves.toEqual({ version: '24.10.0.0' });
      expect(attempts).toBe(3);
    });

    it('fails the start when the cluster stays unreachable for startCheckMs', async () => {
      const client = fakeClient({ readAll: () => read([], { fail: clientError(UnavailableError, 'unavailable') }) });
      await expect(new EventStoreDbEventStore(client, { startCheckMs: 300 }).verifyServer()).rejects.toThrow(/could not be reached at start: unavailable/);
    });
  });

  describe('cluster connection string', () => {
    it('keeps every node of esdb+discover://node1,node2,node3 as a gossip seed (the client would keep only node1)', () => {
      const given = 'esdb+discover://user:pass@node1:2113,node2:2113,node3:2113?tlsCAFile=/certs/ca.crt';
      const original = parseConnectionString(given);
      expect(original.dnsDiscover).toBe(true); // the client then uses hosts[0] only (dist/Client/index.js)
      const rewritten = parseConnectionString(clientConnectionString(given));
      expect(rewritten.dnsDiscover).toBe(false);
      expect(rewritten.hosts.map((host) => `${host.address}:${host.port}`)).toEqual(['node1:2113', 'node2:2113', 'node3:2113']);
      expect(rewritten.defaultCredentials).toEqual({ username: 'user', password: 'pass' });
      expect(rewritten.tlsCAFile).toBe('/certs/ca.crt');
    });

    it('leaves one host with +discover alone (DNS discovery through one name) and plain esdb:// strings unchanged', () => {
      expect(clientConnectionString('esdb+discover://cluster.example:2113')).toBe('esdb+discover://cluster.example:2113');
      expect(clientConnectionString('esdb://node1:2113,node2:2113?tls=false')).toBe('esdb://node1:2113,node2:2113?tls=false');
    });
  });
});
