import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasterKeyConfigurationError, MasterKeyMismatchError, PersonKeyIntegrityError } from './errors';
import { loadMasterKey, MASTER_KEY_FILE, MasterKey, PERSONAL_DATA_MASTER_KEY_VARIABLE, provisionMasterKey } from './master-key';

describe('personal-data master key', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'master-key-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  const env = (value: string) => ({ [PERSONAL_DATA_MASTER_KEY_VARIABLE]: value });

  it('creates a 32-byte key file, owner-only in the owner-only keys directory, on first start without the variable', async () => {
    const key = await loadMasterKey({ dataDir, env: {} });
    expect(key.source).toBe('file');
    const path = join(dataDir, 'keys', MASTER_KEY_FILE);
    expect(Buffer.from((await readFile(path, 'utf8')).trim(), 'base64')).toHaveLength(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'keys'))).mode & 0o777).toBe(0o700);
  });

  it('reads the same key file at the next start (same id)', async () => {
    const first = await loadMasterKey({ dataDir });
    const second = await loadMasterKey({ dataDir });
    expect(second.id).toBe(first.id);
  });

  it('takes PERSONAL_DATA_MASTER_KEY over the file, in base64 or base64url, and writes no file then', async () => {
    const bytes = randomBytes(32);
    const fromBase64 = await loadMasterKey({ dataDir, env: env(bytes.toString('base64')) });
    const fromBase64Url = await loadMasterKey({ dataDir, env: env(bytes.toString('base64url')) });
    expect(fromBase64.source).toBe('environment');
    expect(fromBase64Url.id).toBe(fromBase64.id);
    await expect(stat(join(dataDir, 'keys', MASTER_KEY_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('treats a blank variable as unset (falls back to the file)', async () => {
    expect((await loadMasterKey({ dataDir, env: env('  ') })).source).toBe('file');
  });

  it.each([
    ['not base64', 'not base64!'],
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
  ])('refuses to start with a variable that is %s, naming the variable and not echoing its value', async (_what, value) => {
    const attempt = loadMasterKey({ dataDir, env: env(value) });
    await expect(attempt).rejects.toBeInstanceOf(MasterKeyConfigurationError);
    await expect(attempt).rejects.toThrow(PERSONAL_DATA_MASTER_KEY_VARIABLE);
    await expect(attempt).rejects.not.toThrow(value);
  });

  it('reads a provisioned KEYS_DIR: processes with different DATA_DIRs share one key (same id)', async () => {
    const keysDir = join(dataDir, 'secret');
    await provisionMasterKey(keysDir);
    const a = await loadMasterKey({ dataDir: join(dataDir, 'a'), keysDir });
    const b = await loadMasterKey({ dataDir: join(dataDir, 'b'), keysDir });
    expect(a.id).toBe(b.id);
    await expect(stat(join(dataDir, 'a'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops the start naming KEYS_DIR when its master key is missing or damaged, and creates none', async () => {
    const keysDir = join(dataDir, 'secret');
    await mkdir(keysDir);
    await expect(loadMasterKey({ dataDir, keysDir })).rejects.toThrow(/^KEYS_DIR: .*personal-data-master\.key is missing/);
    await expect(stat(join(keysDir, MASTER_KEY_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    await writeFile(join(keysDir, MASTER_KEY_FILE), 'c2hvcnQ=\n');
    await expect(loadMasterKey({ dataDir, keysDir })).rejects.toThrow(/^KEYS_DIR: .*exactly 32/);
  });

  it('refuses to start on a damaged key file rather than making a new key (that would orphan every person key)', async () => {
    await mkdir(join(dataDir, 'keys'), { recursive: true });
    await writeFile(join(dataDir, 'keys', MASTER_KEY_FILE), 'c2hvcnQ=\n');
    await expect(loadMasterKey({ dataDir })).rejects.toThrow(/must hold exactly 32/);
  });

  it('has an id that tells keys apart without revealing them', () => {
    const bytes = randomBytes(32);
    const key = MasterKey.fromBytes(bytes);
    expect(key.id).toBe(MasterKey.fromBytes(bytes).id);
    expect(key.id).not.toBe(MasterKey.fromBytes(randomBytes(32)).id);
    expect(bytes.toString('base64url')).not.toContain(key.id);
  });

  it('unwraps what it wrapped, for that person and kid only', () => {
    const key = MasterKey.fromBytes(randomBytes(32));
    const dataKey = randomBytes(32);
    const wrapped = key.wrap(dataKey, 'c_maija', 'kid-1');
    expect(key.unwrap(wrapped, 'c_maija', 'kid-1').equals(dataKey)).toBe(true);
    expect(JSON.stringify(wrapped)).not.toContain(dataKey.toString('base64url'));
    // A wrapped key moved to another person's entry, or renamed, does not unwrap.
    expect(() => key.unwrap(wrapped, 'c_matti', 'kid-1')).toThrow(PersonKeyIntegrityError);
    expect(() => key.unwrap(wrapped, 'c_maija', 'kid-2')).toThrow(PersonKeyIntegrityError);
  });

  it('names a master-key mismatch as such (another PERSONAL_DATA_MASTER_KEY), not as tampering', () => {
    const wrapped = MasterKey.fromBytes(randomBytes(32)).wrap(randomBytes(32), 'c_maija', 'kid-1');
    const other = MasterKey.fromBytes(randomBytes(32));
    expect(() => other.unwrap(wrapped, 'c_maija', 'kid-1')).toThrow(MasterKeyMismatchError);
  });

  it('refuses a master key of the wrong length', () => {
    expect(() => MasterKey.fromBytes(randomBytes(31))).toThrow(MasterKeyConfigurationError);
  });
});
