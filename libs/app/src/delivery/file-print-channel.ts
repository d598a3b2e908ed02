import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { PrintChannel, PrintJob } from '@asiointitili/core';

export const PRINT_DIRECTORY = 'print';

/** A job id becomes a file name: nothing that could climb out of the directory or hide as a dotfile. */
const SAFE_JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/**
 * The embedded print channel: each job is one JSON file `<DATA_DIR>/print/<jobId>.json` with the
 * letter's metadata, its content and the content hash the proof of service binds to.
 *
 * The file appears whole or not at all (written beside, flushed, then linked into place), and an
 * existing file means the job was submitted already: the print service gets each letter once,
 * however often a process manager retries.
 */
export class FilePrintChannel implements PrintChannel {
  constructor(readonly directory: string) {}

  static inDataDir(dataDir: string): FilePrintChannel {
    return new FilePrintChannel(join(dataDir, PRINT_DIRECTORY));
  }

  async submit(job: PrintJob): Promise<void> {
    const target = this.fileOf(job.id);
    await mkdir(this.directory, { recursive: true });
    const temporary = join(this.directory, `.${job.id}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(job, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      // link() refuses an existing target, unlike rename(): a second submit never replaces the first.
      await link(temporary, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temporary);
    }
    await syncDirectory(this.directory);
  }

  /** The submitted job, or null (operators and tests read it). */
  async job(id: string): Promise<PrintJob | null> {
    try {
      return JSON.parse(await readFile(this.fileOf(id), 'utf8')) as PrintJob;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  private fileOf(id: string): string {
    if (typeof id !== 'string' || !SAFE_JOB_ID.test(id)) throw new TypeError('a print job id is 1..200 characters of A-Z a-z 0-9 . _ - and starts with a letter or digit');
    return join(this.directory, `${id}.json`);
  }
}

/** Makes the new directory entry itself durable (POSIX: fsync on the directory). */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
