import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@asiointitili/event-store';
import { SqliteReadStore } from '@asiointitili/read-store';
import { READ_MODEL_PROJECTIONS } from '../read/projections';
import { ProjectionRunner } from '../read/projections/projection-runner';
import { CommandExecutor } from '../write/command-executor';
import { DomainRejection } from '../write/domain-rejection';
import { EmbeddedMandateRegister } from './embedded-mandate-register';

const AT = '2026-12-07T10:00:00.000Z';
const ctx = (id: string) => ({ actor: { type: 'admin' as const, id: 'operator' }, commandId: id, correlationId: id, causationId: id });

describe('embedded mandate register: mandates are events in the log', () => {
  let dir: string;
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  let register: EmbeddedMandateRegister;

  /** Projects the whole log (optionally twice: a replay must change nothing). */
  async function project(times = 1): Promise<void> {
    const runner = new ProjectionRunner(events, store, READ_MODEL_PROJECTIONS);
    const log = await events.readAll({ maxCount: 1000 });
    for (let i = 0; i < times; i++) await runner.applyBatch(log);
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mandates-'));
    events = SqliteEventStore.open(join(dir, 'log'));
    store = new SqliteReadStore({ dataDir: join(dir, 'read') });
    await store.ensureIndexes(READ_MODEL_PROJECTIONS.flatMap((p) => p.indexes));
    register = new EmbeddedMandateRegister(new CommandExecutor(events), store);
  });
  afterEach(async () => {
    await store.close();
    await events.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records a mandate in its own stream and finds it by id and by agent', async () => {
    await register.record('md-1', { principalRef: 'c_child', agentRef: 'c_parent', relation: 'guardian', scopes: ['read'], principalBornOn: '2015-03-15' }, AT, ctx('r1'));
    await register.record('md-2', { principalRef: 'c_other', agentRef: 'c_someone', relation: 'mandate', scopes: ['reply'] }, AT, ctx('r2'));
    expect((await events.readStream('mandate-md-1')).map((e) => e.type)).toEqual(['MandateRecorded']);
    expect(await register.byId('md-1')).toMatchObject({ exists: true, mandate: { principalRef: 'c_child', agentRef: 'c_parent', principalBornOn: '2015-03-15' } });
    expect(await register.byId('md-unknown')).toBeUndefined();
    await project();
    expect((await register.heldBy('c_parent')).map((m) => m.mandate.mandateId)).toEqual(['md-1']);
    expect(await register.heldBy('c_child')).toEqual([]);
  });

  it('sees an ending at once by id and, once projected, by agent; a replay of the log changes nothing', async () => {
    await register.record('md-1', { principalRef: 'c_child', agentRef: 'c_parent', relation: 'mandate', scopes: ['read'] }, AT, ctx('r1'));
    await register.end('md-1', '2026-12-08T10:00:00.000Z', ctx('e1'));
    expect((await register.byId('md-1'))?.endedAt).toBe('2026-12-08T10:00:00.000Z');
    await project(2);
    expect(await register.heldBy('c_parent')).toEqual([
      { exists: true, mandate: expect.objectContaining({ mandateId: 'md-1' }), endedAt: '2026-12-08T10:00:00.000Z' },
    ]);
  });

  it('refuses to end a mandate that was never recorded, recording nothing', async () => {
    await expect(register.end('md-none', AT, ctx('e'))).rejects.toBeInstanceOf(DomainRejection);
    expect(await events.readStream('mandate-md-none')).toEqual([]);
  });
});
