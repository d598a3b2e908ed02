import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openContact, sealContact } from './contact-details';
import { MalformedEnvelopeError } from './errors';
import { MasterKey } from './master-key';
import { PersonalDataVault } from './personal-data-vault';
import { SqlitePersonKeyStore } from './sqlite-person-key-store';

describe('contact details in a sealed envelope', () => {
  let dataDir: string;
  let vault: PersonalDataVault;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'contact-'));
    vault = new PersonalDataVault(await SqlitePersonKeyStore.open(dataDir), MasterKey.fromBytes(randomBytes(32)));
  });
  afterEach(async () => {
    await vault.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('seals email and phone into one envelope and opens them for the same person', async () => {
    const sealed = await sealContact(vault, 'c_maija', { email: 'maija@example.fi', phone: '+358401234567' });
    expect(JSON.stringify(sealed)).not.toMatch(/maija@|358401234567/);
    expect(await openContact(vault, 'c_maija', sealed)).toEqual({ email: 'maija@example.fi', phone: '+358401234567' });
  });

  it('keeps only what was given (an email alone has no phone member)', async () => {
    const sealed = await sealContact(vault, 'c_maija', { email: 'maija@example.fi', phone: undefined });
    expect(await openContact(vault, 'c_maija', sealed)).toEqual({ email: 'maija@example.fi' });
  });

  it('seals nothing (and creates no key) when neither was given', async () => {
    expect(await sealContact(vault, 'c_maija', {})).toBeUndefined();
    expect(await vault.erase('c_maija')).toMatchObject({ destroyedKeys: 0 });
  });

  it('opens an account without an envelope as no contact details', async () => {
    expect(await openContact(vault, 'c_maija', undefined)).toEqual({});
  });

  it('answers null for details that were erased', async () => {
    const sealed = await sealContact(vault, 'c_maija', { phone: '+358401234567' });
    await vault.erase('c_maija');
    expect(await openContact(vault, 'c_maija', sealed)).toBeNull();
  });

  it('refuses an envelope that holds something other than contact details, without quoting it', async () => {
    const notJson = await vault.seal('c_maija', 'maija@example.fi');
    await expect(openContact(vault, 'c_maija', notJson)).rejects.toThrow(MalformedEnvelopeError);
    await expect(openContact(vault, 'c_maija', notJson)).rejects.not.toThrow('maija');
    const wrongType = await vault.seal('c_maija', JSON.stringify({ email: 42 }));
    await expect(openContact(vault, 'c_maija', wrongType)).rejects.toThrow(MalformedEnvelopeError);
  });
});
