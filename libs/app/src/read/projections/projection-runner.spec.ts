import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@asiointitili/event-store';
import { SqliteReadStore } from '@asiointitili/read-store';
import { ProjectionRunner, READ_MODELS_CHECKPOINT } from './projection-runner';

describe('ProjectionRunner.readYourWrites in a process that does not run the projections (WORKER=off, or a standby worker)', () => {
  it('returns once the checkpoint stored by the active worker includes the write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ryw-'));
    const events = SqliteEventStore.open(dir);
    const store = new SqliteReadStore({ dataDir: dir });
    try {
      const runner = new ProjectionRunner(events, store, []); // never started here
      // The active worker, elsewhere, stores the checkpoint a moment after the write.
      const activeWorker = new Promise<void>((resolve) => setTimeout(() => void store.write([], { name: READ_MODELS_CHECKPOINT, position: 7n }).then(resolve), 100));
      await runner.readYourWrites(7n);
      expect(await store.checkpoint(READ_MODELS_CHECKPOINT)).toBe(7n);
      await activeWorker;
    } finally {
      await events.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
