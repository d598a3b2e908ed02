import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConcurrencyError, ManualClock, type EventStore } from '@asiointitili/core';
import { accountDecider, accountStream, agencyDecider, agencyStream, type Decider } from '@asiointitili/domain';
import { SqliteEventStore } from '@asiointitili/event-store';
import { CommandExecutor } from '../write/command-executor';
import { DomainRejection } from '../write/domain-rejection';
import { AppMetrics } from './app-metrics';

const context = (commandId: string) => ({ actor: { type: 'admin' as const, id: 'ops' }, commandId, correlationId: 'c', causationId: 'c' });
const AT = '2026-11-24T10:00:00.000Z';
const register = (agencyId: string) => ({ type: 'RegisterAgency' as const, agencyId, name: 'Kela', businessId: '0737546-2', at: AT });

/** The value of one sample line, e.g. `asiointitili_commands_total{type="X",outcome="appended"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the application metrics', () => {
  let dir: string;
  let store: SqliteEventStore;
  let clock: ManualClock;
  let metrics: AppMetrics;
  let executor: CommandExecutor;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metrics-'));
    store = SqliteEventStore.open(dir);
    clock = new ManualClock(new Date('2026-11-24T10:00:05.000Z'));
    metrics = new AppMetrics(store, clock, { processMetrics: false });
    executor = new CommandExecutor(store, metrics);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts commands by type and outcome: appended, unchanged (an idempotent repeat) and rejected', async () => {
    const ref = 'c_metrics';
    const open = { type: 'OpenAccount' as const, citizenRef: ref, language: 'fi' as const, openedBy: 'citizen' as const, at: AT };
    await executor.execute(agencyStream('kela'), agencyDecider, register('kela'), context('1'));
    await expect(executor.execute(agencyStream('kela'), agencyDecider, register('kela'), context('2'))).rejects.toBeInstanceOf(DomainRejection);
    await executor.execute(accountStream(ref), accountDecider, open, context('3'));
    // A decision with nothing to append (what an idempotent repeat decides).
    const nothingToDo: Decider<{ type: 'Nothing'; at: string }, never, null> = { initialState: null, evolve: (state) => state, decide: () => ({ ok: true, events: [] }) };
    await executor.execute(accountStream(ref), nothingToDo, { type: 'Nothing', at: AT }, context('4'));
    const text = await metrics.text();
    expect(sample(text, 'asiointitili_commands_total{type="RegisterAgency",outcome="appended"}')).toBe(1);
    expect(sample(text, 'asiointitili_commands_total{type="RegisterAgency",outcome="rejected"}')).toBe(1);
    expect(sample(text, 'asiointitili_commands_total{type="OpenAccount",outcome="appended"}')).toBe(1);
    expect(sample(text, 'asiointitili_commands_total{type="Nothing",outcome="unchanged"}')).toBe(1);
    expect(sample(text, 'asiointitili_command_duration_seconds_count{type="RegisterAgency"}')).toBe(2);
  });

  it('counts a command that lost every concurrency race as contention, and times every append attempt', async () => {
    const racing: EventStore = {
      readStream: (stream, options) => store.readStream(stream, options),
      readAll: (options) => store.readAll(options),
      subscribeAll: (handler, options) => store.subscribeAll(handler, options),
      headPosition: () => store.headPosition(),
      identity: () => store.identity(),
      ping: () => store.ping(),
      close: async () => undefined,
      append: async (stream, _events, expected) => {
        throw new ConcurrencyError(stream, expected, 0n);
      },
    };
    const contended = new CommandExecutor(racing, metrics);
    await expect(contended.execute(agencyStream('vero'), agencyDecider, register('vero'), context('x'))).rejects.toThrow();
    const text = await metrics.text();
    expect(sample(text, 'asiointitili_commands_total{type="RegisterAgency",outcome="contention"}')).toBe(1);
    expect(sample(text, 'asiointitili_event_store_append_duration_seconds_count')).toBe(5);
  });

  it('reports projection lag in positions and in seconds since the oldest unapplied event, zero when caught up', async () => {
    let checkpoint: bigint | null = null;
    metrics.watchProjection('read-models', { checkpoint: () => checkpoint });
    await executor.execute(agencyStream('kela'), agencyDecider, register('kela'), context('1'));
    await executor.execute(agencyStream('vero'), agencyDecider, register('vero'), context('2'));
    let text = await metrics.text();
    expect(sample(text, 'asiointitili_projection_lag_positions{projection="read-models"}')).toBe(2);
    expect(sample(text, 'asiointitili_projection_lag_seconds{projection="read-models"}')).toBe(5);
    checkpoint = await store.headPosition();
    text = await metrics.text();
    expect(sample(text, 'asiointitili_projection_lag_positions{projection="read-models"}')).toBe(0);
    expect(sample(text, 'asiointitili_projection_lag_seconds{projection="read-models"}')).toBe(0);
  });

  it('shows group commit on the embedded store: appends and the write transactions that carried them', async () => {
    await Promise.all(['a', 'b', 'c'].map((id, index) => executor.execute(agencyStream(id), agencyDecider, register(id), context(String(index)))));
    const text = await metrics.text();
    expect(sample(text, 'asiointitili_event_store_appends')).toBe(3);
    expect(sample(text, 'asiointitili_event_store_write_transactions')).toBe(1);
  });

  it('observes HTTP requests by method, route template and status', async () => {
    metrics.httpRequest('GET', '/v1/citizen/messages/:id', 404, 0.003);
    const text = await metrics.text();
    expect(sample(text, 'asiointitili_http_request_duration_seconds_count{method="GET",route="/v1/citizen/messages/:id",status="404"}')).toBe(1);
    expect(sample(text, 'asiointitili_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v1/citizen/messages/:id",status="404"}')).toBe(1);
  });
});
