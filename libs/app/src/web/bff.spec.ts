import express from 'express';
import request from 'supertest';
import { bff, safeReturnTo, sessionCookieName } from './bff';
import type { OidcRelyingParty } from './oidc-relying-party';
import { WebSessions } from './web-sessions';
import type { CitizenRefs } from '../identity/citizen-ref';

const PUBLIC_URL = 'http://localhost:3000';
const COOKIE = sessionCookieName(false);

function app() {
  const sessions = new WebSessions({ now: () => new Date() }, 600);
  const { routes, sessionBearer } = bff({
    sessions,
    relyingParty: {} as OidcRelyingParty,
    citizenRefs: {} as CitizenRefs,
    claimNames: { hetu: 'hetu', acr: 'acr', amr: 'amr' },
    bearerFor: async () => ({ bearer: 'unused', expiresAt: 0 }),
    secureCookies: false,
    publicUrl: PUBLIC_URL,
    consentPolicy: 'consent',
  });
  const http = express();
  http.use(routes);
  http.use(sessionBearer);
  // Stands in for the API: echoes the Authorization header the request arrived with.
  http.use((req, res) => res.json({ authorization: req.headers.authorization ?? null }));
  const id = sessions.create({ bearer: 'the-bearer', csrfToken: 'the-csrf', acr: 'high', amr: 'mobile', idToken: 'id', expiresAt: Date.now() + 3_600_000 });
  return { http, cookie: `${COOKIE}=${id}` };
}

describe('backend for frontend', () => {
  it('puts the session\'s bearer token on the citizen\'s API calls; the browser sends only the cookie', async () => {
    const { http, cookie } = app();
    const answer = await request(http).get('/v1/citizen/messages').set('Cookie', cookie);
    expect(answer.body).toEqual({ authorization: 'Bearer the-bearer' });
  });

  it('never lends the session to other parts of the API (admin, agency, audit)', async () => {
    const { http, cookie } = app();
    for (const path of ['/v1/admin/agencies', '/v1/agency/messages', '/v1/audit/verify', '/v1/citizenx']) {
      const answer = await request(http).get(path).set('Cookie', cookie);
      expect({ path, authorization: answer.body.authorization }).toEqual({ path, authorization: null });
    }
  });

  it('leaves a request that brings its own Authorization header alone', async () => {
    const { http, cookie } = app();
    const answer = await request(http).get('/v1/citizen/account').set('Cookie', cookie).set('Authorization', 'Bearer own');
    expect(answer.body).toEqual({ authorization: 'Bearer own' });
  });

  it('refuses a write without the session\'s CSRF token, or from another origin, with 403 problem+json and no token attached', async () => {
    const { http, cookie } = app();
    const missing = await request(http).post('/v1/citizen/applications').set('Cookie', cookie).send({});
    expect(missing.status).toBe(403);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.body.type).toMatch(/csrf-token-invalid/);
    const wrong = await request(http).delete('/v1/citizen/account').set('Cookie', cookie).set('X-CSRF-Token', 'guess');
    expect(wrong.status).toBe(403);
    const foreign = await request(http).put('/v1/citizen/consents/kela').set('Cookie', cookie).set('X-CSRF-Token', 'the-csrf').set('Origin', 'https://evil.example');
    expect(foreign.status).toBe(403);
    const good = await request(http).put('/v1/citizen/consents/kela').set('Cookie', cookie).set('X-CSRF-Token', 'the-csrf').set('Origin', PUBLIC_URL);
    expect(good.body).toEqual({ authorization: 'Bearer the-bearer' });
  });

  it('answers whether the browser is signed in with the CSRF token and the method, never a token', async () => {
    const { http, cookie } = app();
    const signedIn = await request(http).get('/auth/session').set('Cookie', cookie);
    expect(signedIn.body).toMatchObject({ signedIn: true, csrfToken: 'the-csrf', acr: 'high', amr: 'mobile' });
    expect(JSON.stringify(signedIn.body)).not.toContain('the-bearer');
    expect(signedIn.headers['cache-control']).toBe('no-store');
    const anonymous = await request(http).get('/auth/session');
    expect(anonymous.body).toEqual({ signedIn: false });
  });

  it('signing out needs the CSRF token, then ends the session and clears the cookie', async () => {
    const { http, cookie } = app();
    expect((await request(http).post('/auth/logout').set('Cookie', cookie)).status).toBe(403);
    const out = await request(http).post('/auth/logout').set('Cookie', cookie).set('X-CSRF-Token', 'the-csrf');
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(new RegExp(`${COOKIE}=;`));
    const after = await request(http).get('/v1/citizen/messages').set('Cookie', cookie);
    expect(after.body).toEqual({ authorization: null });
  });

  it('a callback that no sign-in of this browser is waiting for (login CSRF, a replay) starts no session', async () => {
    const { http } = app();
    const answer = await request(http).get('/auth/callback?code=c&state=s');
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe('/?signin=expired');
    expect(String(answer.headers['set-cookie'] ?? '')).not.toMatch(new RegExp(`${COOKIE}=[A-Za-z0-9]`));
  });
});

describe('safeReturnTo', () => {
  it.each([
    ['/messages/abc', '/messages/abc'],
    ['/applications?x=1', '/applications?x=1'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    [undefined, '/'],
    [['/a', '/b'], '/'],
  ])('%j returns to %s', (given, expected) => {
    expect(safeReturnTo(given)).toBe(expected);
  });
});
