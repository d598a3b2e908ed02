import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { BUSINESS_ID, decision, HETU } from '../support/fixtures';
import { ensureBuilt, mintToken, runCli, startServer, type ServerProcess } from '../support/server-process';

/**
 * Keys for a fleet (docs/deployment.md, Keys): every API and worker process reads the same
 * KEYS_DIR, so they publish one JWKS, accept each other's tokens, derive the same citizenRefs and
 * sign proofs that verify with any replica's keys. Two compiled servers with separate DATA_DIRs
 * (so nothing is shared but KEYS_DIR) stand in for two replicas.
 */
describe('keys shared by several processes through KEYS_DIR', () => {
  let work: string;
  let keysDir: string;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    work = await mkdtemp(join(tmpdir(), 'asiointitili-shared-keys-'));
    keysDir = join(work, 'keys-secret');
    await runCli(join(work, 'operator'), ['keys', 'init', '--dir', keysDir]);
  }, 240_000);
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await rm(work, { recursive: true, force: true });
  });

  const start = async (name: string, env: Record<string, string>): Promise<ServerProcess> => {
    const server = await startServer({ dataDir: join(work, name), env });
    servers.push(server);
    return server;
  };
  const call = async (server: ServerProcess, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  it('gives two replicas one JWKS; each accepts the tokens the CLI mints and the signatures of the other, derives the same citizenRef and signs proofs the other verifies', async () => {
    const env = { KEYS_DIR: keysDir };
    const [a, b] = [await start('replica-a', env), await start('replica-b', env)];
    // The servers read the keys and made none of their own (DATA_DIR/keys holds only the person-key database).
    for (const server of [a, b]) {
      const own = await readdir(join(server.dataDir, 'keys')).catch(() => [] as string[]);
      expect(own.filter((name) => /\.jwk\.json$|^citizen-ref\.secret$|^personal-data-master\.key$/.test(name))).toEqual([]);
    }

    const jwksA = (await call(a, 'GET', '/v1/keys')).body as JSONWebKeySet;
    const jwksB = (await call(b, 'GET', '/v1/keys')).body as JSONWebKeySet;
    expect(jwksA.keys.length).toBeGreaterThan(0);
    expect(jwksB).toEqual(jwksA);

    // Tokens minted by the operator's CLI with KEYS_DIR (and no DATA_DIR in common) work on both.
    const admin = await mintToken(join(work, 'operator'), { role: 'admin' }, env);
    const citizen = await mintToken(join(work, 'operator'), { role: 'citizen', hetu: HETU.maija }, env);
    const agency = await mintToken(join(work, 'operator'), { role: 'agency', agency: 'kela' }, env);
    const proofs: string[] = [];
    for (const server of [a, b]) {
      expect((await call(server, 'POST', '/v1/admin/agencies', admin, { id: 'kela', name: 'Kela', businessId: BUSINESS_ID })).status).toBe(201);
      expect((await call(server, 'POST', '/v1/citizen/account', citizen, { language: 'fi' })).status).toBe(201);
      expect((await call(server, 'PUT', '/v1/citizen/consents/kela', citizen)).status).toBe(200);
      const sent = await call(server, 'POST', '/v1/agency/messages', agency, decision(HETU.maija, { externalId: 'shared-keys-1' }));
      expect(sent.status).toBe(201);
      const proof = await call(server, 'GET', `/v1/agency/messages/${sent.body.id}/proof`, agency);
      expect(proof.status).toBe(200);
      proofs.push(proof.body.proof);
    }

    // A proof signed by one replica verifies with the keys the other publishes, and both name the same citizenRef.
    const fromA = JSON.parse(new TextDecoder().decode((await compactVerify(proofs[0]!, createLocalJWKSet(jwksB))).payload));
    const fromB = JSON.parse(new TextDecoder().decode((await compactVerify(proofs[1]!, createLocalJWKSet(jwksA))).payload));
    expect(fromA.citizenRef).toMatch(/^c_/);
    expect(fromB.citizenRef).toBe(fromA.citizenRef);

    // A token issued by replica A's own token endpoint passes replica B's signature check. (The two
    // replicas here have separate logs, so B then finds no such credential and answers "revoked";
    // a token signed with any other key would fail before that, as a bad signature.)
    const credential = await call(a, 'POST', '/v1/admin/agencies/kela/credentials', admin);
    expect(credential.status).toBe(201);
    {
      const issued = await fetch(`${a.baseUrl}/v1/auth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: credential.body.clientId, client_secret: credential.body.clientSecret }),
      });
      expect(issued.status).toBe(200);
      const accessToken = ((await issued.json()) as { access_token: string }).access_token;
      expect((await call(a, 'GET', '/v1/agency/messages', accessToken)).status).toBe(200);
      const onB = await call(b, 'GET', '/v1/agency/messages', accessToken);
      const forged = await call(b, 'GET', '/v1/agency/messages', `${accessToken.slice(0, accessToken.lastIndexOf('.'))}.${'A'.repeat(86)}`);
      expect(onB).toMatchObject({ status: 401, body: { detail: expect.stringMatching(/\(revoked\)$/) } });
      expect(forged).toMatchObject({ status: 401, body: { detail: expect.stringMatching(/\(bad-signature\)$/) } });
    }
  }, 120_000);

  it.each([
    ['a directory that does not exist', async () => join(work, 'no-such-dir'), /KEYS_DIR: .*no-such-dir does not exist/],
    [
      'a directory without keys',
      async () => {
        const empty = join(work, 'empty-secret');
        await mkdir(empty);
        return empty;
      },
      /KEYS_DIR: .* has no token key/,
    ],
    [
      'a key file that is not a key',
      async () => {
        const broken = join(work, 'broken-secret');
        await runCli(join(work, 'operator'), ['keys', 'init', '--dir', broken]);
        await writeFile(join(broken, 'evidence-000001.jwk.json'), '{ "format": 1 }');
        return broken;
      },
      /KEYS_DIR: key file .*evidence-000001\.jwk\.json does not hold an Ed25519 key/,
    ],
  ])('stops the start with %s, naming KEYS_DIR (exit 2, no port opened)', async (_what, prepare, message) => {
    const server = await startServer({ dataDir: join(work, `refused-${Math.random().toString(36).slice(2)}`), env: { KEYS_DIR: await prepare() }, waitUntilHealthy: false });
    const status = await server.exited;
    expect(status.code).toBe(2);
    expect(server.output()).toMatch(/configuration error: /);
    expect(server.output()).toMatch(message);
  }, 60_000);
});
