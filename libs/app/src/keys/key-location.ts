import { join } from 'node:path';

/** Names a directory of keys provisioned beforehand and shared by every process (a mounted secret). */
export const KEYS_DIR_VARIABLE = 'KEYS_DIR';
/** The embedded default: `<DATA_DIR>/keys`, created by the first process that needs a key. */
export const KEYS_DIRECTORY = 'keys';

/**
 * Where a process finds its keys (the token and evidence signing keys, the citizenRef secret and
 * the personal-data master key).
 *
 * - `KEYS_DIR` set: every process of a fleet reads the same keys from that directory, typically a
 *   secret mounted read-only into each container. The server never writes there and never makes
 *   a key up: a missing or invalid key stops the start with a message naming KEYS_DIR and the file.
 *   The keys are provisioned and rotated by the operator (`cli keys init|rotate`, docs/deployment.md).
 * - unset: `<DATA_DIR>/keys`, created on first use — the single-process embedded default.
 */
export interface KeyLocation {
  readonly dataDir: string;
  readonly keysDir?: string;
}

export interface KeyDirectory {
  readonly path: string;
  /** True for KEYS_DIR: nothing is created or changed there by a server. */
  readonly provisioned: boolean;
}

export function keyDirectoryOf(location: KeyLocation): KeyDirectory {
  return location.keysDir !== undefined
    ? { path: location.keysDir, provisioned: true }
    : { path: join(location.dataDir, KEYS_DIRECTORY), provisioned: false };
}

/** The place a configuration error points at: the variable for KEYS_DIR, the path otherwise. */
export function describeKeyDirectory(directory: KeyDirectory): string {
  return directory.provisioned ? `${KEYS_DIR_VARIABLE} (${directory.path})` : directory.path;
}
