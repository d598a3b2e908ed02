import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Only the owner may list or enter the key directory. */
export const PRIVATE_DIR_MODE = 0o700;
/** Only the owner may read or write a key file. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and missing parents) and makes `dir` itself owner-only. The parents keep the
 * default mode: DATA_DIR is shared with the other embedded adapters; only the keys are secret.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dirname(dir), { recursive: true });
  try {
    await fs.mkdir(dir, { mode: PRIVATE_DIR_MODE });
  } catch (error) {
    if (codeOf(error) !== 'EEXIST') throw error;
  }
  // An existing directory may have been made by hand with a looser mode: tighten it.
  await fs.chmod(dir, PRIVATE_DIR_MODE);
}

/**
 * Writes `content` at `path` only when nothing is there yet, and answers whether this call made it.
 *
 * Two processes (server and CLI) may race to create the same key. The content goes to a private
 * temporary file first and is then hard-linked into place: `link` fails with EEXIST when the name
 * is taken, so exactly one writer wins, and a reader never sees a half-written file.
 */
export async function createExclusive(path: string, content: string): Promise<boolean> {
  const temp = temporaryPathFor(path);
  try {
    await writeDurably(temp, content);
    try {
      await fs.link(temp, path);
    } catch (error) {
      if (codeOf(error) === 'EEXIST') return false;
      throw error;
    }
    await syncDirectory(dirname(path));
    return true;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** Replaces the file at `path` as one step (temporary file + rename): readers see the old or the new content, never a mix. */
export async function replaceAtomically(path: string, content: string): Promise<void> {
  const temp = temporaryPathFor(path);
  try {
    await writeDurably(temp, content);
    await fs.rename(temp, path);
    await syncDirectory(dirname(path));
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** Reads a file, answering undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

export function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/** Temporary names start with a dot so directory listings that look for key files skip them. */
function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** A key that vanished in a crash would leave signed evidence unverifiable: flush it before it becomes visible. */
async function writeDurably(path: string, content: string): Promise<void> {
  const handle = await fs.open(path, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a new directory entry durable. Some platforms cannot fsync a directory; the entry is then as durable as the OS makes it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort, see above
  } finally {
    await handle?.close();
  }
}
