import { ManualClock } from '@asiointitili/core';
import { CLIENT_TOKEN_TTL_SECONDS } from '../../libs/app/src/credentials/client-token-service';
import { CREDENTIAL_CACHE_TTL_MS } from '../../libs/app/src/credentials/agency-credentials';
import { SecretCheckBudget } from '../../libs/app/src/credentials/secret-check-budget';
import { decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const basic = (id: string, secret: string) => ({ Authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` });

/**
 * Agency machine credentials (issue 6, item 2): an admin issues a client id and secret, the agency's
 * integration trades them at POST /v1/auth/token for a short-lived token, and the attacks on that
 * path (guessed, leaked, revoked or replayed credentials; calls from elsewhere) are refused.
 */
describe('agency machine credentials', () => {
  let t: TestApp;
  let admin: string;
  const clock = new ManualClock('2025-11-24T08:00:00.000Z');

  beforeAll(async () => {
    t = await startTestApp({ clock });
    admin = await t.token({ role: 'admin' });
    await registerAgency(t, 'kela');
    await registerAgency(t, 'vero');
    await registerAgency(t, 'tulli');
    await openAccountWithConsent(t, HETU.maija, 'kela');
  });
  afterAll(() => t.destroy());

  const issue = (agency = 'kela') => t.http.post(`/v1/admin/agencies/${agency}/credentials`).set(bearer(admin));
  /** A fresh credential (an agency may hold five active ones at a time). */
  const credential = async (agency = 'kela'): Promise<{ clientId: string; clientSecret: string }> => {
    const issued = await issue(agency);
    expect(issued.status).toBe(201);
    return issued.body;
  };
  const exchangeForm = (clientId: string, secret: string) =>
    t.http.post('/v1/auth/token').type('form').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
  const allowlist = (cidrs: string[], agency = 'tulli') => t.http.put(`/v1/admin/agencies/${agency}/ip-allowlist`).set(bearer(admin)).send({ cidrs });

  it('issues a client id and a secret once, with no-store, and records neither the secret nor anything it could be read from', async () => {
    const issued = await issue();
    expect(issued.status).toBe(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    expect(issued.body).toEqual({ clientId: expect.stringMatching(/^kela\.[A-Za-z0-9_-]{22}$/), clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), issuedAt: clock.now().toISOString() });
    const stream = await t.runtime.events.readStream('agency-kela');
    const recorded = stream.find((e) => e.type === 'AgencyCredentialIssued' && e.data.clientId === issued.body.clientId);
    expect(recorded?.data).toEqual({
      agencyId: 'kela',
      clientId: issued.body.clientId,
      secretHash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      salt: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      params: { algorithm: 'scrypt', N: 16384, r: 8, p: 1, keyLength: 32 },
      issuedAt: clock.now().toISOString(),
    });
    const everything = JSON.stringify(await t.runtime.events.readAll({ maxCount: 10_000 }), (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    expect(everything).not.toContain(issued.body.clientSecret);
    const listed = await t.http.get('/v1/admin/agencies/kela/credentials').set(bearer(admin));
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toMatch(/secretHash|salt|clientSecret/);
    expect(listed.body.items).toContainEqual({ clientId: issued.body.clientId, issuedAt: clock.now().toISOString(), active: true });
  });

  it('exchanges the credentials for a 15-minute agency token by form, JSON or Basic header, and the token sends messages', async () => {
    const { clientId, clientSecret } = (await credential());
    const byForm = await exchangeForm(clientId, clientSecret);
    expect(byForm.status).toBe(200);
    expect(byForm.headers['cache-control']).toBe('no-store');
    expect(byForm.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: CLIENT_TOKEN_TTL_SECONDS });
    expect(CLIENT_TOKEN_TTL_SECONDS).toBe(900);
    const byJson = await t.http.post('/v1/auth/token').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    expect(byJson.status).toBe(200);
    const byBasic = await t.http.post('/v1/auth/token').set(basic(clientId, clientSecret)).type('form').send({ grant_type: 'client_credentials' });
    expect(byBasic.status).toBe(200);

    const sent = await t.http.post('/v1/agency/messages').set(bearer(byForm.body.access_token)).send(decision(HETU.maija));
    expect(sent.status).toBe(201);
    const [event] = await t.runtime.events.readStream(`message-${sent.body.id}`, { maxCount: 1 });
    expect(event?.metadata.actor).toEqual({ type: 'agency', id: 'kela', method: 'client-credentials' });
  });

  it('refuses a wrong secret, an unknown client id and another agency’s id with one and the same 401 invalid_client', async () => {
    const { clientId, clientSecret } = (await credential());
    const answers = await Promise.all([
      exchangeForm(clientId, `${clientSecret.slice(0, -1)}${clientSecret.endsWith('A') ? 'B' : 'A'}`),
      exchangeForm('kela.AAAAAAAAAAAAAAAAAAAAAA', clientSecret),
      exchangeForm(clientId.replace('kela.', 'vero.'), clientSecret),
      exchangeForm('nobody', clientSecret),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.headers['www-authenticate']).toBe('Basic realm="asiointitili"');
      expect(answer.body).toEqual({
        type: 'urn:asiointitili:problem:invalid-client',
        title: 'Unauthorized',
        status: 401,
        detail: 'client authentication failed',
        error: 'invalid_client',
        error_description: 'client authentication failed',
      });
    }
  });

  it('answers OAuth errors for a request that is not a client-credentials grant', async () => {
    const password = await t.http.post('/v1/auth/token').type('form').send({ grant_type: 'password', username: 'a', password: 'b' });
    expect(password.status).toBe(400);
    expect(password.body).toMatchObject({ error: 'unsupported_grant_type' });
    const noGrant = await t.http.post('/v1/auth/token').type('form').send({ client_id: 'x' });
    expect(noGrant.status).toBe(400);
    expect(noGrant.body).toMatchObject({ error: 'invalid_request' });
    const repeated = await t.http.post('/v1/auth/token').type('form').send('grant_type=client_credentials&client_id=a&client_id=b&client_secret=c');
    expect(repeated.status).toBe(400);
    expect(repeated.body).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses a token request in another content type with 415, and an oversized form with 413', async () => {
    const text = await t.http.post('/v1/auth/token').set('Content-Type', 'text/plain').send('grant_type=client_credentials');
    expect(text.status).toBe(415);
    const huge = await t.http.post('/v1/auth/token').type('form').send(`grant_type=client_credentials&client_secret=${'x'.repeat(8000)}`);
    expect(huge.status).toBe(413);
    expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('does not let a form body into any other route', async () => {
    const form = await t.http.post('/v1/admin/agencies').set(bearer(admin)).type('form').send({ id: 'x', name: 'X', businessId: '0737546-2' });
    expect(form.status).toBe(415);
  });

  it('rotates with overlap: a new credential leaves the old one working until it is revoked', async () => {
    const old = (await credential('vero'));
    const fresh = (await credential('vero'));
    const oldToken = (await exchangeForm(old.clientId, old.clientSecret)).body.access_token as string;
    expect((await exchangeForm(fresh.clientId, fresh.clientSecret)).status).toBe(200);
    expect((await exchangeForm(old.clientId, old.clientSecret)).status).toBe(200);

    const revoked = await t.http.delete(`/v1/admin/agencies/vero/credentials/${old.clientId}`).set(bearer(admin));
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ clientId: old.clientId, revokedAt: clock.now().toISOString() });
    expect((await exchangeForm(old.clientId, old.clientSecret)).status).toBe(401);
    expect((await exchangeForm(fresh.clientId, fresh.clientSecret)).status).toBe(200);

    // A token already issued for the revoked credential stops working too.
    const replay = await t.http.get('/v1/agency/events').set(bearer(oldToken));
    expect(replay.status).toBe(401);
    expect(replay.body.detail).toMatch(/revoked/);
  });

  it('answers a repeated revocation with the first time, and an unknown client id with 404', async () => {
    const { clientId } = (await credential('vero'));
    const first = await t.http.delete(`/v1/admin/agencies/vero/credentials/${clientId}`).set(bearer(admin));
    clock.advance(60_000);
    const again = await t.http.delete(`/v1/admin/agencies/vero/credentials/${clientId}`).set(bearer(admin));
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(first.body.revokedAt);
    const unknown = await t.http.delete('/v1/admin/agencies/vero/credentials/vero.AAAAAAAAAAAAAAAAAAAAAA').set(bearer(admin));
    expect(unknown.status).toBe(404);
    expect(unknown.body.type).toBe('urn:asiointitili:problem:credential-not-found');
  });

  it('answers 404 for credentials of an agency that is not registered', async () => {
    expect((await issue('nobody')).status).toBe(404);
    expect((await t.http.get('/v1/admin/agencies/nobody/credentials').set(bearer(admin))).status).toBe(404);
    expect((await allowlist(['192.0.2.0/24'], 'nobody')).status).toBe(404);
  });

  it('refuses an agency token after its 15 minutes', async () => {
    const { clientId, clientSecret } = (await credential());
    const token = (await exchangeForm(clientId, clientSecret)).body.access_token as string;
    expect((await t.http.get('/v1/agency/events').set(bearer(token))).status).toBe(200);
    clock.advance(CLIENT_TOKEN_TTL_SECONDS * 1000);
    const expired = await t.http.get('/v1/agency/events').set(bearer(token));
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toMatch(/\(expired\)/);
  });

  describe('IP allowlist', () => {
    afterEach(async () => {
      expect((await allowlist([])).status).toBe(200);
    });

    it('refuses token requests and agency calls from outside the listed networks, whatever the token', async () => {
      const { clientId, clientSecret } = (await credential('tulli'));
      const clientToken = (await exchangeForm(clientId, clientSecret)).body.access_token as string;
      const devToken = await t.token({ role: 'agency', agency: 'tulli' });
      const set = await allowlist(['10.0.0.0/8', '2001:db8::/32']);
      expect(set.status).toBe(200);
      expect(set.body).toEqual({ cidrs: ['10.0.0.0/8', '2001:db8::/32'] });

      expect((await exchangeForm(clientId, clientSecret)).status).toBe(401);
      for (const token of [clientToken, devToken]) {
        const call = await t.http.get('/v1/agency/events').set(bearer(token));
        expect(call.status).toBe(403);
        expect(call.body.type).toBe('urn:asiointitili:problem:address-not-allowed');
      }
      // Another agency without a list is not affected.
      expect((await t.http.get('/v1/agency/events').set(bearer(await t.token({ role: 'agency', agency: 'vero' })))).status).toBe(200);
    });

    it('serves the agency from a listed network (the test client is on the loopback network)', async () => {
      const { clientId, clientSecret } = (await credential('tulli'));
      expect((await allowlist(['127.0.0.0/8', '::1/128'])).status).toBe(200);
      const exchanged = await exchangeForm(clientId, clientSecret);
      expect(exchanged.status).toBe(200);
      expect((await t.http.get('/v1/agency/events').set(bearer(exchanged.body.access_token))).status).toBe(200);
    });

    it('answers 422 naming the entry for a network that is not one, and 400 for more than 100 entries', async () => {
      const bad = await allowlist(['192.0.2.0/24', 'intranet']);
      expect(bad.status).toBe(422);
      expect(bad.body).toMatchObject({ type: 'urn:asiointitili:problem:invalid-cidr', errors: [{ field: 'cidrs', problem: expect.stringContaining('"intranet"') }] });
      const many = await allowlist(Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`));
      expect(many.status).toBe(400);
    });

    it('records each change in the agency stream, where another process picks it up within the cache time', async () => {
      await allowlist(['192.0.2.0/24']);
      const stream = await t.runtime.events.readStream('agency-tulli');
      expect(stream.filter((e) => e.type === 'AgencyIpAllowlistSet').at(-1)?.data).toMatchObject({ agencyId: 'tulli', cidrs: ['192.0.2.0/24'] });
      expect(CREDENTIAL_CACHE_TTL_MS).toBe(30_000);
    });
  });

  it('lets only admins manage credentials', async () => {
    for (const token of [await t.token({ role: 'auditor' }), await t.token({ role: 'agency', agency: 'kela' }), await t.token({ role: 'citizen', hetu: HETU.maija })]) {
      expect((await t.http.post('/v1/admin/agencies/kela/credentials').set(bearer(token))).status).toBe(403);
    }
    expect((await t.http.post('/v1/admin/agencies/kela/credentials')).status).toBe(401);
  });
});

describe('the slow secret check has its own budget per client address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_TOKEN_PER_MINUTE: '2' } });
  });
  afterAll(() => t.destroy());

  it('answers 429 with Retry-After once an address has spent its checks, but not for requests refused before the check', async () => {
    const attempt = (clientId: string) => t.http.post('/v1/auth/token').type('form').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'guess' });
    for (let i = 0; i < 5; i++) expect((await attempt('not-a-client-id')).status).toBe(401);
    expect((await attempt('kela.AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(401);
    expect((await attempt('kela.AAAAAAAAAAAAAAAAAAAAAB')).status).toBe(401);
    const limited = await attempt('kela.AAAAAAAAAAAAAAAAAAAAAC');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ type: 'urn:asiointitili:problem:rate-limited', status: 429, error: 'slow_down' });
  });
});

describe('slow secret checks are bounded: per client address and in the process, refused beyond with Retry-After', () => {
  let t: TestApp;
  beforeAll(async () => {
    // One check at a time, one more waiting; each address may hold two places. The proxy hop lets
    // the test speak from many addresses (X-Forwarded-For), as clients behind a load balancer do.
    t = await startTestApp({ env: { SECRET_CHECKS_AT_ONCE: '1', SECRET_CHECKS_WAITING: '1', SECRET_CHECKS_PER_ADDRESS: '2', TRUST_PROXY_HOPS: '1' } });
  });
  afterAll(() => t.destroy());

  const guess = (from: string, n: number) =>
    t.http
      .post('/v1/auth/token')
      .set('X-Forwarded-For', from)
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: `kela.AAAAAAAAAAAAAAAAAAAA${String(n).padStart(2, '0')}`, client_secret: 'guess' });

  it('answers 429 slow_down to an address that already has two checks in progress, and 401 to those two', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, (_, n) => guess('203.0.113.7', n)));
    const statuses = answers.map((a) => a.status).sort();
    console.log(`six concurrent guesses from one address: ${statuses.join(', ')}`);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(2);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    for (const answer of limited) {
      expect(answer.headers['retry-after']).toBe('1');
      expect(answer.body).toMatchObject({ type: 'urn:asiointitili:problem:rate-limited', error: 'slow_down' });
    }
    expect(t.app.get(SecretCheckBudget).load).toEqual({ running: 0, waiting: 0, keys: 0 });
  });

  it('answers 503 temporarily_unavailable with Retry-After when every place runs and the line is full, whatever the address', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, n) => guess(`198.51.100.${n + 1}`, n)));
    const statuses = answers.map((a) => a.status).sort();
    console.log(`twelve concurrent guesses from twelve addresses: ${statuses.join(', ')}`);
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(2);
    const busy = answers.filter((a) => a.status === 503);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    for (const answer of busy) {
      expect(answer.headers['retry-after']).toBe('1');
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({ type: 'urn:asiointitili:problem:secret-checks-busy', status: 503, error: 'temporarily_unavailable' });
    }
  });
});
