import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under DATA_DIR/blobs (the embedded blob store): to see that a refused upload kept nothing. */
export function blobFiles(dataDir: string): string[] {
  const root = join(dataDir, 'blobs');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name);
}
