import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PERSONAL_DATA_MASTER_KEY_VARIABLE } from './master-key';
import { openPersonalDataVault } from './open-personal-data-vault';
import { PERSON_KEYS_FILE } from './sqlite-person-key-store';

describe('opening the personal-data vault from configuration', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vault-config-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('uses the embedded store in DATA_DIR/keys when no MONGODB_URL is set', async () => {
    const vault = await openPersonalDataVault({ dataDir, env: {} });
    try {
      expect(vault.description).toMatch(/^embedded \(keys\/person-keys\.sqlite\), master key [A-Za-z0-9_-]{16} from DATA_DIR\/keys$/);
      await stat(join(dataDir, 'keys', PERSON_KEYS_FILE));
    } finally {
      await vault.close();
    }
  });

  it('says the master key came from PERSONAL_DATA_MASTER_KEY, and never prints the key', async () => {
    const key = randomBytes(32).toString('base64');
    const vault = await openPersonalDataVault({ dataDir, env: { [PERSONAL_DATA_MASTER_KEY_VARIABLE]: key } });
    try {
      expect(vault.description).toContain('from PERSONAL_DATA_MASTER_KEY');
      expect(vault.description).not.toContain(key);
    } finally {
      await vault.close();
    }
  });

  it('selects the MongoDB store when MONGODB_URL is set (connects on first use), and refuses a malformed URL at start', async () => {
    const vault = await openPersonalDataVault({ dataDir, mongodbUrl: 'mongodb://127.0.0.1:1/asiointitili', env: {} });
    try {
      expect(vault.description).toMatch(/^MongoDB \(person_keys\)/);
    } finally {
      await vault.close();
    }
    await expect(openPersonalDataVault({ dataDir, mongodbUrl: 'http://example.fi', env: {} })).rejects.toThrow(/MONGODB_URL/);
  });
});
