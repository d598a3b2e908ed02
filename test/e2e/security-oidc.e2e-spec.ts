import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JWTPayload } from 'jose';
import { createHttpApp, loadConfig, openRuntime } from '@asiointitili/app';
import { JwksServer } from '../../libs/app/src/auth/testing/jwks-server';
import { BUSINESS_ID, HETU, registerAgency } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const ISSUER = 'https://tunnistus.example.fi';
const AUDIENCE = 'asiointitili-client';

/**
 * Citizens through an external OpenID Connect provider (issue 6, item 1), end to end: the API
 * verifies the provider's tokens against its JWKS, holds citizens to substantial or high, and no
 * longer lets the development key speak for citizens or agencies.
 */
describe('citizens signed in through an OpenID Connect provider', () => {
  let provider: JwksServer;
  let kid: string;
  let t: TestApp;

  const idToken = (overrides: Record<string, unknown> = {}): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const claims: JWTPayload = { iss: ISSUER, aud: AUDIENCE, sub: 'p-1', hetu: HETU.maija, acr: 'http://eidas.europa.eu/LoA/high', amr: ['mobile'], iat: now, exp: now + 600, ...overrides };
    return provider.sign(kid, claims);
  };

  beforeAll(async () => {
    provider = await JwksServer.start();
    kid = await provider.addKey('RS256');
    t = await startTestApp({ env: { AUTH_JWKS_URL: provider.url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE } });
    await registerAgency(t, 'kela');
  });
  afterAll(async () => {
    await t.destroy();
    await provider.close();
  });

  it('serves a citizen with the provider’s token, recording the method and level of assurance it gave', async () => {
    const opened = await t.http.post('/v1/citizen/account').set(bearer(await idToken())).send({ language: 'fi' });
    expect(opened.status).toBe(201);
    const [event] = (await t.runtime.events.readAll({ maxCount: 1000 })).filter((e) => e.type === 'AccountOpened');
    expect(event?.metadata.actor).toMatchObject({ type: 'citizen', method: 'mobile', assurance: 'high' });
  });

  it('answers 403 to a citizen signed in below substantial', async () => {
    const weak = await t.http.get('/v1/citizen/messages').set(bearer(await idToken({ acr: 'http://eidas.europa.eu/LoA/low' })));
    expect(weak.status).toBe(403);
    expect(weak.body).toMatchObject({ status: 403, detail: expect.stringMatching(/substantial or high/) });
  });

  it('refuses a development citizen token (the key in DATA_DIR no longer speaks for citizens)', async () => {
    const dev = await t.http.get('/v1/citizen/messages').set(bearer(await t.token({ role: 'citizen', hetu: HETU.maija })));
    expect(dev.status).toBe(401);
    expect(dev.body.detail).toMatch(/citizen tokens are not accepted from asiointitili-dev; citizens sign in through https:\/\/tunnistus\.example\.fi/);
  });

  it('refuses a development agency token: agencies exchange client credentials', async () => {
    const dev = await t.http.get('/v1/agency/events').set(bearer(await t.token({ role: 'agency', agency: 'kela' })));
    expect(dev.status).toBe(401);
    const admin = await t.token({ role: 'admin' });
    const { clientId, clientSecret } = (await t.http.post('/v1/admin/agencies/kela/credentials').set(bearer(admin))).body;
    const exchanged = await t.http.post('/v1/auth/token').type('form').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    expect((await t.http.get('/v1/agency/events').set(bearer(exchanged.body.access_token))).status).toBe(200);
  });

  it('still takes development tokens for admins and auditors, minted by operators with the command line', async () => {
    const admin = await t.token({ role: 'admin' });
    expect((await t.http.post('/v1/admin/agencies').set(bearer(admin)).send({ id: 'vero', name: 'Verohallinto', businessId: BUSINESS_ID })).status).toBe(201);
    expect((await t.http.get('/v1/audit/verify').set(bearer(await t.token({ role: 'auditor' })))).status).toBe(200);
  });

  it('refuses the provider’s token when it claims to be an admin: the provider identifies citizens only', async () => {
    const forged = await t.http.post('/v1/admin/agencies').set(bearer(await idToken({ role: 'admin' }))).send({ id: 'evil', name: 'Evil', businessId: BUSINESS_ID });
    expect(forged.status).toBe(403);
  });

  it('answers 401 with the reason to an expired provider token, one for another service, and one from a key the provider does not publish', async () => {
    const now = Math.floor(Date.now() / 1000);
    const rogue = await JwksServer.start();
    try {
      const rogueKid = await rogue.addKey('RS256', 'never-published');
      const cases: ReadonlyArray<readonly [Promise<string>, string]> = [
        [idToken({ exp: now - 3600 }), 'expired'],
        [idToken({ aud: 'another-service' }), 'wrong-audience'],
        [rogue.sign(rogueKid, { iss: ISSUER, aud: AUDIENCE, hetu: HETU.maija, acr: 'high', amr: 'bank', exp: now + 600 }), 'unknown-key'],
      ];
      for (const [token, reason] of cases) {
        const answer = await t.http.get('/v1/citizen/messages').set(bearer(await token));
        expect(answer.status).toBe(401);
        expect(answer.body.detail).toContain(`(${reason})`);
      }
    } finally {
      await rogue.close();
    }
  });
});

describe('ALLOW_DEV_TOKENS=true beside a provider', () => {
  it('lets the development key sign citizen tokens again', async () => {
    const provider = await JwksServer.start();
    await provider.addKey('ES256');
    const t = await startTestApp({ env: { AUTH_JWKS_URL: provider.url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, ALLOW_DEV_TOKENS: 'true' } });
    try {
      expect((await t.http.get('/v1/citizen/messages').set(bearer(await t.token({ role: 'citizen', hetu: HETU.maija })))).status).toBe(200);
    } finally {
      await t.destroy();
      await provider.close();
    }
  });
});

describe('starting in production', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'asiointitili-prod-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  async function start(env: Record<string, string>): Promise<unknown> {
    const config = loadConfig({ DATA_DIR: dataDir, ...env });
    const runtime = await openRuntime(config, { env: { DATA_DIR: dataDir } });
    try {
      const app = await createHttpApp(runtime, { logger: false });
      await app.close();
      return 'started';
    } catch (error) {
      return error;
    } finally {
      await runtime.close();
    }
  }

  it('refuses to start on the development key alone, saying why and what to set', async () => {
    const refusal = await start({ NODE_ENV: 'production' });
    expect(refusal).toBeInstanceOf(Error);
    expect((refusal as Error).message).toMatch(/^AUTH_JWKS_URL: NODE_ENV=production and no identity provider: refusing to start on the development key/);
    expect((refusal as Error).message).toMatch(/ALLOW_DEV_TOKENS=true/);
  });

  it('starts on the development key when told explicitly with ALLOW_DEV_TOKENS=true', async () => {
    expect(await start({ NODE_ENV: 'production', ALLOW_DEV_TOKENS: 'true' })).toBe('started');
  });

  it('starts with a provider configured', async () => {
    expect(await start({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://tunnistus.example.fi/jwks', AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE })).toBe('started');
  });
});
