import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@asiointitili/core';
import { MasterKey } from './master-key';
import { PersonalDataVault } from './personal-data-vault';
import { PERSON_KEYS_FILE, SqlitePersonKeyStore } from './sqlite-person-key-store';

describe('embedded person key store (SQLite in DATA_DIR/keys)', () => {
  let dataDir: string;
  let store: SqlitePersonKeyStore;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'person-keys-'));
    store = await SqlitePersonKeyStore.open(dataDir);
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const file = () => join(dataDir, 'keys', PERSON_KEYS_FILE);

  it('keeps the keys in an owner-only file (0600) in the owner-only keys directory (0700)', async () => {
    expect((await stat(file())).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'keys'))).mode & 0o777).toBe(0o700);
  });

  it('leaves no journal or WAL file beside it once a change is committed', async () => {
    const vault = new PersonalDataVault(store, MasterKey.fromBytes(randomBytes(32)));
    await vault.seal('c_maija', 'maija@example.fi');
    await vault.erase('c_maija');
    expect((await readdir(join(dataDir, 'keys'))).filter((name) => name.startsWith(PERSON_KEYS_FILE))).toEqual([PERSON_KEYS_FILE]);
  });

  it('overwrites erased key material in the file itself (secure_delete), so a copy of the file taken later cannot bring it back', async () => {
    const vault = new PersonalDataVault(store, MasterKey.fromBytes(randomBytes(32)), new ManualClock('2025-11-24T10:00:00.000Z'));
    await vault.seal('c_maija', 'maija@example.fi');
    const [stored] = await store.keysOf('c_maija');
    const material = stored!.wrapped!.ct;
    expect((await readFile(file())).includes(material)).toBe(true);
    await vault.erase('c_maija');
    expect((await readFile(file())).includes(material)).toBe(false);
  });

  it('reports its place for the start-up log, without any key', () => {
    expect(store.description).toBe('embedded (keys/person-keys.sqlite)');
  });
});
