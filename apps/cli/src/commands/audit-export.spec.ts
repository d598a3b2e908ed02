import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { EVENTS_FILE_NAME } from '@asiointitili/event-store';
import { SEEDED_STREAM, seedDataDir } from '@asiointitili/app/evidence/testing/seeded-data-dir';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { runCli } from '../main';
import { memoryEnv } from '../testing/memory-env';
import { command } from './audit-export';
import { command as verify } from './audit-verify';

describe('cli audit export', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await fs.mkdtemp(join(tmpdir(), 'asiointitili-cli-export-'));
  });
  afterEach(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('prints one JSON line per event and a seal that audit verify finds intact', async () => {
    const { keys } = await seedDataDir(dataDir);
    const io = memoryEnv({ DATA_DIR: dataDir });
    expect(await command.run(['--stream', SEEDED_STREAM], io.env)).toBe(EXIT_OK);
    expect(io.stderr()).toBe('');
    const lines = io.stdout().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).map((line) => JSON.parse(line).type)).toEqual(['MessageSent', 'MessageRead', 'ReceiptAcknowledged']);
    expect(JSON.parse(lines[3]!)).toMatchObject({ seal: expect.any(String), kid: (await keys.signingKey('evidence')).kid });

    const file = join(dataDir, 'export.jsonl');
    await fs.writeFile(file, io.stdout());
    const checked = memoryEnv({});
    expect(await verify.run([file], checked.env)).toBe(EXIT_OK);
    expect(checked.stdout()).toMatch(/^intact: 3 events of message-m-ack/);
  });

  it('waits for a slow reader instead of buffering the whole export', async () => {
    await seedDataDir(dataDir);
    const received: string[] = [];
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk.toString('utf8'));
        setTimeout(callback, 2);
      },
    });
    // What is still queued in the stream each time the command writes: nothing, if it waits for 'drain'.
    const queuedAtWrite: number[] = [];
    const write = slow.write.bind(slow) as (chunk: string) => boolean;
    slow.write = ((chunk: string) => {
      queuedAtWrite.push(slow.writableLength);
      return write(chunk);
    }) as typeof slow.write;
    const io = memoryEnv({ DATA_DIR: dataDir });
    expect(await command.run(['--stream', SEEDED_STREAM], { ...io.env, stdout: slow })).toBe(EXIT_OK);
    expect(queuedAtWrite).toEqual([0, 0, 0, 0]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received).toHaveLength(4);
  });

  it('answers a stream that does not exist with exit 1 on stderr and nothing on stdout', async () => {
    await seedDataDir(dataDir);
    const io = memoryEnv({ DATA_DIR: dataDir });
    expect(await command.run(['--stream', 'message-nope'], io.env)).toBe(EXIT_FAILURE);
    expect(io.stdout()).toBe('');
    expect(io.stderr()).toBe('audit export: no stream message-nope (or it has no events)\n');
  });

  it('refuses a DATA_DIR without an event log, and creates none there', async () => {
    const io = memoryEnv({ DATA_DIR: dataDir });
    expect(await runCli(['audit', 'export', '--stream', SEEDED_STREAM], io.env)).toBe(EXIT_FAILURE);
    expect(io.stderr()).toMatch(/^audit export: no event log in .*: set DATA_DIR/);
    expect(existsSync(join(dataDir, EVENTS_FILE_NAME))).toBe(false);
  });

  it('refuses to seal with a key the server never had: a DATA_DIR without an evidence key', async () => {
    await seedDataDir(dataDir);
    await fs.rm(join(dataDir, 'keys'), { recursive: true });
    const io = memoryEnv({ DATA_DIR: dataDir });
    expect(await runCli(['audit', 'export', '--stream', SEEDED_STREAM], io.env)).toBe(EXIT_FAILURE);
    expect(io.stderr()).toMatch(/no evidence key in .*keys/);
    expect(io.stdout()).toBe('');
  });

  it.each([
    ['no --stream', [], /--stream is required/],
    ['a name that is not a product stream', ['--stream', 'users'], /--stream must name a stream/],
    ['an unknown option', ['--stream', SEEDED_STREAM, '--all'], /unknown option --all/],
  ])('throws a UsageError for %s', async (_name, args, message) => {
    const io = memoryEnv({ DATA_DIR: dataDir });
    await expect(command.run(args, io.env)).rejects.toThrow(UsageError);
    await expect(command.run(args, io.env)).rejects.toThrow(message);
  });
});
