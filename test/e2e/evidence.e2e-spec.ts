import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompactSign,
  calculateJwkThumbprint,
  compactVerify,
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
} from 'jose';
import { ManualClock, canonicalJson } from '@asiointitili/core';
import { messageDecider, messageStream } from '@asiointitili/domain';
import { command as auditExport } from '../../apps/cli/src/commands/audit-export';
import { command as auditReplay } from '../../apps/cli/src/commands/audit-replay';
import { EMBEDDED_KEY_NOTICE, command as auditVerify } from '../../apps/cli/src/commands/audit-verify';
import { command as projectionsRebuild } from '../../apps/cli/src/commands/projections-rebuild';
import { memoryEnv } from '../../apps/cli/src/testing/memory-env';
import { PROOF_TYPE, type ProofPayload } from '../../libs/app/src/evidence/proof-payload';
import { SEAL_TYPE } from '../../libs/app/src/evidence/export-format';
import { appTargets } from '../support/app-targets';
import { decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

const DAY_MS = 24 * 3_600_000;

/** The CLI as an operator runs it beside the server: same DATA_DIR, same server URLs. */
function cliEnv(t: TestApp) {
  return memoryEnv({ DATA_DIR: t.dataDir, EVENTSTORE_URL: t.runtime.config.eventStoreUrl, MONGODB_URL: t.runtime.config.mongodbUrl });
}

/** The same JWS with the first character of its signature changed. */
function flipSignature(jws: string): string {
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  return `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
}

async function verifyProof(proof: string, jwks: JSONWebKeySet): Promise<ProofPayload> {
  const { payload } = await compactVerify(proof, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });
  return JSON.parse(new TextDecoder().decode(payload)) as ProofPayload;
}

describe.each(appTargets('evidence'))('evidence: signed proofs of service, sealed exports, offline verification, replay ($name)', (target) => {
  let t: TestApp;
  let work: string;
  let agency: string;
  let citizen: string;
  const clock = new ManualClock('2026-03-02T08:00:00.000Z');

  beforeAll(async () => {
    t = await startTestApp({ clock, env: target.env() });
    work = await mkdtemp(join(tmpdir(), 'asiointitili-evidence-e2e-'));
    await registerAgency(t, 'kela');
    await registerAgency(t, 'vero');
    citizen = await openAccountWithConsent(t, HETU.maija, 'kela');
    agency = await t.token({ role: 'agency', agency: 'kela' });
  });
  afterAll(async () => {
    await t.destroy();
    await target.cleanup();
    await rm(work, { recursive: true, force: true });
  });

  const send = async (overrides: Record<string, unknown> = {}, hetu: string = HETU.maija): Promise<{ id: string; route: string }> => {
    const sent = await t.http.post('/v1/agency/messages').set('Authorization', `Bearer ${agency}`).send(decision(hetu, overrides));
    expect(sent.status).toBe(201);
    return sent.body as { id: string; route: string };
  };
  const open = async (id: string): Promise<void> => {
    const opened = await t.http.get(`/v1/citizen/messages/${id}`).set('Authorization', `Bearer ${citizen}`);
    expect(opened.status).toBe(200);
  };
  const acknowledge = async (id: string): Promise<string> => {
    const ack = await t.http.post(`/v1/citizen/messages/${id}/acknowledgement`).set('Authorization', `Bearer ${citizen}`);
    expect(ack.status).toBe(201);
    return ack.body.acknowledgedAt as string;
  };
  const proofOf = (id: string, token: string = agency) => t.http.get(`/v1/agency/messages/${id}/proof`).set('Authorization', `Bearer ${token}`);
  const publishedKeys = async (): Promise<JSONWebKeySet> => {
    const keys = await t.http.get('/v1/keys');
    expect(keys.status).toBe(200);
    return keys.body as JSONWebKeySet;
  };
  const proofPayloadOf = async (id: string): Promise<ProofPayload> => {
    const answer = await proofOf(id);
    expect(answer.status).toBe(200);
    return verifyProof(answer.body.proof, await publishedKeys());
  };

  describe('GET /v1/agency/messages/{id}/proof', () => {
    it('answers a compact JWS that verifies with GET /v1/keys and states how and when the message was served', async () => {
      const { id } = await send({ externalId: 'kela-proof-1' });
      await open(id);
      const acknowledgedAt = await acknowledge(id);

      const answer = await proofOf(id);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(answer.body).sort()).toEqual(['kid', 'proof']);
      expect(decodeProtectedHeader(answer.body.proof)).toEqual({ alg: 'EdDSA', kid: answer.body.kid, typ: PROOF_TYPE });

      const payload = await verifyProof(answer.body.proof, await publishedKeys());
      const auditor = await t.token({ role: 'auditor' });
      const stream = await t.http.get(`/v1/audit/streams/${messageStream(id)}`).set('Authorization', `Bearer ${auditor}`);
      const [sent, , acknowledged] = stream.body.items as { hash: string; id: string; data: Record<string, unknown> }[];
      expect(payload).toMatchObject({
        iss: 'asiointitili',
        iat: Math.floor(clock.now().getTime() / 1000),
        messageId: id,
        agencyId: 'kela',
        citizenRef: sent!.data.citizenRef,
        externalId: 'kela-proof-1',
        kind: 'decision',
        delivery: 'registered',
        route: 'electronic',
        sentAt: sent!.data.sentAt,
        availableAt: sent!.data.sentAt,
        servedAt: acknowledgedAt,
        service: { status: 'acknowledged', at: acknowledgedAt, method: 'bank', assurance: 'high' },
        contentSha256: sent!.data.contentSha256,
        restsOn: { stream: messageStream(id), revision: '2', eventId: acknowledged!.id, type: 'ReceiptAcknowledged', hash: acknowledged!.hash },
        evidence: ['ContentHandover'],
      });
      expect(payload.trail.map((step) => step.hash)).toEqual(stream.body.items.map((item: { hash: string }) => item.hash));
      expect(JSON.stringify(payload)).not.toContain(HETU.maija);
    });

    it('is described in the OpenAPI document as JSON { proof, kid }', async () => {
      const openapi = await t.http.get('/docs/openapi.json');
      const operation = openapi.body.paths['/v1/agency/messages/{id}/proof']?.get;
      expect(operation).toBeDefined();
      const schema = operation.responses['200'].content['application/json'].schema as { $ref: string };
      const name = schema.$ref.split('/').pop()!;
      expect(Object.keys(openapi.body.components.schemas[name].properties).sort()).toEqual(['kid', 'proof']);
    });

    it('issues a proof of submission with status pending before the message is served', async () => {
      const { id } = await send({ delivery: 'ordinary' });
      const payload = await proofPayloadOf(id);
      expect(payload).toMatchObject({ servedAt: null, service: { status: 'pending', deemedServedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }, restsOn: { revision: '0', type: 'MessageSent' } });
    });

    it('states deemed service once the third day is recorded', async () => {
      const { id } = await send({ delivery: 'ordinary' });
      clock.advance(3 * DAY_MS);
      // Tokens are minted and checked on the same clock: the ones from three days ago have expired.
      agency = await t.token({ role: 'agency', agency: 'kela' });
      citizen = await t.token({ role: 'citizen', hetu: HETU.maija });
      // The legal-time process manager records this by itself; recording it here too is a no-op if it already did.
      await t.runtime.executor.execute(messageStream(id), messageDecider, { type: 'MarkDeemedServed', messageId: id, at: clock.now().toISOString() }, {
        actor: { type: 'system', id: 'evidence-e2e' },
        commandId: `deemed-${id}`,
        correlationId: `deemed-${id}`,
        causationId: `deemed-${id}`,
      });
      const payload = await proofPayloadOf(id);
      expect(payload.service).toMatchObject({ status: 'deemed', on: expect.any(String), at: payload.servedAt });
      expect(payload.restsOn.type).toBe('MessageDeemedServed');
      expect(payload.evidence).toEqual(['NationalDeemedService']);
    });

    it('states paper service for a message routed to paper at sending', async () => {
      const { id, route } = await send({}, HETU.matti);
      expect(route).toBe('paper');
      const payload = await proofPayloadOf(id);
      expect(payload).toMatchObject({ route: 'paper', availableAt: null, servedAt: null, service: { status: 'paper', via: 'routed-at-sending', reason: 'no-account' } });
      expect(payload.evidence).toEqual(['RelayToNonERDS']);
    });

    it('answers 404 to another agency and for an unknown message, 403 to a citizen and 401 without a token', async () => {
      const { id } = await send();
      const otherAgency = await t.token({ role: 'agency', agency: 'vero' });
      const other = await proofOf(id, otherAgency);
      expect(other.status).toBe(404);
      expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await proofOf('no-such-message')).status).toBe(404);
      // A malformed id is refused by validation, as on every other route with an id.
      expect((await proofOf('not%20an%20id')).status).toBe((await t.http.get('/v1/agency/messages/not%20an%20id').set('Authorization', `Bearer ${agency}`)).status);
      expect((await proofOf(id, citizen)).status).toBe(403);
      expect((await t.http.get(`/v1/agency/messages/${id}/proof`)).status).toBe(401);
    });

    it('fails verification for a proof signed by another key under our kid, an altered payload and an unknown kid', async () => {
      const { id } = await send();
      await acknowledge(id);
      const { proof, kid } = (await proofOf(id)).body as { proof: string; kid: string };
      const jwks = await publishedKeys();
      const [header, payload, signature] = proof.split('.') as [string, string, string];

      const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
      const forged = await new CompactSign(Buffer.from(payload, 'base64url')).setProtectedHeader({ alg: 'EdDSA', kid, typ: PROOF_TYPE }).sign(privateKey);
      await expect(verifyProof(forged, jwks)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);

      const statement = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ProofPayload;
      const altered = Buffer.from(canonicalJson({ ...statement, servedAt: '2020-01-01T00:00:00.000Z' })).toString('base64url');
      await expect(verifyProof(`${header}.${altered}.${signature}`, jwks)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);

      const unknownKid = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: 'not-a-published-kid', typ: PROOF_TYPE })).toString('base64url');
      await expect(verifyProof(`${unknownKid}.${payload}.${signature}`, jwks)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    });

    it('keeps older proofs verifiable after the evidence key rotates, and signs new ones with the new key', async () => {
      const { id } = await send();
      await acknowledge(id);
      const before = (await proofOf(id)).body as { proof: string; kid: string };
      await t.runtime.keyRing.rotate('evidence');

      const jwks = await publishedKeys();
      expect(jwks.keys.map((key) => key.kid)).toContain(before.kid);
      expect(jwks.keys.every((key) => !('d' in key))).toBe(true);
      const after = (await proofOf(id)).body as { proof: string; kid: string };
      expect(after.kid).not.toBe(before.kid);
      await expect(verifyProof(before.proof, jwks)).resolves.toMatchObject({ messageId: id });
      await expect(verifyProof(after.proof, jwks)).resolves.toMatchObject({ messageId: id });
    });
  });

  describe('audit export and audit verify', () => {
    let id: string;
    let lines: string[];
    let jwksFile: string;

    beforeAll(async () => {
      ({ id } = await send());
      await open(id);
      await acknowledge(id);
      const io = cliEnv(t);
      expect(await auditExport.run(['--stream', messageStream(id)], io.env)).toBe(0);
      expect(io.stderr()).toBe('');
      lines = io.stdout().trimEnd().split('\n');
      jwksFile = join(work, 'keys.json');
      await writeFile(jwksFile, JSON.stringify(await publishedKeys()));
    });

    const verifyFile = async (name: string, content: readonly string[], jwks: string | null = jwksFile): Promise<{ code: number; stdout: string }> => {
      const file = join(work, name);
      await writeFile(file, content.map((line) => `${line}\n`).join(''));
      // No DATA_DIR and no server URLs: verification needs nothing but the file (and the keys).
      const io = memoryEnv({});
      const code = await auditVerify.run(jwks === null ? [file] : [file, '--jwks', jwks], io.env);
      return { code, stdout: io.stdout() };
    };
    const parsed = (index: number): Record<string, any> => JSON.parse(lines[index]!);
    const replaced = (index: number, line: string): string[] => lines.map((original, i) => (i === index ? line : original));
    const resealed = async (embedForeignKey: boolean): Promise<string> => {
      const seal = parsed(3);
      const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
      const jwk = await exportJWK(publicKey);
      const kid = embedForeignKey ? await calculateJwkThumbprint(jwk) : seal.kid;
      const payload = Buffer.from(String(seal.seal).split('.')[1]!, 'base64url');
      const jws = await new CompactSign(payload).setProtectedHeader({ alg: 'EdDSA', kid, typ: SEAL_TYPE }).sign(privateKey);
      return canonicalJson(embedForeignKey ? { seal: jws, kid, jwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' } } : { ...seal, seal: jws });
    };

    it('exports the stream of a real message: its events, then a seal', () => {
      expect(lines.slice(0, 3).map((line) => JSON.parse(line).type)).toEqual(['MessageSent', 'MessageRead', 'ReceiptAcknowledged']);
      expect(parsed(3)).toMatchObject({ seal: expect.any(String), kid: expect.any(String), jwk: { kty: 'OKP', crv: 'Ed25519' } });
    });

    it('finds the untouched export intact offline against the keys from GET /v1/keys, with exit 0', async () => {
      const { code, stdout } = await verifyFile('intact.jsonl', lines);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^intact: ${lines.length - 1} events of ${messageStream(id)}`));
      expect(stdout).not.toContain(EMBEDDED_KEY_NOTICE);
    });

    it('says so when it could only check the key embedded in the export', async () => {
      const { code, stdout } = await verifyFile('intact-embedded.jsonl', lines, null);
      expect(code).toBe(0);
      expect(stdout).toContain(EMBEDDED_KEY_NOTICE);
    });

    it.each<[string, () => Promise<readonly string[]> | readonly string[], number, string]>([
      ['edited data', () => replaced(0, canonicalJson({ ...parsed(0), data: { ...parsed(0).data, kind: 'notice' } })), 1, 'hash-mismatch'],
      ['an edited hash', () => replaced(1, canonicalJson({ ...parsed(1), metadata: { ...parsed(1).metadata, hash: '0'.repeat(64) } })), 2, 'hash-mismatch'],
      ['a removed line', () => lines.filter((_, i) => i !== 1), 2, 'revision-gap'],
      ['an inserted line', () => [lines[0]!, lines[1]!, lines[1]!, ...lines.slice(2)], 3, 'revision-gap'],
      ['two swapped lines', () => [lines[1]!, lines[0]!, ...lines.slice(2)], 1, 'revision-gap'],
      ['a dropped seal', () => lines.slice(0, -1), 4, 'missing-seal'],
      ['an altered seal', () => replaced(3, canonicalJson({ ...parsed(3), seal: flipSignature(String(parsed(3).seal)) })), 4, 'seal-signature'],
      ['a seal signed by another key under our kid', () => resealed(false).then((seal) => replaced(3, seal)), 4, 'seal-signature'],
      ['a seal signed by another key that carries its own key', () => resealed(true).then((seal) => replaced(3, seal)), 4, 'seal-foreign-key'],
    ])('names the first bad line for %s, with a non-zero exit', async (name, tamper, line, problem) => {
      expect(lines).toHaveLength(4);
      const { code, stdout } = await verifyFile(`${name.replace(/\W+/g, '-')}.jsonl`, await tamper());
      expect(code).toBe(1);
      expect(stdout).toMatch(new RegExp(`^NOT intact: line ${line}: ${problem}: `));
    });

    it('refuses the export against a JWKS that does not hold the key that sealed it', async () => {
      const otherKeys = join(work, 'other-keys.json');
      const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
      const jwk = await exportJWK(publicKey);
      await writeFile(otherKeys, JSON.stringify({ keys: [{ ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'EdDSA', use: 'sig' }] }));
      const { code, stdout } = await verifyFile('other-jwks.jsonl', lines, otherKeys);
      expect(code).toBe(1);
      expect(stdout).toMatch(/^NOT intact: line 4: seal-foreign-key: /);
    });
  });

  describe('audit replay', () => {
    it('prints the same steps as GET /v1/audit/streams/{stream}/replay, with and without --until', async () => {
      const { id } = await send();
      await open(id);
      await acknowledge(id);
      const auditor = await t.token({ role: 'auditor' });
      for (const until of [undefined, '1']) {
        const http = await t.http.get(`/v1/audit/streams/${messageStream(id)}/replay${until ? `?until=${until}` : ''}`).set('Authorization', `Bearer ${auditor}`);
        expect(http.status).toBe(200);
        const io = cliEnv(t);
        expect(await auditReplay.run(['--stream', messageStream(id), ...(until ? ['--until', until] : [])], io.env)).toBe(0);
        const steps = io.stdout().trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
        expect(steps).toEqual(http.body.steps);
        expect(steps).toHaveLength(until ? 2 : 3);
      }
    });
  });
});

describe.each(appTargets('projections rebuild'))('projections rebuild beside a running API ($name)', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: target.env() });
    await registerAgency(t, 'kela');
  });
  afterAll(async () => {
    await t.destroy();
    await target.cleanup();
  });

  it('swaps in rebuilt read models that answer as before, and a restarted worker carries on from them', async () => {
    const citizen = await openAccountWithConsent(t, HETU.maija, 'kela');
    const agency = await t.token({ role: 'agency', agency: 'kela' });
    const ids: string[] = [];
    for (const delivery of ['registered', 'ordinary', 'registered']) {
      const sent = await t.http.post('/v1/agency/messages').set('Authorization', `Bearer ${agency}`).send(decision(HETU.maija, { delivery }));
      ids.push(sent.body.id as string);
    }
    await t.http.post(`/v1/citizen/messages/${ids[0]}/acknowledgement`).set('Authorization', `Bearer ${citizen}`).expect(201);
    const views = async () => ({
      inbox: (await t.http.get('/v1/citizen/messages').set('Authorization', `Bearer ${citizen}`)).body,
      message: (await t.http.get(`/v1/agency/messages/${ids[0]}`).set('Authorization', `Bearer ${agency}`)).body,
      feed: (await t.http.get('/v1/agency/events').set('Authorization', `Bearer ${agency}`)).body,
    });
    const before = await eventually(async () => {
      // The read models have everything the log has (the worker's own events included), so the
      // rebuild below has nothing more to show than this snapshot.
      expect(t.runtime.projections.checkpoint()).toBe(await t.runtime.events.headPosition());
      const current = await views();
      expect(current.inbox.items).toHaveLength(3);
      expect(current.message.state).toBe('acknowledged');
      expect(t.runtime.projections.checkpoint()).toBe(await t.runtime.events.headPosition());
      return current;
    });

    // The operator's procedure: stop the projection runner, rebuild, start it again.
    await t.runtime.projections.stop();
    const io = cliEnv(t);
    expect(await projectionsRebuild.run([], io.env)).toBe(0);
    expect(io.stdout()).toMatch(/^rebuilt read models: \d+ events in .* events\/s\), generation \d+ now active/);
    await eventually(async () => expect(await views()).toEqual(before));

    await t.runtime.projections.start();
    const late = await t.http.post('/v1/agency/messages').set('Authorization', `Bearer ${agency}`).send(decision(HETU.maija));
    await eventually(async () => {
      const inbox = await t.http.get('/v1/citizen/messages').set('Authorization', `Bearer ${citizen}`);
      expect(inbox.body.items.map((item: { id: string }) => item.id)).toContain(late.body.id);
    });
  });
});
