import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrintJob } from '@asiointitili/core';
import { FilePrintChannel, PRINT_DIRECTORY } from './file-print-channel';

const job = (overrides: Partial<PrintJob> = {}): PrintJob => ({
  id: 'm-1',
  messageId: 'm-1',
  agencyId: 'kela',
  citizenRef: 'c_ref',
  delivery: 'registered',
  reason: 'unacknowledged-7-days',
  contentSha256: 'ab'.repeat(32),
  subject: 'Päätös',
  body: 'Teille on myönnetty tukea.',
  attachments: [{ id: 'a-1', name: 'liite.pdf', sha256: 'cd'.repeat(32) }],
  ...overrides,
});

describe('the embedded print channel (one file per job)', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'print-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('writes DATA_DIR/print/<jobId>.json with the letter, its metadata and its content hash, leaving no temporary file', async () => {
    const channel = FilePrintChannel.inDataDir(dataDir);
    await channel.submit(job());
    expect(await readdir(join(dataDir, PRINT_DIRECTORY))).toEqual(['m-1.json']);
    const written = JSON.parse(await readFile(join(dataDir, PRINT_DIRECTORY, 'm-1.json'), 'utf8'));
    expect(written).toEqual(job());
    expect(await channel.job('m-1')).toEqual(job());
  });

  it('treats an existing file as already submitted: a retry never replaces the first letter', async () => {
    const channel = FilePrintChannel.inDataDir(dataDir);
    await channel.submit(job());
    await channel.submit(job({ body: 'a different body from a confused retry' }));
    await Promise.all([channel.submit(job()), channel.submit(job())]);
    expect((await channel.job('m-1'))?.body).toBe(job().body);
    expect(await readdir(join(dataDir, PRINT_DIRECTORY))).toEqual(['m-1.json']);
  });

  it('answers null for a job never submitted', async () => {
    expect(await FilePrintChannel.inDataDir(dataDir).job('m-unknown')).toBeNull();
  });

  it.each(['../escape', '.hidden', 'a/b', ''])('refuses the job id %j, which is not a safe file name', async (id) => {
    await expect(FilePrintChannel.inDataDir(dataDir).submit(job({ id }))).rejects.toThrow(TypeError);
    expect(await readdir(dataDir)).toEqual([]);
  });
});
