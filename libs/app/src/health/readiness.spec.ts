import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@asiointitili/core';
import { FileBlobStore } from '@asiointitili/blob-store/embedded/file-blob-store';
import { SqliteEventStore } from '@asiointitili/event-store';
import { chainedEvents } from '@asiointitili/event-store/testing/chained-events';
import { SqliteReadStore } from '@asiointitili/read-store';
import { FollowerRegistry, type FollowerStatus } from '../followers/follower-status';
import { READ_MODELS_CHECKPOINT } from '../read/projections/projection-runner';
import { assessReadiness, type ReadinessSources } from './readiness';

const status = (name: string, overrides: Partial<FollowerStatus> = {}): FollowerStatus => ({ name, state: 'running', position: null, consecutiveFailures: 0, lastError: null, poison: null, ...overrides });

describe('readiness (GET /health/ready)', () => {
  let dir: string;
  let sources: ReadinessSources;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  let clock: ManualClock;
  let followers: FollowerRegistry;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'readiness-'));
    events = SqliteEventStore.open(dir);
    readStore = new SqliteReadStore({ dataDir: dir });
    clock = new ManualClock('2025-03-01T10:00:10.000Z'); // the test events occurred at 10:00:00
    followers = new FollowerRegistry();
    sources = { events, readStore, blobs: new FileBlobStore({ dataDir: dir }), clock, followers, maxLagMs: 30_000 };
    await events.append('message-a', chainedEvents('message-a', 3), 'no-stream');
  });
  afterEach(async () => {
    await events.close();
    await readStore.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is ready when the ports answer, the followers run or stand by, and the read models are within the allowed lag', async () => {
    followers.register('read-models', { status: () => status('read-models') });
    followers.register('worker-lease', { status: () => status('worker-lease', { state: 'standby' }) });
    const report = await assessReadiness(sources); // 10 s behind: within 30 s
    expect(report).toMatchObject({ ready: true, problems: [], readModels: { checkpoint: null, headPosition: '3', lagMs: 10_000 } });
  });

  it('names the read models when they trail the log by more than READINESS_MAX_LAG_MS, and is ready again once they catch up', async () => {
    await readStore.write([], { name: READ_MODELS_CHECKPOINT, position: 1n });
    clock.set('2025-03-01T10:01:00.000Z');
    const behind = await assessReadiness(sources);
    expect(behind.ready).toBe(false);
    expect(behind.problems).toEqual([`read models are 60000 ms behind the log (at 1 of 3; READINESS_MAX_LAG_MS=30000)`]);

    await readStore.write([], { name: READ_MODELS_CHECKPOINT, position: 3n });
    expect(await assessReadiness(sources)).toMatchObject({ ready: true, readModels: { lagMs: 0 } });
  });

  it('names a follower that is retrying, a poison event with its position, and an unreachable port', async () => {
    followers.register('pm:print', { status: () => status('pm:print', { state: 'retrying', consecutiveFailures: 3, lastError: 'connect ECONNREFUSED' }) });
    followers.register('read-models', {
      status: () => status('read-models', { state: 'poisoned', poison: { position: '2', type: 'TestFactAmended', stream: 'message-a', eventId: 'e', error: 'boom' } }),
    });
    await readStore.close(); // the read store goes away
    const report = await assessReadiness(sources);
    expect(report.ready).toBe(false);
    expect(report.problems).toEqual([
      expect.stringMatching(/^read store unreachable: /),
      'pm:print is retrying: connect ECONNREFUSED',
      'read-models stopped at poison event 2 (TestFactAmended): boom',
    ]);
    expect(report.readModels.lagMs).toBeNull();
  });
});
