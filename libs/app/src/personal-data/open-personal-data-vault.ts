import type { Clock } from '@asiointitili/core';
import { loadMasterKey } from './master-key';
import { MongoPersonKeyStore } from './mongo-person-key-store';
import type { PersonKeyStore } from './person-key-store';
import { PersonalDataVault } from './personal-data-vault';
import { SqlitePersonKeyStore } from './sqlite-person-key-store';

export interface PersonalDataVaultConfig {
  readonly dataDir: string;
  /** KEYS_DIR: where the master key is provisioned (see keys/key-location.ts). */
  readonly keysDir?: string;
  /** MONGODB_URL; when set (non-blank) the keys go to its `person_keys` collection, like the other stores. */
  readonly mongodbUrl?: string;
  /** Read for PERSONAL_DATA_MASTER_KEY. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
}

/** The vault the configuration asks for. A bad master key stops the start with an error naming the variable or file. */
export async function openPersonalDataVault(config: PersonalDataVaultConfig): Promise<PersonalDataVault> {
  const master = await loadMasterKey({ dataDir: config.dataDir, keysDir: config.keysDir, env: config.env });
  const mongodbUrl = config.mongodbUrl?.trim();
  const store: PersonKeyStore = mongodbUrl ? MongoPersonKeyStore.forUrl(mongodbUrl) : await SqlitePersonKeyStore.open(config.dataDir);
  return new PersonalDataVault(store, master, config.clock);
}
