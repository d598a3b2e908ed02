import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore, ReadStore } from '@asiointitili/core';
import { createEventStore, EVENTS_FILE_NAME } from '@asiointitili/event-store';
import { createReadStore } from '@asiointitili/read-store';
import { loadConfig, type AppConfig } from '@asiointitili/app/config/app-config';
import { KEYS_DIRECTORY, KeyRing } from '@asiointitili/app/keys/key-ring';
import type { CliEnv } from '../../command';

/**
 * The ports an operator's command needs, opened from the same configuration as the server
 * (DATA_DIR, EVENTSTORE_URL, MONGODB_URL; loadConfig stops on anything invalid). Only what the
 * command uses is opened: the full runtime would also start a projection runner and log to stdout,
 * where a command's results go.
 */
export function configOf(env: CliEnv): AppConfig {
  return loadConfig(env.vars);
}

/**
 * The event log. On the embedded default the log must already exist: a mistyped DATA_DIR must
 * fail rather than quietly create an empty log and report that a stream does not exist.
 */
export function openEventLog(config: AppConfig): EventStore {
  if (!config.eventStoreUrl && !existsSync(join(config.dataDir, EVENTS_FILE_NAME))) {
    throw new Error(`no event log in ${config.dataDir}: set DATA_DIR to the server's data directory (or EVENTSTORE_URL)`);
  }
  return createEventStore({ dataDir: config.dataDir, eventStoreUrl: config.eventStoreUrl, streamNamespace: config.eventStoreNamespace });
}

export function openReadStore(config: AppConfig): ReadStore {
  return createReadStore({ dataDir: config.dataDir, mongodbUrl: config.mongodbUrl });
}

/**
 * The server's key ring. A seal must be signed with a key the server publishes, so a data
 * directory without an evidence key is refused rather than given a fresh, unknown one.
 */
export async function openEvidenceKeys(config: Pick<AppConfig, 'dataDir' | 'keysDir'>): Promise<KeyRing> {
  if (config.keysDir !== undefined) return KeyRing.open({ dataDir: config.dataDir, keysDir: config.keysDir });
  const directory = join(config.dataDir, KEYS_DIRECTORY);
  const hasEvidenceKey = existsSync(directory) && readdirSync(directory).some((name) => /^evidence-\d{6,}\.jwk\.json$/.test(name));
  if (!hasEvidenceKey) throw new Error(`no evidence key in ${directory}: run the command with the server's DATA_DIR (or KEYS_DIR)`);
  return KeyRing.open(config.dataDir);
}

/** Writes one line and waits when the consumer (a pipe) is slower than the export. */
export async function writeLine(out: NodeJS.WritableStream, line: string): Promise<void> {
  if (out.write(`${line}\n`)) return;
  await new Promise<void>((resolve) => out.once('drain', resolve));
}
