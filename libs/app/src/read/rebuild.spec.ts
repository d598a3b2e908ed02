import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Doc, EventStore, ReadStore } from '@asiointitili/core';
import { accountDecider, accountStream, agencyDecider, agencyStream, applicationDecider, applicationStream } from '@asiointitili/domain';
import { SqliteEventStore } from '@asiointitili/event-store';
import { MongoClient } from 'mongodb';
import { MongoReadStore, SqliteReadStore } from '@asiointitili/read-store';
import { testDatabaseName } from '../../../../test/support/ferretdb';
import { describeWithServer } from '../../../../test/support/server-suites';
import {
  AGENCY,
  GUARDIAN,
  RECIPIENT,
  ordinaryDeemedServed,
  recordMessage,
  registeredAcknowledged,
  registeredAcknowledgedOnBehalf,
  registeredFellBack,
  registeredPending,
  routedToPaper,
} from '../evidence/testing/message-history';
import { CommandExecutor } from '../write/command-executor';
import { Collections, READ_MODEL_PROJECTIONS, READ_MODELS_CHECKPOINT, ProjectionRunner, type Projection } from './projections';
import { PROCESS_MANAGER_CHECKPOINTS } from '../legal-time/process-managers';
import { bindReadStoreToLog, OtherEventLogError } from './projections/log-continuity';
import { LiveProjectionsError, rebuildReadModels } from './rebuild';

const system = { actor: { type: 'system' as const, id: 'spec' }, commandId: 'c', correlationId: 'c', causationId: 'c' };

/** Every document of every read-model collection, by collection and id. */
async function snapshot(store: ReadStore): Promise<Record<string, Doc[]>> {
  const all: Record<string, Doc[]> = {};
  for (const collection of Object.values(Collections)) {
    const docs: Doc[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Doc[]; next: string | null } = await store.find<Doc>(collection, { orderBy: [{ field: 'id', direction: 'asc' }], limit: 100, cursor });
      docs.push(...page.items);
      cursor = page.next;
    } while (cursor);
    all[collection] = docs;
  }
  return all;
}

/** Opens an empty read store of one adapter for one test; `close` also removes what it created. */
type OpenReadStore = (dir: string) => Promise<{ readonly store: ReadStore; close(): Promise<void> }>;

const embedded: OpenReadStore = async (dir) => {
  const store = new SqliteReadStore({ dataDir: dir });
  return { store, close: () => store.close() };
};

rebuildSuite('rebuildReadModels (embedded read store)', embedded);

describeWithServer('MONGODB_URL', 'rebuildReadModels (MongoDB read store)', (url) => {
  let client: MongoClient;
  beforeAll(async () => {
    client = await new MongoClient(url).connect();
  });
  afterAll(() => client?.close());
  rebuildSuite('on MongoDB', async () => {
    const db = client.db(testDatabaseName('rebuild'));
    // Other processes' cached generation is trusted this long; short here so the swap does not wait a second.
    const store = new MongoReadStore({ db, generationCacheMs: 20 });
    return {
      store,
      close: async () => {
        await store.close();
        await db.dropDatabase();
      },
    };
  });
});

function rebuildSuite(name: string, openReadStore: OpenReadStore): void {
  describe(name, () => {
    let dir: string;
    let events: EventStore;
    let readStore: ReadStore;
    let closeReadStore: () => Promise<void>;
    let head: bigint;

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'asiointitili-rebuild-'));
      events = SqliteEventStore.open(dir);
      ({ store: readStore, close: closeReadStore } = await openReadStore(dir));
      const executor = new CommandExecutor(events);
      await executor.execute(agencyStream(AGENCY), agencyDecider, { type: 'RegisterAgency', agencyId: AGENCY, name: 'Kela', businessId: '0737546-2', at: '2025-11-01T08:00:00.000Z' }, system);
      await executor.execute(accountStream(RECIPIENT), accountDecider, { type: 'OpenAccount', citizenRef: RECIPIENT, language: 'fi', openedBy: 'citizen', at: '2025-11-02T08:00:00.000Z' }, system);
      await recordMessage(events, 'm-ack', registeredAcknowledged('m-ack'));
      await recordMessage(events, 'm-ord', ordinaryDeemedServed('m-ord'));
      await recordMessage(events, 'm-paper', registeredFellBack('m-paper'));
      await recordMessage(events, 'm-routed', routedToPaper('m-routed'));
      await recordMessage(events, 'm-wait', registeredPending('m-wait'));
      // Acts on behalf: ActedOnBehalf in a message stream and in an application stream (whose feed item reads the application).
      await recordMessage(events, 'm-agent', registeredAcknowledgedOnBehalf('m-agent'));
      await executor.execute(
        applicationStream('a-agent'),
        applicationDecider,
        { type: 'SubmitApplication', applicationId: 'a-agent', citizenRef: RECIPIENT, agencyId: AGENCY, agencyRegistered: true, subject: 'Hakemus', body: '', attachments: [], onBehalf: GUARDIAN, at: '2025-11-26T08:00:00.000Z' },
        system,
      );
      head = (await events.headPosition())!;
    });
    afterEach(async () => {
      await closeReadStore();
      await events.close();
      await rm(dir, { recursive: true, force: true });
    });

    /** What the worker does: bind the read store to the log, follow the log until the head, then stop (as an operator stops workers before a rebuild). */
    async function projectLive(): Promise<void> {
      await bindReadStoreToLog(events, readStore);
      const runner = new ProjectionRunner(events, readStore, READ_MODEL_PROJECTIONS);
      await runner.start();
      expect(await runner.waitFor(head, 5000)).toBe(true);
      await runner.stop();
    }

    it('yields the same documents in every collection as the live projections', async () => {
      await projectLive();
      const live = await snapshot(readStore);
      expect(live[Collections.messages]).toHaveLength(6);
      expect(live[Collections.agencyFeed]!.filter((item) => (item as { type?: string }).type === 'acted-on-behalf')).toHaveLength(3);

      const report = await rebuildReadModels(events, readStore, { batchSize: 3 });

      expect(await snapshot(readStore)).toEqual(live);
      expect(await readStore.checkpoint(READ_MODELS_CHECKPOINT)).toBe(head);
      expect(report).toMatchObject({ position: head, events: Number(head), batches: Math.ceil(Number(head) / 3) });
    });

    it('keeps readers on the old generation until it swaps, and drops what only the old generation had', async () => {
      await projectLive();
      await readStore.write([{ op: 'put', collection: Collections.messages, doc: { id: 'only-in-the-old-generation', lastPosition: '0' } }]);
      const seenDuringRebuild: boolean[] = [];

      const report = await rebuildReadModels(events, readStore, {
        batchSize: 2,
        onBatch: async () => {
          seenDuringRebuild.push((await readStore.get(Collections.messages, 'only-in-the-old-generation')) !== null);
        },
      });

      expect(report.batches).toBeGreaterThan(3);
      expect(seenDuringRebuild).toEqual(Array.from({ length: report.batches }, () => true));
      expect(await readStore.get(Collections.messages, 'only-in-the-old-generation')).toBeNull();
      expect(await readStore.get(Collections.messages, 'm-ack')).toMatchObject({ agencyState: 'acknowledged' });
    });

    it('carries pending uploads and the process managers\' checkpoints into the new generation', async () => {
      await projectLive();
      const upload = { id: 'upload-pending-0001', owner: 'agency:kela', name: 'a.pdf', contentType: 'application/pdf', size: 3, sha256: 'f'.repeat(64), uploadedAt: '2025-11-02T08:00:00.000Z' };
      await readStore.write([{ op: 'put', collection: Collections.attachments, doc: upload }]);
      await readStore.write([], { name: PROCESS_MANAGER_CHECKPOINTS[0]!, position: head });

      await rebuildReadModels(events, readStore);

      expect(await readStore.get(Collections.attachments, upload.id)).toMatchObject(upload);
      expect(await readStore.checkpoint(PROCESS_MANAGER_CHECKPOINTS[0]!)).toBe(head);
      expect(await readStore.checkpoint(PROCESS_MANAGER_CHECKPOINTS[1]!)).toBeNull();
    });

    it('rebinds a read store built from another log to this one, carrying uploads but no checkpoints of the other log', async () => {
      const otherDir = await mkdtemp(join(tmpdir(), 'asiointitili-rebuild-other-'));
      const otherLog = SqliteEventStore.open(otherDir);
      try {
        await bindReadStoreToLog(otherLog, readStore);
        await readStore.write([], { name: PROCESS_MANAGER_CHECKPOINTS[0]!, position: 99n });
        await expect(bindReadStoreToLog(events, readStore)).rejects.toBeInstanceOf(OtherEventLogError);

        await rebuildReadModels(events, readStore);

        await expect(bindReadStoreToLog(events, readStore)).resolves.toBeUndefined();
        expect(await readStore.checkpoint(PROCESS_MANAGER_CHECKPOINTS[0]!)).toBeNull();
        expect(await readStore.count(Collections.messages)).toBe(6);
      } finally {
        await otherLog.close();
        await rm(otherDir, { recursive: true, force: true });
      }
    });

    it('builds the read models from position 0 when there were none before', async () => {
      await rebuildReadModels(events, readStore);
      expect(await readStore.count(Collections.messages)).toBe(6);
      expect(await readStore.get(Collections.agencies, AGENCY)).not.toBeNull();
    });

    it('reports the events it applied per second of the clock it was given', async () => {
      const times = [1_000, 3_000];
      const report = await rebuildReadModels(events, readStore, { now: () => times.shift() ?? 3_000 });
      expect(report.seconds).toBe(2);
      expect(report.eventsPerSecond).toBe(Number(head) / 2);
    });

    it('swaps in an empty generation for an empty log', async () => {
      const emptyDir = await mkdtemp(join(tmpdir(), 'asiointitili-rebuild-empty-'));
      const emptyLog = SqliteEventStore.open(emptyDir);
      const empty = await openReadStore(emptyDir);
      try {
        await expect(rebuildReadModels(emptyLog, empty.store)).resolves.toMatchObject({ events: 0, batches: 0, position: null });
      } finally {
        await empty.close();
        await emptyLog.close();
        await rm(emptyDir, { recursive: true, force: true });
      }
    });

    it('refuses to swap when a projection runner moved the live read models meanwhile, and leaves them serving', async () => {
      await projectLive();
      const runner = new ProjectionRunner(events, readStore, READ_MODEL_PROJECTIONS);
      await runner.start();
      try {
        const rebuilt = rebuildReadModels(events, readStore, {
          batchSize: 100,
          onBatch: async ({ batches }) => {
            if (batches > 1) return;
            // A command lands while the rebuild runs, and the live runner applies it to the old generation.
            const appended = await recordMessage(events, 'm-late', registeredPending('m-late'));
            expect(await runner.waitFor(appended[appended.length - 1]!.position, 5000)).toBe(true);
          },
        });
        await expect(rebuilt).rejects.toBeInstanceOf(LiveProjectionsError);
        await expect(rebuilt).rejects.toThrow(/stop the workers/i);
      } finally {
        await runner.stop();
      }
      expect(await readStore.get(Collections.messages, 'm-late')).not.toBeNull();
      expect(await readStore.count(Collections.messages)).toBe(7);
    });

    it('discards the new generation when a projection fails, leaving the old one serving', async () => {
      await projectLive();
      const before = await snapshot(readStore);
      const failing: Projection = {
        name: 'failing',
        indexes: [],
        apply: async (event) => {
          if (event.type === 'ReceiptAcknowledged') throw new Error('projection bug');
        },
      };
      await expect(rebuildReadModels(events, readStore, { projections: [...READ_MODEL_PROJECTIONS, failing] })).rejects.toThrow('projection bug');
      expect(await snapshot(readStore)).toEqual(before);
      await expect(rebuildReadModels(events, readStore)).resolves.toMatchObject({ position: head });
    });

    it('refuses a batch size that is not a positive whole number', async () => {
      await expect(rebuildReadModels(events, readStore, { batchSize: 0 })).rejects.toThrow(RangeError);
      await expect(rebuildReadModels(events, readStore, { batchSize: 1.5 })).rejects.toThrow(RangeError);
    });
  });
}
