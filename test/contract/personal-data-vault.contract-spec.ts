import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@asiointitili/core';
import {
  EnvelopeAuthenticationError,
  MalformedEnvelopeError,
  MasterKey,
  MongoPersonKeyStore,
  PersonKeyNotFoundError,
  PersonalDataVault,
  SqlitePersonKeyStore,
  type PersonKeyStore,
  type SealedEnvelope,
} from '../../libs/app/src/personal-data';
import { mongoClientForSuite, testDatabaseName } from '../support/ferretdb';
import { describeWithServer } from '../support/server-suites';

/**
 * One behaviour, both key stores: SQLite in DATA_DIR always, MongoDB when MONGODB_URL is set.
 * `reopen` gives a second store on the same data (another process, or a restart).
 */
export interface KeyStoreFixture {
  open(): Promise<PersonKeyStore>;
  dispose(): Promise<void>;
}

const MAIJA = 'c_maija';
const MATTI = 'c_matti';
const START = '2025-11-24T10:00:00.000Z';

/** Flips one bit of a base64url member, keeping it well-formed. */
function flipped(member: string): string {
  const bytes = Buffer.from(member, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  return bytes.toString('base64url');
}

export function personalDataVaultContract(adapterName: string, createFixture: () => Promise<KeyStoreFixture>): void {
  describe(`personal data vault contract [${adapterName}]`, () => {
    let fixture: KeyStoreFixture;
    let master: MasterKey;
    let clock: ManualClock;
    const opened: PersonalDataVault[] = [];
    const vault = async (key: MasterKey = master): Promise<PersonalDataVault> => {
      const created = new PersonalDataVault(await fixture.open(), key, clock);
      opened.push(created);
      return created;
    };

    beforeEach(async () => {
      fixture = await createFixture();
      master = MasterKey.fromBytes(randomBytes(32));
      clock = new ManualClock(START);
    });

    afterEach(async () => {
      for (const v of opened.splice(0)) await v.close();
      await fixture?.dispose();
    });

    it(`[${adapterName}] opens what it sealed, unicode included`, async () => {
      const v = await vault();
      const text = JSON.stringify({ email: 'äiti.öljynen@example.fi', phone: '+358401234567', note: '🙂 \u202e' });
      expect(await v.open(MAIJA, await v.seal(MAIJA, text))).toBe(text);
    });

    it(`[${adapterName}] seals into a JSON-safe envelope of base64url members with no plaintext and no $ keys`, async () => {
      const v = await vault();
      const envelope = await v.seal(MAIJA, 'maija@example.fi');
      expect(Object.keys(envelope).sort()).toEqual(['ct', 'iv', 'kid', 'tag', 'v']);
      expect(envelope.v).toBe(1);
      for (const member of [envelope.kid, envelope.iv, envelope.ct, envelope.tag]) expect(member).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(JSON.parse(JSON.stringify(envelope))).toEqual(envelope);
      expect(JSON.stringify(envelope)).not.toContain('maija');
      expect(Buffer.from(envelope.ct, 'base64url').toString('utf8')).not.toContain('maija');
    });

    it(`[${adapterName}] never seals the same text to the same envelope twice (a fresh iv each time), with one key per person`, async () => {
      const v = await vault();
      const first = await v.seal(MAIJA, 'maija@example.fi');
      const second = await v.seal(MAIJA, 'maija@example.fi');
      expect(second.kid).toBe(first.kid);
      expect(second.iv).not.toBe(first.iv);
      expect(second.ct).not.toBe(first.ct);
    });

    it(`[${adapterName}] gives each person a key of their own`, async () => {
      const v = await vault();
      expect((await v.seal(MAIJA, 'a')).kid).not.toBe((await v.seal(MATTI, 'b')).kid);
    });

    it(`[${adapterName}] refuses to open one person's envelope as another's: that person has no such key`, async () => {
      const v = await vault();
      await v.seal(MATTI, 'matti@example.fi');
      const maijas = await v.seal(MAIJA, 'maija@example.fi');
      await expect(v.open(MATTI, maijas)).rejects.toBeInstanceOf(PersonKeyNotFoundError);
    });

    it(`[${adapterName}] refuses an envelope sealed with another key than its kid names (wrong key)`, async () => {
      const v = await vault();
      const mattis = await v.seal(MATTI, 'matti@example.fi');
      const maijas = await v.seal(MAIJA, 'maija@example.fi');
      await expect(v.open(MAIJA, { ...mattis, kid: maijas.kid })).rejects.toBeInstanceOf(EnvelopeAuthenticationError);
    });

    it.each(['ct', 'iv', 'tag'] as const)(`[${adapterName}] refuses an envelope whose %s was altered (tampering), never answering it as erased`, async (member) => {
      const v = await vault();
      const envelope = await v.seal(MAIJA, 'maija@example.fi');
      await expect(v.open(MAIJA, { ...envelope, [member]: flipped(envelope[member]) })).rejects.toBeInstanceOf(EnvelopeAuthenticationError);
    });

    it(`[${adapterName}] refuses a malformed envelope: unknown version, short tag, non-base64url member`, async () => {
      const v = await vault();
      const envelope = await v.seal(MAIJA, 'x');
      await expect(v.open(MAIJA, { ...envelope, v: 2 } as unknown as SealedEnvelope)).rejects.toBeInstanceOf(MalformedEnvelopeError);
      await expect(v.open(MAIJA, { ...envelope, tag: envelope.tag.slice(0, 10) })).rejects.toBeInstanceOf(MalformedEnvelopeError);
      await expect(v.open(MAIJA, { ...envelope, ct: `${envelope.ct}+/` })).rejects.toBeInstanceOf(MalformedEnvelopeError);
      await expect(v.open(MAIJA, null as unknown as SealedEnvelope)).rejects.toBeInstanceOf(MalformedEnvelopeError);
    });

    it(`[${adapterName}] opens an erased person's envelopes as null, every one of them, and leaves others' alone`, async () => {
      const v = await vault();
      const first = await v.seal(MAIJA, 'maija@example.fi');
      const second = await v.seal(MAIJA, '+358401234567');
      const mattis = await v.seal(MATTI, 'matti@example.fi');
      clock.set('2025-11-25T08:00:00.000Z');
      expect(await v.erase(MAIJA)).toEqual({ erasedAt: '2025-11-25T08:00:00.000Z', destroyedKeys: 1 });
      expect(await v.open(MAIJA, first)).toBeNull();
      expect(await v.open(MAIJA, second)).toBeNull();
      expect(await v.open(MATTI, mattis)).toBe('matti@example.fi');
    });

    it(`[${adapterName}] records when the keys were erased, and a repeat destroys nothing and keeps that time`, async () => {
      const v = await vault();
      await v.seal(MAIJA, 'maija@example.fi');
      expect(await v.erasedAt(MAIJA)).toBeUndefined();
      await v.erase(MAIJA, '2025-11-25T08:00:00.000Z');
      expect(await v.erase(MAIJA, '2025-11-26T08:00:00.000Z')).toEqual({ erasedAt: '2025-11-26T08:00:00.000Z', destroyedKeys: 0 });
      expect(await v.erasedAt(MAIJA)).toBe('2025-11-25T08:00:00.000Z');
    });

    it(`[${adapterName}] erases a person who never sealed anything without error (nothing to destroy)`, async () => {
      const v = await vault();
      expect(await v.erase(MAIJA)).toEqual({ erasedAt: START, destroyedKeys: 0 });
    });

    it(`[${adapterName}] seals with a new key after an erasure; the old envelopes stay unreadable`, async () => {
      const v = await vault();
      const before = await v.seal(MAIJA, 'old@example.fi');
      await v.erase(MAIJA);
      const after = await v.seal(MAIJA, 'new@example.fi');
      expect(after.kid).not.toBe(before.kid);
      expect(await v.open(MAIJA, after)).toBe('new@example.fi');
      expect(await v.open(MAIJA, before)).toBeNull();
    });

    it(`[${adapterName}] keeps keys across a reopen of the store (a restart, or another process)`, async () => {
      const sealed = await (await vault()).seal(MAIJA, 'maija@example.fi');
      const other = await vault();
      expect(await other.open(MAIJA, sealed)).toBe('maija@example.fi');
      expect((await other.seal(MAIJA, 'again')).kid).toBe(sealed.kid);
    });

    it(`[${adapterName}] makes an erasure by one process final for every other at once (no cached keys)`, async () => {
      const api = await vault();
      const worker = await vault();
      const sealed = await api.seal(MAIJA, 'maija@example.fi');
      expect(await worker.open(MAIJA, sealed)).toBe('maija@example.fi');
      await api.erase(MAIJA);
      expect(await worker.open(MAIJA, sealed)).toBeNull();
    });

    it(`[${adapterName}] agrees on one key when processes seal for a new person at the same time`, async () => {
      const vaults = await Promise.all([vault(), vault(), vault()]);
      const envelopes = await Promise.all(vaults.flatMap((v, i) => [v.seal(MAIJA, `a${i}`), v.seal(MAIJA, `b${i}`)]));
      expect(new Set(envelopes.map((e) => e.kid)).size).toBe(1);
      expect(await Promise.all(envelopes.map((e) => vaults[0]!.open(MAIJA, e)))).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    });

    it(`[${adapterName}] lets only one creator win a person's generation (the store-level guard of the creation race)`, async () => {
      const store = await fixture.open();
      try {
        const key = { citizenRef: MAIJA, generation: 1, createdAt: START, wrapped: { mkid: 'm', iv: 'aQ', ct: 'Yw', tag: 'dA' } };
        expect(await store.insert({ ...key, kid: 'kid-first' })).toBe(true);
        expect(await store.insert({ ...key, kid: 'kid-second' })).toBe(false);
        expect((await store.keysOf(MAIJA)).map((k) => k.kid)).toEqual(['kid-first']);
      } finally {
        await store.close();
      }
    });

    it(`[${adapterName}] keeps a tombstone of an erased key (kid and times) with no key material left in it`, async () => {
      const v = await vault();
      const sealed = await v.seal(MAIJA, 'maija@example.fi');
      await v.erase(MAIJA, '2025-11-25T08:00:00.000Z');
      const store = await fixture.open();
      try {
        expect(await store.keysOf(MAIJA)).toEqual([{ citizenRef: MAIJA, generation: 1, kid: sealed.kid, createdAt: START, erasedAt: '2025-11-25T08:00:00.000Z' }]);
      } finally {
        await store.close();
      }
    });

    it(`[${adapterName}] cannot open the keys with another master key, and says so rather than pretending erasure`, async () => {
      const sealed = await (await vault()).seal(MAIJA, 'maija@example.fi');
      const wrongMaster = await vault(MasterKey.fromBytes(randomBytes(32)));
      await expect(wrongMaster.open(MAIJA, sealed)).rejects.toThrow(/master key/);
    });
  });
}

personalDataVaultContract('embedded SQLite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'person-keys-contract-'));
  return {
    open: () => SqlitePersonKeyStore.open(dataDir),
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describeWithServer('MONGODB_URL', 'personal data vault contract on MongoDB', (url) => {
  const client = mongoClientForSuite(url);

  personalDataVaultContract('mongodb', async () => {
    const db = client().db(testDatabaseName('pk'));
    return {
      // The stores share the suite's client: closing one must not close it for the others.
      open: async () => new MongoPersonKeyStore({ db }),
      async dispose() {
        await db.dropDatabase();
      },
    };
  });
});
