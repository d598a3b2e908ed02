import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConcurrencyError, verifyChain, type EventStore } from '@asiointitili/core';
import { agencyDecider, agencyStream, accountDecider, accountStream } from '@asiointitili/domain';
import { SqliteEventStore } from '@asiointitili/event-store';
import { CommandExecutor, MAX_COMMAND_ATTEMPTS } from './command-executor';
import { ContentionError, DomainRejection } from './domain-rejection';

const context = (commandId: string) => ({ actor: { type: 'admin' as const, id: 'ops' }, commandId, correlationId: 'corr-1', causationId: 'cause-1' });
const register = (agencyId: string, at = '2026-11-24T10:00:00.000Z') => ({ type: 'RegisterAgency' as const, agencyId, name: 'Kela', businessId: '0737546-2', at });

describe('the generic command executor', () => {
  let dir: string;
  let store: SqliteEventStore;
  let executor: CommandExecutor;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'executor-'));
    store = SqliteEventStore.open(dir);
    executor = new CommandExecutor(store);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('appends the decided events with metadata: actor, correlation, causation, time, schema version and a chained hash', async () => {
    const execution = await executor.execute(agencyStream('kela'), agencyDecider, register('kela'), context('cmd-1'));
    expect(execution.appended).toHaveLength(1);
    const [event] = await store.readStream(agencyStream('kela'));
    expect(event!.metadata).toMatchObject({ actor: { type: 'admin', id: 'ops' }, correlationId: 'corr-1', causationId: 'cause-1', occurredAt: '2026-11-24T10:00:00.000Z', schemaVersion: 1, prevHash: '0'.repeat(64) });
    expect(verifyChain(await store.readStream(agencyStream('kela')))).toBeNull();
  });

  it('chains each new event to the previous event of its stream', async () => {
    const ref = 'c_test';
    await executor.execute(accountStream(ref), accountDecider, { type: 'OpenAccount', citizenRef: ref, language: 'fi', openedBy: 'citizen', at: '2026-11-24T10:00:00.000Z' }, context('a'));
    await executor.execute(accountStream(ref), accountDecider, { type: 'CloseAccount', citizenRef: ref, at: '2026-11-24T11:00:00.000Z' }, context('b'));
    const events = await store.readStream(accountStream(ref));
    expect(events[1]!.metadata.prevHash).toBe(events[0]!.metadata.hash);
    expect(verifyChain(events)).toBeNull();
  });

  it('derives the same event ids from the same command id, so a retried append is recognised', async () => {
    const first = await executor.execute(agencyStream('a1'), agencyDecider, register('a1'), context('same'));
    const otherDir = await mkdtemp(join(tmpdir(), 'executor-'));
    const other = SqliteEventStore.open(otherDir);
    try {
      const second = await new CommandExecutor(other).execute(agencyStream('a1'), agencyDecider, register('a1'), context('same'));
      expect(second.appended[0]!.id).toBe(first.appended[0]!.id);
    } finally {
      await other.close();
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('throws the domain refusal as a DomainRejection and appends nothing', async () => {
    await executor.execute(agencyStream('kela'), agencyDecider, register('kela'), context('1'));
    await expect(executor.execute(agencyStream('kela'), agencyDecider, register('kela'), context('2'))).rejects.toBeInstanceOf(DomainRejection);
    expect(await store.readStream(agencyStream('kela'))).toHaveLength(1);
  });

  it('with expectNewStream, creates a stream without reading it, and refuses as usual when the stream exists after all', async () => {
    const reads: string[] = [];
    const counting: EventStore = Object.create(store) as EventStore;
    counting.readStream = async (stream, options) => {
      reads.push(stream);
      return store.readStream(stream, options);
    };
    const fresh = new CommandExecutor(counting);
    const created = await fresh.execute(agencyStream('kela'), agencyDecider, register('kela'), context('1'), { expectNewStream: true });
    expect(created.appended).toHaveLength(1);
    expect(reads).toEqual([]);
    expect(verifyChain(await store.readStream(agencyStream('kela')))).toBeNull();
    // The stream exists: the blind append conflicts, the next attempt reads it and the decider refuses.
    await expect(fresh.execute(agencyStream('kela'), agencyDecider, register('kela'), context('2'), { expectNewStream: true })).rejects.toMatchObject({ error: { code: 'agency-exists' } });
    expect(reads).toEqual([agencyStream('kela')]);
    expect(await store.readStream(agencyStream('kela'))).toHaveLength(1);
  });

  it('re-decides on a concurrency conflict against the newer state', async () => {
    const racing: EventStore = Object.create(store) as EventStore;
    let raced = false;
    racing.append = async (stream, events, expected) => {
      if (!raced) {
        raced = true;
        // Another writer registers the same agency between our read and our append.
        await executor.execute(stream, agencyDecider, register('kela'), context('other'));
      }
      return store.append(stream, events, expected);
    };
    const execution = new CommandExecutor(racing).execute(agencyStream('kela'), agencyDecider, register('kela'), context('mine'));
    // The store refuses the stale append; the second attempt decides on the newer state.
    await expect(execution).rejects.toMatchObject({ error: { code: 'agency-exists' } });
    expect(await store.readStream(agencyStream('kela'))).toHaveLength(1);
  });

  it('succeeds on the second attempt when the competing write leaves the command valid', async () => {
    const ref = 'c_race';
    await executor.execute(accountStream(ref), accountDecider, { type: 'OpenAccount', citizenRef: ref, language: 'fi', openedBy: 'citizen', at: '2026-11-24T10:00:00.000Z' }, context('o'));
    const racing: EventStore = Object.create(store) as EventStore;
    let raced = false;
    racing.append = async (stream, events, expected) => {
      if (!raced) {
        raced = true;
        await executor.execute(stream, accountDecider, { type: 'GrantConsent', citizenRef: ref, agencyId: 'vero', agencyRegistered: true, at: '2026-11-24T10:01:00.000Z' }, context('other'));
      }
      return store.append(stream, events, expected);
    };
    await new CommandExecutor(racing).execute(accountStream(ref), accountDecider, { type: 'GrantConsent', citizenRef: ref, agencyId: 'kela', agencyRegistered: true, at: '2026-11-24T10:02:00.000Z' }, context('mine'));
    const events = await store.readStream(accountStream(ref));
    expect(events.map((e) => e.type)).toEqual(['AccountOpened', 'ConsentGranted', 'ConsentGranted']);
    expect(verifyChain(events)).toBeNull();
  });

  it(`gives up with a ContentionError after ${MAX_COMMAND_ATTEMPTS} conflicting attempts`, async () => {
    const alwaysConflicting: EventStore = Object.create(store) as EventStore;
    let attempts = 0;
    alwaysConflicting.append = async (stream, _events, expected) => {
      attempts++;
      throw new ConcurrencyError(stream, expected, 7n);
    };
    await expect(new CommandExecutor(alwaysConflicting).execute(agencyStream('x'), agencyDecider, register('x'), context('c'))).rejects.toBeInstanceOf(ContentionError);
    expect(attempts).toBe(MAX_COMMAND_ATTEMPTS);
  });

  it('appends nothing when the decision is an idempotent no-op', async () => {
    const ref = 'c_noop';
    await executor.execute(accountStream(ref), accountDecider, { type: 'OpenAccount', citizenRef: ref, language: 'fi', openedBy: 'citizen', at: '2026-11-24T10:00:00.000Z' }, context('o'));
    await executor.execute(accountStream(ref), accountDecider, { type: 'GrantConsent', citizenRef: ref, agencyId: 'kela', agencyRegistered: true, at: '2026-11-24T10:00:00.000Z' }, context('g1'));
    const repeat = await executor.execute(accountStream(ref), accountDecider, { type: 'GrantConsent', citizenRef: ref, agencyId: 'kela', agencyRegistered: true, at: '2026-11-24T10:05:00.000Z' }, context('g2'));
    expect(repeat.appended).toHaveLength(0);
    expect(repeat.position).toBeUndefined();
    expect(await store.readStream(accountStream(ref))).toHaveLength(2);
  });
});
