import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@asiointitili/event-store';
import { replayStream } from '@asiointitili/app/audit/stream-replay';
import { SEEDED_STREAM, seedDataDir } from '@asiointitili/app/evidence/testing/seeded-data-dir';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { memoryEnv } from '../testing/memory-env';
import { command } from './audit-replay';

describe('cli audit replay', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(join(tmpdir(), 'asiointitili-cli-replay-'));
    await seedDataDir(dataDir);
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const runReplay = async (args: readonly string[]): Promise<{ code: number; steps: unknown[]; stderr: string }> => {
    const io = memoryEnv({ DATA_DIR: dataDir });
    const code = await command.run(args, io.env);
    const text = io.stdout();
    return { code, steps: text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown), stderr: io.stderr() };
  };

  it('prints each step, event and resulting state, as one JSON line, the same steps the domain replay gives', async () => {
    const { code, steps, stderr } = await runReplay(['--stream', SEEDED_STREAM]);
    expect(code).toBe(EXIT_OK);
    expect(stderr).toBe('');
    const events = SqliteEventStore.open(dataDir);
    try {
      expect(steps).toEqual(JSON.parse(JSON.stringify(await replayStream(events, SEEDED_STREAM, { kind: 'none' }))));
    } finally {
      await events.close();
    }
    expect(steps).toHaveLength(3);
    expect(steps[2]).toMatchObject({ event: { revision: '2', type: 'ReceiptAcknowledged' }, state: { acknowledgement: { method: 'mobile', assurance: 'high' } } });
  });

  it('stops at a revision given with --until, inclusive', async () => {
    const { steps } = await runReplay(['--stream', SEEDED_STREAM, '--until', '1']);
    expect(steps).toHaveLength(2);
    expect(steps[1]).toMatchObject({ event: { type: 'MessageRead' }, state: { readAt: expect.any(String) } });
    expect((steps[1] as { state: Record<string, unknown> }).state.acknowledgement).toBeUndefined();
  });

  it('stops at a time given with --until: what the system knew then', async () => {
    const all = (await runReplay(['--stream', SEEDED_STREAM])).steps as { event: { occurredAt: string } }[];
    const { steps } = await runReplay(['--stream', SEEDED_STREAM, '--until', all[1]!.event.occurredAt]);
    expect(steps).toHaveLength(2);
    expect((await runReplay(['--stream', SEEDED_STREAM, '--until', '2000-01-01T00:00:00Z'])).steps).toEqual([]);
  });

  it('answers a stream that does not exist with exit 1 on stderr', async () => {
    const { code, steps, stderr } = await runReplay(['--stream', 'message-nope']);
    expect(code).toBe(EXIT_FAILURE);
    expect(steps).toEqual([]);
    expect(stderr).toBe('audit replay: no stream message-nope\n');
  });

  it.each([
    ['no --stream', [], /--stream is required/],
    ['a name that is not a product stream', ['--stream', 'nope'], /--stream must name a stream/],
    ['an --until that is neither a time nor a revision', ['--stream', SEEDED_STREAM, '--until', 'yesterday'], /--until must be an ISO 8601 time/],
  ])('throws a UsageError for %s', async (_name, args, message) => {
    await expect(runReplay(args)).rejects.toThrow(UsageError);
    await expect(runReplay(args)).rejects.toThrow(message);
  });
});
