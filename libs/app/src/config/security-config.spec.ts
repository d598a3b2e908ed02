import { availableParallelism } from 'node:os';
import { DEFAULT_OIDC_CLAIMS, DEFAULT_RATE_LIMITS, defaultSecretChecksAtOnce, loadConfig } from './app-config';

const OIDC = { AUTH_JWKS_URL: 'https://tunnistus.example.fi/jwks', AUTH_ISSUER: 'https://tunnistus.example.fi', AUTH_AUDIENCE: 'asiointitili' };

describe('security configuration from the environment', () => {
  it('runs on the development key alone, outside production, with no provider configured', () => {
    expect(loadConfig({}).auth).toEqual({ allowDevTokens: false, production: false });
  });

  it('reads the provider, with the default claim names hetu, acr and amr', () => {
    expect(loadConfig(OIDC).auth.oidc).toEqual({ jwksUrl: OIDC.AUTH_JWKS_URL, issuer: OIDC.AUTH_ISSUER, audience: 'asiointitili', claims: DEFAULT_OIDC_CLAIMS });
    expect(DEFAULT_OIDC_CLAIMS).toEqual({ hetu: 'hetu', acr: 'acr', amr: 'amr' });
  });

  it('reads configured claim names, such as the Suomi.fi OID for the henkilötunnus', () => {
    const config = loadConfig({ ...OIDC, AUTH_CLAIM_HETU: 'urn:oid:1.2.246.21', AUTH_CLAIM_ACR: 'loa', AUTH_CLAIM_AMR: 'method' });
    expect(config.auth.oidc?.claims).toEqual({ hetu: 'urn:oid:1.2.246.21', acr: 'loa', amr: 'method' });
  });

  it('allows a plain-http JWKS only on the loopback interface', () => {
    expect(loadConfig({ ...OIDC, AUTH_JWKS_URL: 'http://127.0.0.1:4000/jwks' }).auth.oidc?.jwksUrl).toBe('http://127.0.0.1:4000/jwks');
    expect(loadConfig({ ...OIDC, AUTH_JWKS_URL: 'http://localhost:4000/jwks' }).auth.oidc?.jwksUrl).toBe('http://localhost:4000/jwks');
    expect(() => loadConfig({ ...OIDC, AUTH_JWKS_URL: 'http://tunnistus.example.fi/jwks' })).toThrow(/^AUTH_JWKS_URL: must use https/);
  });

  it('reads NODE_ENV=production and ALLOW_DEV_TOKENS=true', () => {
    expect(loadConfig({ NODE_ENV: 'production', ALLOW_DEV_TOKENS: 'true' }).auth).toEqual({ allowDevTokens: true, production: true });
    expect(loadConfig({ NODE_ENV: 'test', ALLOW_DEV_TOKENS: 'false' }).auth).toEqual({ allowDevTokens: false, production: false });
  });

  it.each([
    ['AUTH_JWKS_URL', { ...OIDC, AUTH_JWKS_URL: 'ftp://tunnistus.example.fi/jwks' }],
    ['AUTH_JWKS_URL', { ...OIDC, AUTH_JWKS_URL: 'not a url' }],
    ['AUTH_ISSUER', { AUTH_JWKS_URL: OIDC.AUTH_JWKS_URL, AUTH_AUDIENCE: 'asiointitili' }],
    ['AUTH_AUDIENCE', { AUTH_JWKS_URL: OIDC.AUTH_JWKS_URL, AUTH_ISSUER: OIDC.AUTH_ISSUER }],
    ['AUTH_ISSUER', { AUTH_ISSUER: OIDC.AUTH_ISSUER }],
    ['AUTH_AUDIENCE', { AUTH_AUDIENCE: 'asiointitili' }],
    ['AUTH_ISSUER', { ...OIDC, AUTH_ISSUER: 'asiointitili-dev' }],
    ['AUTH_ISSUER', { ...OIDC, AUTH_ISSUER: 'x'.repeat(513) }],
    ['AUTH_CLAIM_HETU', { ...OIDC, AUTH_CLAIM_HETU: 'has space' }],
    ['AUTH_CLAIM_ACR', { ...OIDC, AUTH_CLAIM_ACR: 'x'.repeat(129) }],
    ['ALLOW_DEV_TOKENS', { ALLOW_DEV_TOKENS: 'yes' }],
  ])('stops at start naming %s when it is missing or invalid', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}:`));
  });

  it('limits generously by default: 6,000 a minute per person, 600,000 per agency, 120 token requests per address', () => {
    expect(loadConfig({}).rateLimit).toEqual({ ...DEFAULT_RATE_LIMITS, secretChecksAtOnce: defaultSecretChecksAtOnce() });
    expect(defaultSecretChecksAtOnce()).toBe(Math.max(1, Math.floor(availableParallelism() / 2)));
    expect(DEFAULT_RATE_LIMITS).toEqual({ perMinute: 6_000, agencyPerMinute: 600_000, tokenEndpointPerMinute: 120, secretChecksWaiting: 8, secretChecksPerAddress: 4 });
  });

  it('reads every rate limit from the environment', () => {
    const env = {
      RATE_LIMIT_PER_MINUTE: '3',
      RATE_LIMIT_AGENCY_PER_MINUTE: '5',
      RATE_LIMIT_TOKEN_PER_MINUTE: '2',
      SECRET_CHECKS_AT_ONCE: '4',
      SECRET_CHECKS_WAITING: '0',
      SECRET_CHECKS_PER_ADDRESS: '1',
    };
    expect(loadConfig(env).rateLimit).toEqual({
      perMinute: 3,
      agencyPerMinute: 5,
      tokenEndpointPerMinute: 2,
      secretChecksAtOnce: 4,
      secretChecksWaiting: 0,
      secretChecksPerAddress: 1,
    });
  });

  it.each([
    ['RATE_LIMIT_PER_MINUTE', '0'],
    ['RATE_LIMIT_PER_MINUTE', 'many'],
    ['RATE_LIMIT_AGENCY_PER_MINUTE', '-1'],
    ['RATE_LIMIT_TOKEN_PER_MINUTE', '100001'],
    ['TRUST_PROXY_HOPS', '11'],
    ['SECRET_CHECKS_AT_ONCE', '0'],
    ['SECRET_CHECKS_PER_ADDRESS', 'two'],
  ])('stops at start when %s is %s', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^${variable}:`));
  });

  it('keeps CORS closed unless CORS_ORIGINS lists origins', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://asiointi.example.fi, http://localhost:5173' }).corsOrigins).toEqual(['https://asiointi.example.fi', 'http://localhost:5173']);
  });

  it.each(['*', 'https://asiointi.example.fi/', 'https://asiointi.example.fi/app', 'asiointi.example.fi', 'ftp://asiointi.example.fi', 'https://a.example.fi,,'])(
    'refuses "%s" in CORS_ORIGINS',
    (value) => {
      expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(/^CORS_ORIGINS:/);
    },
  );

  it('believes no proxy by default, and TRUST_PROXY_HOPS of them when set', () => {
    expect(loadConfig({}).trustProxyHops).toBe(0);
    expect(loadConfig({ TRUST_PROXY_HOPS: '1' }).trustProxyHops).toBe(1);
  });
});
