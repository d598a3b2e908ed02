import { HETU } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Runs `body` against an app started with `env`, and always tears it down. */
async function withApp(env: Record<string, string>, body: (t: TestApp) => Promise<void>): Promise<void> {
  const t = await startTestApp({ env });
  try {
    await body(t);
  } finally {
    await t.destroy();
  }
}

/**
 * Abuse through volume (rate limits per principal), and browser-side attacks on the API and its
 * documentation page (security headers, CORS), issue 6 item 4.
 */
describe('rate limits per principal', () => {
  const LIMITS = { RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_AGENCY_PER_MINUTE: '5' };

  it('answers the request over a citizen’s limit with 429 problem+json and Retry-After, and leaves other citizens alone', () =>
    withApp(LIMITS, async (t) => {
      const maija = await t.token({ role: 'citizen', hetu: HETU.maija });
      for (let i = 0; i < 3; i++) expect((await t.http.get('/v1/citizen/messages').set(bearer(maija))).status).toBe(200);
      const limited = await t.http.get('/v1/citizen/messages').set(bearer(maija));
      expect(limited.status).toBe(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.body).toMatchObject({ type: 'urn:asiointitili:problem:rate-limited', status: 429, title: 'Too Many Requests', retryAfterSeconds: retryAfter });
      expect(limited.body.detail).toMatch(/the limit is 3 a minute/);
      expect((await t.http.get('/v1/citizen/messages').set(bearer(await t.token({ role: 'citizen', hetu: HETU.matti })))).status).toBe(200);
    }));

  it('counts a principal, not a token: fresh tokens for the same person share the budget', () =>
    withApp(LIMITS, async (t) => {
      for (let i = 0; i < 3; i++) expect((await t.http.get('/v1/citizen/messages').set(bearer(await t.token({ role: 'citizen', hetu: HETU.maija })))).status).toBe(200);
      expect((await t.http.get('/v1/citizen/messages').set(bearer(await t.token({ role: 'citizen', hetu: HETU.maija })))).status).toBe(429);
    }));

  it('gives agencies their own, larger limit', () =>
    withApp(LIMITS, async (t) => {
      const kela = await t.token({ role: 'agency', agency: 'kela' });
      for (let i = 0; i < 5; i++) expect((await t.http.get('/v1/agency/events').set(bearer(kela))).status).toBe(200);
      expect((await t.http.get('/v1/agency/events').set(bearer(kela))).status).toBe(429);
      expect((await t.http.get('/v1/agency/events').set(bearer(await t.token({ role: 'agency', agency: 'vero' })))).status).toBe(200);
    }));

  it('counts requests with bad or no tokens against the client address, so guessing tokens is limited too', () =>
    withApp(LIMITS, async (t) => {
      expect((await t.http.get('/v1/citizen/messages').set(bearer('forged.token.value'))).status).toBe(401);
      expect((await t.http.get('/v1/citizen/messages')).status).toBe(401);
      expect((await t.http.get('/health')).status).toBe(200);
      const limited = await t.http.get('/v1/citizen/messages').set(bearer('another.forged.token'));
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBeDefined();
      // A valid token is its own budget, apart from the address's.
      expect((await t.http.get('/v1/citizen/messages').set(bearer(await t.token({ role: 'citizen', hetu: HETU.maija })))).status).toBe(200);
    }));

  it('lets an agency send at benchmark rates by default (600,000 a minute; everyone else 6,000)', () =>
    withApp({}, async (t) => {
      expect(t.runtime.config.rateLimit).toMatchObject({ perMinute: 6_000, agencyPerMinute: 600_000 });
      const kela = await t.token({ role: 'agency', agency: 'kela' });
      const answers = await Promise.all(Array.from({ length: 200 }, () => t.http.get('/v1/agency/events').set(bearer(kela))));
      expect(answers.every((a) => a.status === 200)).toBe(true);
    }));
});

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  it('sends a closed content security policy, no framing, no sniffing, HSTS and no-store on API answers', async () => {
    for (const response of [await t.http.get('/health'), await t.http.get('/v1/citizen/messages'), await t.http.get('/v1/keys')]) {
      expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('keeps /docs working: its page may load its own scripts and styles, and nothing else', async () => {
    const page = await t.http.get('/docs/');
    expect(page.status).toBe(200);
    const policy = page.headers['content-security-policy'] as string;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self' https: 'unsafe-inline'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('upgrade-insecure-requests');
    for (const script of [...(page.text.matchAll(/<script src="([^"]+)"/g) ?? [])].map((m) => m[1]!)) {
      const url = script.startsWith('/') ? script : `/docs/${script.replace(/^\.\//, '')}`;
      expect({ script, status: (await t.http.get(url)).status }).toEqual({ script, status: 200 });
    }
    expect((await t.http.get('/docs/openapi.json')).status).toBe(200);
  });
});

describe('CORS', () => {
  const preflight = (t: TestApp, origin: string) =>
    t.http.options('/v1/citizen/messages').set('Origin', origin).set('Access-Control-Request-Method', 'GET').set('Access-Control-Request-Headers', 'authorization');

  it('is closed unless CORS_ORIGINS is set: no origin is allowed, on a preflight or a request', () =>
    withApp({}, async (t) => {
      const answer = await preflight(t, 'https://asiointi.example.fi');
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect((await t.http.get('/health').set('Origin', 'https://asiointi.example.fi')).headers['access-control-allow-origin']).toBeUndefined();
    }));

  it('allows exactly the listed origins, with the Authorization header, and refuses others', () =>
    withApp({ CORS_ORIGINS: 'https://asiointi.example.fi' }, async (t) => {
      const allowed = await preflight(t, 'https://asiointi.example.fi');
      expect(allowed.status).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://asiointi.example.fi');
      expect(allowed.headers['access-control-allow-headers']).toMatch(/Authorization/);
      expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
      const refused = await preflight(t, 'https://evil.example');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      const request = await t.http.get('/v1/citizen/messages').set('Origin', 'https://asiointi.example.fi').set(bearer(await t.token({ role: 'citizen', hetu: HETU.maija })));
      expect(request.headers['access-control-allow-origin']).toBe('https://asiointi.example.fi');
      expect(request.headers['access-control-expose-headers']).toMatch(/Retry-After/);
    }));
});
