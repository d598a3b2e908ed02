import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, compactVerify, CompactSign, createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { ManualClock } from '@asiointitili/core';
import { ConfigError } from '../config/app-config';
import { KEY_PURPOSES, KeyRing, KeyRingError } from './key-ring';

const encoder = new TextEncoder();

describe('KeyRing', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await fs.mkdtemp(join(tmpdir(), 'asiointitili-keys-'));
  });
  afterEach(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const keysDir = (): string => join(dataDir, 'keys');
  const keyFiles = async (): Promise<string[]> => (await fs.readdir(keysDir())).filter((name) => name.endsWith('.jwk.json')).sort();
  const modeOf = async (path: string): Promise<number> => (await fs.stat(path)).mode & 0o777;

  it('creates the key directory owner-only (0700) and every key file owner-only (0600) on first use', async () => {
    await KeyRing.open(dataDir);
    expect(await modeOf(keysDir())).toBe(0o700);
    const files = await keyFiles();
    expect(files).toEqual(['evidence-000001.jwk.json', 'token-000001.jwk.json']);
    for (const file of files) expect(await modeOf(join(keysDir(), file))).toBe(0o600);
  });

  it('tightens a key directory that already exists with a looser mode', async () => {
    await fs.mkdir(keysDir(), { recursive: true, mode: 0o755 });
    await fs.chmod(keysDir(), 0o755);
    await KeyRing.open(dataDir);
    expect(await modeOf(keysDir())).toBe(0o700);
  });

  it('keeps the same keys when the directory is opened again', async () => {
    const first = await KeyRing.open(dataDir);
    const again = await KeyRing.open(dataDir);
    expect((await again.signingKey('token')).kid).toBe((await first.signingKey('token')).kid);
    expect(await keyFiles()).toHaveLength(KEY_PURPOSES.length);
  });

  it('names each key by its RFC 7638 JWK thumbprint', async () => {
    const ring = await KeyRing.open(dataDir);
    const { keys } = await ring.publicJwks();
    for (const jwk of keys) {
      expect(jwk.kid).toBe(await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }));
    }
  });

  it('uses a different key for each purpose', async () => {
    const ring = await KeyRing.open(dataDir);
    expect((await ring.signingKey('token')).kid).not.toBe((await ring.signingKey('evidence')).kid);
  });

  it('publishes only the public members kty, crv, x, kid, alg and use — never d', async () => {
    const ring = await KeyRing.open(dataDir);
    await ring.rotate('token');
    const jwks = await ring.publicJwks();
    expect(jwks.keys).toHaveLength(3);
    for (const jwk of jwks.keys) {
      expect(Object.keys(jwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    }
    expect(JSON.stringify(jwks)).not.toMatch(/"d"/);
  });

  it('publishes only the purposes asked for, the active key first', async () => {
    const ring = await KeyRing.open(dataDir);
    const retired = await ring.signingKey('evidence');
    const active = await ring.rotate('evidence');
    const { keys } = await ring.publicJwks(['evidence']);
    expect(keys.map((key) => key.kid)).toEqual([active.kid, retired.kid]);
  });

  it('signs with the active key so that the published JWKS verifies the signature', async () => {
    const ring = await KeyRing.open(dataDir);
    const signing = await ring.signingKey('evidence');
    const jws = await new CompactSign(encoder.encode('proof of service')).setProtectedHeader({ alg: signing.alg, kid: signing.kid }).sign(signing.key);
    const { payload } = await compactVerify(jws, createLocalJWKSet(await ring.publicJwks(['evidence'])));
    expect(new TextDecoder().decode(payload)).toBe('proof of service');
  });

  it('after rotation signs with the new key and still verifies what the retired key signed', async () => {
    const ring = await KeyRing.open(dataDir);
    const old = await ring.signingKey('token');
    const oldToken = await new SignJWT({ n: 1 }).setProtectedHeader({ alg: 'EdDSA', kid: old.kid }).sign(old.key);

    const rotated = await ring.rotate('token');
    const current = await ring.signingKey('token');

    expect(current.kid).toBe(rotated.kid);
    expect(current.kid).not.toBe(old.kid);
    const jwks = createLocalJWKSet(await ring.publicJwks(['token']));
    await expect(jwtVerify(oldToken, jwks)).resolves.toMatchObject({ payload: { n: 1 } });
    await expect(ring.verificationKey(old.kid, 'token')).resolves.toBeDefined();
  });

  it('drops the private half of a retired key from disk and keeps its public half', async () => {
    const ring = await KeyRing.open(dataDir);
    const old = await ring.signingKey('token');
    await ring.rotate('token');
    const retiredFile = JSON.parse(await fs.readFile(join(keysDir(), 'token-000001.jwk.json'), 'utf8'));
    const activeFile = JSON.parse(await fs.readFile(join(keysDir(), 'token-000002.jwk.json'), 'utf8'));
    expect(retiredFile.kid).toBe(old.kid);
    expect(retiredFile.jwk.d).toBeUndefined();
    expect(typeof retiredFile.jwk.x).toBe('string');
    expect(typeof activeFile.jwk.d).toBe('string');
    expect(await modeOf(join(keysDir(), 'token-000001.jwk.json'))).toBe(0o600);
  });

  it('lists keys with their creation time and status; a retired key is retired when its successor was created', async () => {
    const clock = new ManualClock('2025-01-01T00:00:00.000Z');
    const ring = await KeyRing.open(dataDir, { clock });
    clock.set('2025-02-01T00:00:00.000Z');
    await ring.rotate('token');
    expect(await ring.list(['token'])).toEqual([
      { kid: expect.any(String), purpose: 'token', createdAt: '2025-02-01T00:00:00.000Z', status: 'active' },
      { kid: expect.any(String), purpose: 'token', createdAt: '2025-01-01T00:00:00.000Z', status: 'retired', retiredAt: '2025-02-01T00:00:00.000Z' },
    ]);
  });

  it('ends up with one shared key when several processes open an empty directory at once', async () => {
    const link = fs.link.bind(fs);
    let lostRaces = 0;
    const spy = jest.spyOn(fs, 'link').mockImplementation(async (from, to) => {
      try {
        return await link(from, to);
      } catch (error) {
        if ((error as { code?: string }).code === 'EEXIST') lostRaces++;
        throw error;
      }
    });
    const rings = await Promise.all(Array.from({ length: 8 }, () => KeyRing.open(dataDir))).finally(() => spy.mockRestore());
    // The race really happened: some openers found the name taken by another.
    expect(lostRaces).toBeGreaterThan(0);
    const kids = await Promise.all(rings.map(async (ring) => (await ring.signingKey('token')).kid));
    expect(new Set(kids).size).toBe(1);
    expect(await keyFiles()).toEqual(['evidence-000001.jwk.json', 'token-000001.jwk.json']);
    expect((await fs.readdir(keysDir())).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('gives each of several concurrent rotations a generation of its own', async () => {
    const rings = await Promise.all(Array.from({ length: 4 }, () => KeyRing.open(dataDir)));
    const rotated = await Promise.all(rings.map((ring) => ring.rotate('token')));
    expect(new Set(rotated.map((key) => key.kid)).size).toBe(4);
    const listed = await rings[0].list(['token']);
    expect(listed).toHaveLength(5);
    expect(listed.filter((key) => key.status === 'active')).toHaveLength(1);
  });

  it('verifies at once a key that another process has just created', async () => {
    const server = await KeyRing.open(dataDir);
    const cli = await KeyRing.open(dataDir);
    const rotated = await cli.rotate('token');
    await expect(server.verificationKey(rotated.kid, 'token')).resolves.toBeDefined();
  });

  it('signs with a key rotated by another process once the refresh interval has passed', async () => {
    const clock = new ManualClock('2025-01-01T00:00:00.000Z');
    const server = await KeyRing.open(dataDir, { clock, refreshIntervalMs: 1000 });
    const before = await server.signingKey('evidence');
    const rotated = await (await KeyRing.open(dataDir)).rotate('evidence');

    clock.advance(999);
    expect((await server.signingKey('evidence')).kid).toBe(before.kid);
    clock.advance(1);
    expect((await server.signingKey('evidence')).kid).toBe(rotated.kid);
  });

  it('refuses to verify with a key of another purpose', async () => {
    const ring = await KeyRing.open(dataDir);
    const evidence = await ring.signingKey('evidence');
    await expect(ring.verificationKey(evidence.kid, 'token')).resolves.toBeUndefined();
    await expect(ring.verificationKey(evidence.kid, 'evidence')).resolves.toBeDefined();
  });

  it('answers undefined for a kid it does not know', async () => {
    const ring = await KeyRing.open(dataDir);
    await expect(ring.verificationKey('no-such-kid', 'token')).resolves.toBeUndefined();
  });

  it('refuses to start on a key file that is not JSON, naming the file', async () => {
    await KeyRing.open(dataDir);
    await fs.writeFile(join(keysDir(), 'token-000002.jwk.json'), '{ not json');
    await expect(KeyRing.open(dataDir)).rejects.toThrow(/token-000002\.jwk\.json.*not readable JSON/);
  });

  it('refuses to start on a key file whose kid does not match its key', async () => {
    await KeyRing.open(dataDir);
    const path = join(keysDir(), 'token-000001.jwk.json');
    const stored = JSON.parse(await fs.readFile(path, 'utf8'));
    await fs.writeFile(path, JSON.stringify({ ...stored, kid: 'forged' }));
    await expect(KeyRing.open(dataDir)).rejects.toThrow(KeyRingError);
    await expect(KeyRing.open(dataDir)).rejects.toThrow(/kid does not match/);
  });

  it('refuses to start on a key file whose name and content disagree about the purpose', async () => {
    await KeyRing.open(dataDir);
    await fs.copyFile(join(keysDir(), 'evidence-000001.jwk.json'), join(keysDir(), 'token-000002.jwk.json'));
    await expect(KeyRing.open(dataDir)).rejects.toThrow(/expected shape/);
  });

  it('ignores files in the key directory that are not key files', async () => {
    await KeyRing.open(dataDir);
    await fs.writeFile(join(keysDir(), 'README'), 'hello');
    await fs.writeFile(join(keysDir(), '.token-000009.jwk.json.123.abc.tmp'), 'half written');
    const ring = await KeyRing.open(dataDir);
    expect(await ring.list()).toHaveLength(2);
  });

  describe('delayed rotation (a shared KEYS_DIR)', () => {
    it('publishes and verifies a pending key at once but signs with it only from its activeFrom', async () => {
      const clock = new ManualClock('2025-01-01T00:00:00.000Z');
      const ring = await KeyRing.open(dataDir, { clock, refreshIntervalMs: 0 });
      const before = await ring.signingKey('evidence');
      const pending = await ring.rotate('evidence', { activateAfterMs: 60_000 });
      expect(pending).toMatchObject({ status: 'pending', activeFrom: '2025-01-01T00:01:00.000Z' });
      expect((await ring.publicJwks(['evidence'])).keys.map((key) => key.kid)).toEqual([pending.kid, before.kid]);
      await expect(ring.verificationKey(pending.kid, 'evidence')).resolves.toBeDefined();
      expect((await ring.signingKey('evidence')).kid).toBe(before.kid);
      clock.advance(59_999);
      expect((await ring.signingKey('evidence')).kid).toBe(before.kid);
      clock.advance(1);
      expect((await ring.signingKey('evidence')).kid).toBe(pending.kid);
    });

    it('keeps the signing key\'s private half until prune runs after the hand-over', async () => {
      const clock = new ManualClock('2025-01-01T00:00:00.000Z');
      const ring = await KeyRing.open(dataDir, { clock });
      await ring.rotate('token', { activateAfterMs: 1000 });
      const first = (): Promise<{ jwk: { d?: string } }> => fs.readFile(join(keysDir(), 'token-000001.jwk.json'), 'utf8').then(JSON.parse);
      expect(typeof (await first()).jwk.d).toBe('string');
      await ring.prune('token');
      expect(typeof (await first()).jwk.d).toBe('string');
      clock.advance(1000);
      await ring.prune('token');
      expect((await first()).jwk.d).toBeUndefined();
      expect((await ring.list(['token'])).map((key) => key.status)).toEqual(['active', 'retired']);
    });

    it('refuses a negative delay', async () => {
      const ring = await KeyRing.open(dataDir);
      await expect(ring.rotate('token', { activateAfterMs: -1 })).rejects.toThrow(KeyRingError);
    });
  });

  describe('a provisioned KEYS_DIR', () => {
    const provision = async (): Promise<string> => {
      const directory = join(dataDir, 'secret');
      await KeyRing.openWritable(directory);
      return directory;
    };

    it('is read without being written: a read-only directory opens and signs, and nothing is added', async () => {
      const directory = await provision();
      const files = (await fs.readdir(directory)).sort();
      await fs.chmod(directory, 0o500);
      try {
        const ring = await KeyRing.open({ dataDir: join(dataDir, 'elsewhere'), keysDir: directory });
        const signing = await ring.signingKey('token');
        expect((await ring.publicJwks(['token'])).keys.map((key) => key.kid)).toEqual([signing.kid]);
        expect((await fs.readdir(directory)).sort()).toEqual(files);
      } finally {
        await fs.chmod(directory, 0o700);
      }
      await expect(fs.stat(join(dataDir, 'elsewhere', 'keys'))).rejects.toThrow(/ENOENT/);
    });

    it('gives two processes opening the same KEYS_DIR the same JWKS and the same signing keys', async () => {
      const directory = await provision();
      const [a, b] = await Promise.all([KeyRing.open({ dataDir: join(dataDir, 'a'), keysDir: directory }), KeyRing.open({ dataDir: join(dataDir, 'b'), keysDir: directory })]);
      expect(await a.publicJwks()).toEqual(await b.publicJwks());
      for (const purpose of KEY_PURPOSES) expect((await a.signingKey(purpose)).kid).toBe((await b.signingKey(purpose)).kid);
    });

    it('stops the start naming KEYS_DIR when the directory does not exist', async () => {
      const attempt = KeyRing.open({ dataDir, keysDir: join(dataDir, 'missing') });
      await expect(attempt).rejects.toBeInstanceOf(ConfigError);
      await expect(KeyRing.open({ dataDir, keysDir: join(dataDir, 'missing') })).rejects.toThrow(/^KEYS_DIR: .*missing does not exist/);
    });

    it('stops the start naming KEYS_DIR and the purpose when a key is missing, instead of making one up', async () => {
      const directory = await provision();
      await fs.rm(join(directory, 'evidence-000001.jwk.json'));
      await expect(KeyRing.open({ dataDir, keysDir: directory })).rejects.toThrow(/^KEYS_DIR: .* has no evidence key/);
      expect((await fs.readdir(directory)).filter((name) => name.startsWith('evidence'))).toEqual([]);
    });

    it('stops the start naming KEYS_DIR and the file when a key file is invalid', async () => {
      const directory = await provision();
      await fs.writeFile(join(directory, 'token-000001.jwk.json'), '{ not json');
      await expect(KeyRing.open({ dataDir, keysDir: directory })).rejects.toThrow(/^KEYS_DIR: key file .*token-000001\.jwk\.json is not readable JSON/);
    });

    it('stops the start when the active key has only its public half', async () => {
      const directory = await provision();
      const path = join(directory, 'token-000001.jwk.json');
      const stored = JSON.parse(await fs.readFile(path, 'utf8'));
      delete stored.jwk.d;
      await fs.writeFile(path, JSON.stringify(stored));
      await expect(KeyRing.open({ dataDir, keysDir: directory })).rejects.toThrow(/^KEYS_DIR: the active token key .* has no private half/);
    });

    it('refuses to rotate from a process that reads KEYS_DIR', async () => {
      const ring = await KeyRing.open({ dataDir, keysDir: await provision() });
      await expect(ring.rotate('token')).rejects.toThrow(/KEYS_DIR .* read-only/);
    });
  });
});
