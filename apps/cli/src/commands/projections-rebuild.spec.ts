import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '@asiointitili/read-store';
import { seedDataDir } from '@asiointitili/app/evidence/testing/seeded-data-dir';
import { Collections, READ_MODELS_CHECKPOINT } from '@asiointitili/app/read/projections';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { runCli } from '../main';
import { memoryEnv } from '../testing/memory-env';
import { command } from './projections-rebuild';

describe('cli projections rebuild', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await fs.mkdtemp(join(tmpdir(), 'asiointitili-cli-rebuild-'));
  });
  afterEach(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('rebuilds the read models from the log, swaps them in and prints the rate in events per second', async () => {
    await seedDataDir(dataDir);
    const io = memoryEnv({ DATA_DIR: dataDir });
    expect(await command.run(['--batch-size', '2'], io.env)).toBe(EXIT_OK);
    expect(io.stderr()).toBe('');
    expect(io.stdout()).toMatch(/^rebuilt read models: 5 events in \d+\.\d{3} s \(\d+ events\/s\), generation 2 now active at position 5\n$/);
    const store = new SqliteReadStore({ dataDir });
    try {
      expect(await store.count(Collections.messages)).toBe(2);
      expect(await store.get(Collections.messages, 'm-ack')).toMatchObject({ agencyState: 'acknowledged' });
      expect(await store.checkpoint(READ_MODELS_CHECKPOINT)).toBe(5n);
    } finally {
      await store.close();
    }
  });

  it('refuses a DATA_DIR without an event log, through the dispatcher with exit 1', async () => {
    const io = memoryEnv({ DATA_DIR: dataDir });
    expect(await runCli(['projections', 'rebuild'], io.env)).toBe(EXIT_FAILURE);
    expect(io.stderr()).toMatch(/^projections rebuild: no event log in /);
    expect(existsSync(join(dataDir, 'read-models.sqlite'))).toBe(false);
  });

  it.each([['0'], ['100001'], ['1e3'], ['-5'], ['ten']])('throws a UsageError for --batch-size %s', async (size) => {
    await expect(command.run(['--batch-size', size], memoryEnv({ DATA_DIR: dataDir }).env)).rejects.toThrow(UsageError);
  });
});
