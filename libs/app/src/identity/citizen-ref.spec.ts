import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { hetuCheckCharacter } from '@asiointitili/domain/identity/hetu';
import { CITIZEN_REF_SECRET_VARIABLE, CitizenRefs, CitizenRefSecretError, InvalidHetuError } from './citizen-ref';

/** Valid codes of people born 1900–2099 (day ≤ 28 keeps every month valid). */
const validHetu = fc
  .record({
    day: fc.integer({ min: 1, max: 28 }),
    month: fc.integer({ min: 1, max: 12 }),
    year: fc.integer({ min: 0, max: 99 }),
    sign: fc.constantFrom('-', 'A', 'Y', 'B'),
    individual: fc.integer({ min: 2, max: 899 }),
  })
  .map(({ day, month, year, sign, individual }) => {
    const digits = [day, month, year].map((n) => String(n).padStart(2, '0')).join('') + String(individual).padStart(3, '0');
    return `${digits.slice(0, 6)}${sign}${digits.slice(6)}${hetuCheckCharacter(digits)}`;
  });

const secret = (): Buffer => randomBytes(32);

describe('CitizenRefs', () => {
  const refs = CitizenRefs.fromSecret(secret());

  it('gives the same ref for the same hetu', () => {
    fc.assert(fc.property(validHetu, (hetu) => refs.refOf(hetu) === refs.refOf(hetu)));
  });

  it('gives different refs for different hetus', () => {
    fc.assert(fc.property(validHetu, validHetu, (a, b) => a === b || refs.refOf(a) !== refs.refOf(b)));
  });

  it('ignores letter case and surrounding white space', () => {
    expect(refs.refOf(' 131052-308t\n')).toBe(refs.refOf('131052-308T'));
    expect(refs.refOf('010101a123n')).toBe(refs.refOf('010101A123N'));
  });

  it('never contains the hetu nor its digits in a row', () => {
    fc.assert(
      fc.property(validHetu, (hetu) => {
        const ref = refs.refOf(hetu);
        return !ref.includes(hetu) && !ref.includes(hetu.slice(0, 6)) && !ref.toUpperCase().includes(hetu);
      }),
    );
  });

  it('has the shape c_ followed by 32 base64url characters', () => {
    expect(refs.refOf('131052-308T')).toMatch(/^c_[A-Za-z0-9_-]{32}$/);
  });

  it('depends on the secret, so refs cannot be recomputed without it', () => {
    expect(CitizenRefs.fromSecret(secret()).refOf('131052-308T')).not.toBe(refs.refOf('131052-308T'));
  });

  it('refuses an invalid hetu with the reason and without repeating the input', () => {
    const attempt = (): string => refs.refOf('131052-308A');
    expect(attempt).toThrow(InvalidHetuError);
    expect(attempt).toThrow(/bad-checksum/);
    expect(attempt).not.toThrow(/131052/);
  });

  it('refuses white space inside the code rather than guessing', () => {
    expect(() => refs.refOf('131052 -308T')).toThrow(InvalidHetuError);
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => CitizenRefs.fromSecret(randomBytes(31))).toThrow(CitizenRefSecretError);
  });

  describe('secret in DATA_DIR', () => {
    let dataDir: string;
    beforeEach(async () => {
      dataDir = await fs.mkdtemp(join(tmpdir(), 'asiointitili-refs-'));
    });
    afterEach(async () => {
      await fs.rm(dataDir, { recursive: true, force: true });
    });

    const secretPath = (): string => join(dataDir, 'keys', 'citizen-ref.secret');

    it('is created once, owner-only, and gives the same refs when opened again', async () => {
      const first = await CitizenRefs.open({ dataDir });
      const content = await fs.readFile(secretPath(), 'utf8');
      const again = await CitizenRefs.open({ dataDir });
      expect(again.refOf('131052-308T')).toBe(first.refOf('131052-308T'));
      expect(await fs.readFile(secretPath(), 'utf8')).toBe(content);
      expect(Buffer.from(content.trim(), 'base64')).toHaveLength(32);
      expect((await fs.stat(secretPath())).mode & 0o777).toBe(0o600);
      expect((await fs.stat(join(dataDir, 'keys'))).mode & 0o777).toBe(0o700);
    });

    it('is shared by processes that open an empty directory at once', async () => {
      const opened = await Promise.all(Array.from({ length: 8 }, () => CitizenRefs.open({ dataDir })));
      expect(new Set(opened.map((r) => r.refOf('131052-308T'))).size).toBe(1);
    });

    it('refuses a secret file holding fewer than 32 bytes, naming the file', async () => {
      await fs.mkdir(join(dataDir, 'keys'), { recursive: true });
      await fs.writeFile(secretPath(), Buffer.from('short').toString('base64'));
      await expect(CitizenRefs.open({ dataDir })).rejects.toThrow(/citizen-ref\.secret/);
    });
  });

  describe(`secret in ${CITIZEN_REF_SECRET_VARIABLE}`, () => {
    it('takes the environment over DATA_DIR and writes no file', async () => {
      const dataDir = join(tmpdir(), `asiointitili-never-created-${process.pid}-${Date.now()}`);
      const key = secret();
      const fromEnv = await CitizenRefs.open({ dataDir, env: { [CITIZEN_REF_SECRET_VARIABLE]: key.toString('base64') } });
      expect(fromEnv.refOf('131052-308T')).toBe(CitizenRefs.fromSecret(key).refOf('131052-308T'));
      await expect(fs.stat(dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('refuses a value shorter than 32 bytes, naming the variable', async () => {
      const env = { [CITIZEN_REF_SECRET_VARIABLE]: randomBytes(16).toString('base64') };
      await expect(CitizenRefs.open({ dataDir: tmpdir(), env })).rejects.toThrow(/CITIZEN_REF_SECRET.*at least 32 bytes/);
    });

    it('refuses a value that is not base64, naming the variable', async () => {
      const env = { [CITIZEN_REF_SECRET_VARIABLE]: 'not base64 at all!' };
      await expect(CitizenRefs.open({ dataDir: tmpdir(), env })).rejects.toThrow(/CITIZEN_REF_SECRET must be base64/);
    });
  });

  describe('secret in KEYS_DIR', () => {
    let root: string;
    beforeEach(async () => {
      root = await fs.mkdtemp(join(tmpdir(), 'asiointitili-keysdir-'));
    });
    afterEach(async () => {
      await fs.rm(root, { recursive: true, force: true });
    });

    it('gives processes with different DATA_DIRs and the same KEYS_DIR the same refs', async () => {
      const keysDir = join(root, 'secret');
      await CitizenRefs.provision(keysDir);
      const a = await CitizenRefs.open({ dataDir: join(root, 'a'), keysDir });
      const b = await CitizenRefs.open({ dataDir: join(root, 'b'), keysDir });
      expect(a.refOf('131052-308T')).toBe(b.refOf('131052-308T'));
      await expect(fs.stat(join(root, 'a'))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('stops the start naming KEYS_DIR when the secret is missing, and creates none', async () => {
      const keysDir = join(root, 'empty');
      await fs.mkdir(keysDir);
      await expect(CitizenRefs.open({ dataDir: root, keysDir })).rejects.toThrow(/^KEYS_DIR: .*citizen-ref\.secret is missing/);
      expect(await fs.readdir(keysDir)).toEqual([]);
    });

    it('stops the start naming KEYS_DIR when the secret is too short', async () => {
      await fs.writeFile(join(root, 'citizen-ref.secret'), Buffer.from('short').toString('base64'));
      await expect(CitizenRefs.open({ dataDir: root, keysDir: root })).rejects.toThrow(/^KEYS_DIR: .*at least 32/);
    });
  });
});
